package chat.pronto.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.Contact;
import chat.pronto.model.PeerId;
import chat.pronto.security.Fingerprint;
import chat.pronto.stream.StreamEnd;

/**
 * Tells the front ends what happened, in order, on one thread ({@code pronto-session-events}), and
 * remembers the keys peers presented until the user decides about them.
 */
final class EventBroadcaster implements SessionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);

    private final ExecutorService thread;
    private final Function<PeerId, Contact> contacts;
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<PeerId, Fingerprint> presentedKeys = new ConcurrentHashMap<>();

    EventBroadcaster(ExecutorService thread, Function<PeerId, Contact> contacts, Scheduler scheduler,
                     LongSupplier ticker, Duration interval) {
        this.thread = thread;
        this.contacts = contacts;
    }

    void addListener(ChatListener listener) {
        listeners.add(listener);
    }

    void removeListener(ChatListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void emit(ChatEvent event) {
        if (thread.isShutdown()) {
            return;
        }
        try {
            thread.execute(() -> {
                for (ChatListener listener : listeners) {
                    try {
                        listener.onChatEvent(event);
                    } catch (RuntimeException e) {
                        LOG.error("a chat listener failed on {}", event, e);
                    }
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            // Nobody is listening any more.
        }
    }

    @Override
    public void linkChanged(PeerId peer) {
        Contact contact = contacts.apply(peer);
        emit(contact.online() ? new ChatEvent.ContactChanged(contact) : new ChatEvent.ContactGone(peer));
    }

    @Override
    public void keyChanged(PeerId peer, StreamEnd.KeyChanged changed) {
        presentedKeys.put(peer, changed.presented());
        emit(new ChatEvent.KeyChanged(peer, changed.pinned().toDisplayString(), changed.presented().toDisplayString()));
    }

    /** The key {@code peer} presented last, while the user has not accepted it. */
    Optional<Fingerprint> presentedKey(PeerId peer) {
        return Optional.ofNullable(presentedKeys.get(peer));
    }

    void keyAccepted(PeerId peer, Fingerprint key) {
        presentedKeys.remove(peer, key);
    }
}
