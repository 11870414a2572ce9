package chat.pronto.session;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *
 * <p>What reaches the front ends is bounded (issue 16): a contact is told only when it changed (one
 * mDNS change used to arrive as 246 identical events in a second), and news that only the latest of
 * matters — a peer's typing, a peer's contact — reaches them at most once per peer per interval: what
 * comes faster is merged into the latest, told at the end of the interval. Messages, their states,
 * keys and notices are never merged or held back.
 */
final class EventBroadcaster implements SessionEvents {
    private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);
    /** What the front ends were last told of a peer that is gone. */
    private static final Object GONE = new Object();

    /** News of which only the latest matters: one kind, one peer. */
    private record Topic(Class<? extends ChatEvent> kind, PeerId peer) {
    }

    /** When a topic was last told, and what waits for the end of its interval. Guarded by the broadcaster. */
    private static final class Throttle {
        long toldAt;
        ChatEvent held;
    }

    private final ExecutorService thread;
    private final Function<PeerId, Contact> contacts;
    private final Scheduler scheduler;
    private final LongSupplier ticker;
    private final long intervalNanos;
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
    /** Events handed to the thread and not told yet: at zero the listeners hear that a burst ended. */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<PeerId, Fingerprint> presentedKeys = new ConcurrentHashMap<>();
    private volatile java.util.function.Predicate<PeerId> verified = peer -> false;
    /** The last problems told, for the diagnostics. Guarded by itself. */
    private final java.util.ArrayDeque<chat.pronto.model.Problem> recent = new java.util.ArrayDeque<>();
    private static final int RECENT_PROBLEMS = 12;
    // Guarded by this.
    private final Map<PeerId, Object> lastContact = new HashMap<>();
    private final Map<Topic, Throttle> throttles = new HashMap<>();

    /**
     * @param contacts a peer as the front ends see it now
     * @param interval the least time between two typing (or two contact) events about one peer
     */
    EventBroadcaster(ExecutorService thread, Function<PeerId, Contact> contacts, Scheduler scheduler,
                     LongSupplier ticker, Duration interval) {
        this.thread = thread;
        this.contacts = contacts;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.intervalNanos = interval.toNanos();
    }

    void addListener(ChatListener listener) {
        listeners.add(listener);
    }

    void removeListener(ChatListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void emit(ChatEvent event) {
        if (event instanceof ChatEvent.Notice notice) {
            remember(notice.problem());
        } else if (event instanceof ChatEvent.Unreachable unreachable) {
            remember(unreachable.problem());
        }
        Topic topic = topicOf(event);
        if (topic == null) {
            deliver(event);
            return;
        }
        synchronized (this) {
            Throttle throttle = throttles.get(topic);
            long now = ticker.getAsLong();
            if (throttle == null) {
                throttle = new Throttle();
                throttles.put(topic, throttle);
            } else if (throttle.held != null) {
                throttle.held = event; // the end of the interval tells the latest
                return;
            } else if (now - throttle.toldAt < intervalNanos) {
                throttle.held = event;
                scheduler.schedule(Duration.ofNanos(throttle.toldAt + intervalNanos - now), () -> release(topic));
                return;
            }
            throttle.toldAt = now;
            deliver(event);
        }
    }

    /** The interval of {@code topic} is over: what waited is told. */
    private synchronized void release(Topic topic) {
        Throttle throttle = throttles.get(topic);
        if (throttle == null || throttle.held == null) {
            return;
        }
        ChatEvent latest = throttle.held;
        throttle.held = null;
        throttle.toldAt = ticker.getAsLong();
        deliver(latest);
    }

    private static Topic topicOf(ChatEvent event) {
        if (event instanceof ChatEvent.Typing typing) {
            return new Topic(ChatEvent.Typing.class, typing.peer());
        }
        if (event instanceof ChatEvent.ContactChanged changed) {
            return new Topic(ChatEvent.ContactChanged.class, changed.contact().id());
        }
        if (event instanceof ChatEvent.ContactGone gone) {
            return new Topic(ChatEvent.ContactChanged.class, gone.id());
        }
        return null;
    }

    private void deliver(ChatEvent event) {
        if (thread.isShutdown()) {
            return;
        }
        waiting.incrementAndGet();
        try {
            thread.execute(() -> {
                try {
                    for (ChatListener listener : listeners) {
                        try {
                            listener.onChatEvent(event);
                        } catch (RuntimeException e) {
                            LOG.error("a chat listener failed on {}", event, e);
                        }
                    }
                } finally { // even after an Error: a burst that never ends would hold what the front ends gathered
                    if (waiting.decrementAndGet() == 0) {
                        drained();
                    }
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            // Nobody is listening any more; what the front ends gathered goes out all the same.
            if (waiting.decrementAndGet() == 0) {
                drained();
            }
        }
    }

    /**
     * The events thread has stopped: events it dropped will never end their burst, so the front ends
     * show now what they gathered of the ones it did tell.
     */
    void closed() {
        drained();
    }

    /** The last event handed over has been told: the listeners may show what they gathered. */
    private void drained() {
        for (ChatListener listener : listeners) {
            try {
                listener.eventsDrained();
            } catch (RuntimeException e) {
                LOG.error("a chat listener failed at the end of a burst", e);
            }
        }
    }

    /**
     * Tells the peer's contact as it is now, unless that is what the front ends were told last. (The
     * contact is looked up outside the lock: presence may be calling in with its own lock held.)
     */
    @Override
    public void linkChanged(PeerId peer) {
        Contact contact = contacts.apply(peer);
        Object told = contact.online() ? contact : GONE;
        synchronized (this) {
            if (Objects.equals(lastContact.put(peer, told), told)) {
                return;
            }
            emit(contact.online() ? new ChatEvent.ContactChanged(contact) : new ChatEvent.ContactGone(peer));
        }
    }

    @Override
    public void keyChanged(PeerId peer, StreamEnd.KeyChanged changed) {
        presentedKeys.put(peer, changed.presented());
        emit(new ChatEvent.KeyChanged(peer, changed.pinned().toDisplayString(), changed.presented().toDisplayString(),
                verified.test(peer)));
    }

    /** The last problems told (notices, peers that could not be reached), oldest first. */
    java.util.List<chat.pronto.model.Problem> recentProblems() {
        synchronized (recent) {
            return java.util.List.copyOf(recent);
        }
    }

    private void remember(chat.pronto.model.Problem problem) {
        synchronized (recent) {
            if (recent.size() == RECENT_PROBLEMS) {
                recent.removeFirst();
            }
            recent.addLast(problem);
        }
    }

    /** Says whether a peer's pinned key is verified: a change of such a key is told as the stronger warning. */
    void verifiedBy(java.util.function.Predicate<PeerId> test) {
        verified = test;
    }

    /** The key {@code peer} presented last, while the user has not accepted it. */
    Optional<Fingerprint> presentedKey(PeerId peer) {
        return Optional.ofNullable(presentedKeys.get(peer));
    }

    void keyAccepted(PeerId peer, Fingerprint key) {
        presentedKeys.remove(peer, key);
    }
}
