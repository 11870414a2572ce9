package chat.pronto.session;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.TypingState;

/**
 * Chatting with the people nearby: what the desktop UI and the terminal console use, and all they
 * use. Methods return at once and never do network or disk work on the caller's thread; results
 * come as futures and as {@link ChatEvent}s.
 */
public interface ChatService extends AutoCloseable {
    /** Listens for streams, advertises us, sends what the outbox still holds. */
    void start() throws IOException;

    /** Our instance name now (it changes if another host owns it). */
    PeerId self();

    OwnPresence ownPresence();

    /** Publishes a new status, message or names at once (mDNS TXT update). */
    void updatePresence(OwnPresence own);

    /** Everyone seen on the network or connected to us, in no particular order. */
    CompletableFuture<List<Contact>> contacts();

    /** {@code peer} as it is seen now; empty when it is neither on the network nor connected. */
    CompletableFuture<Optional<Contact>> contact(PeerId peer);

    /**
     * Stores the message, then sends it over the open stream or one it opens; the future completes
     * once it is stored (state QUEUED), and {@link ChatEvent.MessageUpdated} tells the rest.
     */
    CompletableFuture<ChatMessage> send(PeerId peer, String body);

    /** Puts a failed message back into the outbox and tries again. */
    CompletableFuture<ChatMessage> retry(PeerId peer, String messageId);

    /** Tells the peer what we are doing (only over an open stream, only to peers that understand it). */
    void setTyping(PeerId peer, TypingState state);

    /** The last {@code limit} messages with {@code peer}, oldest first. */
    CompletableFuture<List<StoredMessage>> latest(PeerId peer, int limit);

    /** The {@code limit} messages before message number {@code before}, oldest first. */
    CompletableFuture<List<StoredMessage>> older(PeerId peer, long before, int limit);

    /** Peers with a history, most recent first. */
    CompletableFuture<List<PeerId>> conversations();

    /**
     * Trusts the new key {@code peer} presented, given as the fingerprint the user compared (from
     * {@link ChatEvent.KeyChanged}); fails if the peer has presented another key since.
     */
    CompletableFuture<Void> acceptNewKey(PeerId peer, String fingerprint);

    /**
     * Sends a stanza typed by hand (debug console): checked first ({@link RawStanza}), {@code to} and
     * {@code from} filled in when absent, over the open stream or one it opens. Fails with
     * {@link RawStanza.Invalid} (nothing sent) or with why it could not go out.
     */
    CompletableFuture<Void> sendRaw(PeerId peer, String xml);

    /** Every chunk of XML in and out of every stream, until the returned handle is closed. */
    AutoCloseable watchTraffic(java.util.function.Consumer<chat.pronto.model.TrafficLine> listener);

    void addListener(ChatListener listener);

    void removeListener(ChatListener listener);

    /** Closes every stream with {@code </stream:stream>}, says goodbye on mDNS, stops every thread. */
    @Override
    void close();
}
