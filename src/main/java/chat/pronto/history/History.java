package chat.pronto.history;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.StoredMessage;

/**
 * Conversations, messages and the outbox, kept across restarts. Every method is a whole change or
 * a consistent read; a failure is an {@link IOException} whose message a person can act on, and
 * nothing is half-written. Callers keep it off the UI thread.
 */
public interface History extends AutoCloseable {
    /**
     * Stores a message durably before returning. False, storing nothing, when that peer's message
     * with that id and direction is already there (a duplicate after a reconnect is shown once).
     */
    boolean append(ChatMessage message) throws IOException;

    /**
     * Moves an outgoing message to {@code state} only when it is now in one of {@code from}, so that
     * states only go forward even when a receipt overtakes the write that sent the message.
     * Returns the message as it is afterwards, or empty when nothing changed.
     */
    Optional<ChatMessage> transition(PeerId peer, String id, Set<DeliveryState> from, DeliveryState state,
                                     Problem failure) throws IOException;

    /** Whether {@code peer}'s incoming message {@code id} is stored with exactly {@code body} (a true duplicate). */
    boolean sameIncoming(PeerId peer, String id, String body) throws IOException;

    /**
     * Whether the user ever wrote to {@code peer} (an outgoing message, in any state): the peer is
     * someone they know, not a stranger whose messages count against the stranger's allowance.
     */
    boolean wroteTo(PeerId peer) throws IOException;

    /** The last {@code limit} messages with {@code peer}, oldest first. */
    List<StoredMessage> latest(PeerId peer, int limit) throws IOException;

    /** The {@code limit} messages before message number {@code before}, oldest first (scrolling back). */
    List<StoredMessage> before(PeerId peer, long before, int limit) throws IOException;

    /** Outgoing messages waiting for a stream (state QUEUED), oldest first, every peer. */
    List<StoredMessage> outbox() throws IOException;

    /** {@code peer}'s part of the outbox, oldest first. */
    List<StoredMessage> outbox(PeerId peer) throws IOException;

    /**
     * Outgoing messages written to a stream with no receipt yet (state SENT), oldest first, every
     * peer: after a restart, those to peers that acknowledge go out again.
     */
    List<StoredMessage> sentUnacknowledged() throws IOException;

    /** Whether {@code peer}'s client acknowledges messages (XEP-0184), as last learned; empty when never learned. */
    Optional<Boolean> sendsReceipts(PeerId peer) throws IOException;

    /** Remembers whether {@code peer}'s client acknowledges messages. */
    void rememberReceipts(PeerId peer, boolean sends) throws IOException;

    /**
     * Runs {@code changes} (calls of this history's methods) as one transaction: stored together, with one
     * commit, or not at all (the failure is thrown and none of it is kept). Many messages in one commit are
     * what lets a busy stream store each one before its receipt without a disk write per message.
     */
    void inOneTransaction(Changes changes) throws IOException;

    /** Changes made together by {@link #inOneTransaction}. */
    @FunctionalInterface
    interface Changes {
        void apply() throws IOException;
    }

    /** Stores a file transfer as it stands now (added, or replacing the row with its id). */
    void saveTransfer(chat.pronto.model.Transfer transfer) throws IOException;

    /** Every file transfer kept, oldest first. */
    List<chat.pronto.model.Transfer> transfers() throws IOException;

    /** Peers we have talked with, most recent first. */
    List<PeerId> conversations() throws IOException;

    /** Keeps a peer reached by address (added, or replacing the one with its name). */
    void savePeer(chat.pronto.model.SavedPeer peer) throws IOException;

    /** Peers reached by address, in the order they were first saved. */
    List<chat.pronto.model.SavedPeer> savedPeers() throws IOException;

    /** Drops {@code peer} from the saved peers; true when it was there. */
    boolean forgetSavedPeer(PeerId peer) throws IOException;

    @Override
    void close() throws IOException;
}
