package chat.pronto.session;

import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.jivesoftware.smack.packet.Message;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.Problem.Kind;
import chat.pronto.model.StoredMessage;
import chat.pronto.stream.StanzaStream;
import chat.pronto.stream.StreamEnd;

/**
 * One peer's outgoing messages, from the moment they are stored until the peer's receipt: stored
 * first (QUEUED), written to a stream (SENT), acknowledged (DELIVERED), or FAILED with a reason the
 * user can act on. Retries with backoff while the peer is there but unreachable; waits while it is
 * not on the network; puts messages back after a stream broke under them. Every state change is
 * stored, then told, in that order ({@link #move}): the {@link GroupCommit} stores many together and
 * tells each after its commit, in the order they were made.
 *
 * <p>Threads: what the user does and receipts and errors (reader threads) hand changes to the store;
 * sending runs in the peer's lane. (A little over the usual size on purpose: every transition of an outgoing
 * message is here, side by side, so the whole state machine reads in one place.)
 */
final class Outbox {
    private static final Set<DeliveryState> QUEUED = EnumSet.of(DeliveryState.QUEUED);
    /** How long the rest of the queue waits while a peer is slow to read what it was sent. */
    private static final java.time.Duration WHILE_BUSY = java.time.Duration.ofMillis(200);
    private static final Set<DeliveryState> SENT = EnumSet.of(DeliveryState.SENT);
    private static final Set<DeliveryState> FAILED = EnumSet.of(DeliveryState.FAILED);
    private static final Set<DeliveryState> UNDELIVERED =
            EnumSet.of(DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.FAILED);
    private static final Set<DeliveryState> IN_FLIGHT = EnumSet.of(DeliveryState.QUEUED, DeliveryState.SENT);
    /** Stream errors that say what we sent was at fault: sending it again would fail again. */
    private static final Set<String> BLAMES_OUR_STANZAS = Set.of("policy-violation", "not-well-formed",
            "restricted-xml", "invalid-xml", "bad-format", "unsupported-stanza-type", "invalid-namespace");

    private final PeerId peer;
    private final SessionContext context;
    private final PeerFeatures features;
    private final PeerStreams streams;
    private final Executor lane;
    /** What the session does to send the queue (it may have to dial first); runs in the lane. */
    private final Runnable flush;
    private final Retries retries;

    // Any thread.
    /** A flush is asked of the lane and has not started: more asks join it (one per stored group, not per message). */
    private final java.util.concurrent.atomic.AtomicBoolean flushAsked = new java.util.concurrent.atomic.AtomicBoolean();
    /** A message written to a stream that owes us its receipt, and when it was written (nanoTime). */
    private record Owed(StanzaStream stream, long writtenAt) {
    }

    private final Map<String, Owed> awaitingReceipt = new ConcurrentHashMap<>();
    private final Set<String> blockedByKey = ConcurrentHashMap.newKeySet();

    Outbox(PeerId peer, SessionContext context, PeerFeatures features, PeerStreams streams, Executor lane,
           Runnable flush) {
        this.peer = peer;
        this.context = context;
        this.features = features;
        this.streams = streams;
        this.lane = lane;
        this.flush = flush;
        this.retries = new Retries(peer, context, lane, flush);
    }

    // ---- what the user does -----------------------------------------------------------------------

    /**
     * Stores the message (in the order the user sent them), so that it is safe and visible even while
     * the peer's lane is busy dialing; after its commit the lane sends it.
     */
    CompletableFuture<ChatMessage> store(String body) {
        CompletableFuture<ChatMessage> stored = new CompletableFuture<>();
        ChatMessage message = ChatMessage.outgoing(peer, newId(), body, Instant.now());
        try {
            context.store().submit(history -> history.append(message), appended -> {
                askFlush(); // first: the lane's thread wakes while the front ends are told
                stored.complete(message);
                context.events().emit(new ChatEvent.MessageAdded(message));
            }, e -> {
                Problem why = Problem.of(Kind.NOT_SAVED, e.getMessage());
                stored.completeExceptionally(new NotSentException(why, e));
                context.events().notice(why);
            });
        } catch (RejectedExecutionException closing) {
            stored.completeExceptionally(new NotSentException(Problem.of(Kind.SHUTTING_DOWN)));
        }
        return stored;
    }

    /** Puts a failed message back into the queue and sends it. */
    CompletableFuture<ChatMessage> retry(String id) {
        CompletableFuture<ChatMessage> requeued = new CompletableFuture<>();
        try {
            move(id, FAILED, DeliveryState.QUEUED, null, message -> {
                if (message.isEmpty()) {
                    requeued.completeExceptionally(
                            new IllegalArgumentException("no failed message " + id + " to " + peer));
                    return;
                }
                blockedByKey.remove(id);
                requeued.complete(message.get());
                lane.execute(() -> {
                    retries.reset();
                    flush.run();
                });
            }, requeued::completeExceptionally);
        } catch (RejectedExecutionException closing) {
            requeued.completeExceptionally(new NotSentException(Problem.of(Kind.SHUTTING_DOWN)));
        }
        return requeued;
    }

    /** Asks the lane to send the queue, once for however many asks come in before it starts. */
    private void askFlush() {
        if (flushAsked.compareAndSet(false, true)) {
            lane.execute(() -> {
                flushAsked.set(false);
                flush.run();
            });
        }
    }

    /** After the user accepted the peer's new key: what failed because of the old one goes out now. */
    void keyAccepted() {
        for (String id : List.copyOf(blockedByKey)) {
            retry(id);
        }
    }

    /** When the queue is tried again. */
    Retries retries() {
        return retries;
    }

    // ---- sending (lane) -------------------------------------------------------------------------------

    /**
     * What waits to be sent, oldest first; empty (and the user told) when the history cannot be read.
     * Read after every change handed to the store before has been committed: a message just put back in
     * the queue is seen, one just written to a stream is not (so none goes out twice or out of order).
     */
    List<StoredMessage> queued() {
        context.store().awaitCommitted();
        try {
            return context.history().outbox(peer);
        } catch (IOException e) {
            context.events().notice(Problem.of(Kind.NOT_SAVED, e.getMessage()));
            return List.of();
        }
    }

    /**
     * Writes {@code queued} to {@code stream} in order; if the stream breaks, the rest waits for a
     * retry; if the peer is slow to read, for a moment (quietly: nothing is wrong yet).
     */
    void send(StanzaStream stream, List<StoredMessage> queued) {
        for (StoredMessage stored : queued) {
            PeerStreams.Sent sent = write(stream, stored.message());
            if (sent == PeerStreams.Sent.BUSY) {
                context.scheduler().schedule(WHILE_BUSY, () -> lane.execute(flush));
                return;
            }
            if (sent == PeerStreams.Sent.NO) {
                retries.later(Problem.of(Kind.STREAM_CLOSED), context.config().firstRetry());
                return;
            }
        }
        retries.reset();
    }

    private PeerStreams.Sent write(StanzaStream stream, ChatMessage message) {
        Message stanza = ChatStanzas.chat(PeerId.of(stream.localName()), peer, message.id(), message.body());
        // Registered before the write: on loopback the receipt can overtake our own bookkeeping.
        // Legacy peers never acknowledge: nothing to wait for.
        if (PeerStreams.linkOf(stream) != LinkSecurity.LEGACY) {
            awaitingReceipt.put(message.id(), new Owed(stream, context.ticker().getAsLong()));
        }
        PeerStreams.Sent sent = streams.write(stream, stanza);
        if (sent != PeerStreams.Sent.YES) {
            awaitingReceipt.remove(message.id());
            return sent;
        }
        moveQuietly(message.id(), QUEUED, DeliveryState.SENT, null);
        return sent;
    }

    /** Retrying cannot help (a changed key, a peer that cannot encrypt while we require it): all of it fails. */
    void failQueued(StreamEnd end) {
        Problem why = Problems.of(end);
        for (StoredMessage stored : queued()) {
            if (end instanceof StreamEnd.KeyChanged) {
                blockedByKey.add(stored.message().id());
            }
            moveQuietly(stored.message().id(), QUEUED, DeliveryState.FAILED, why);
        }
    }

    // ---- what the peer says (reader threads) ------------------------------------------------------

    /**
     * The peer's receipt for message {@code id}; {@code alone} when nothing more has been read behind
     * it, so it is stored at once on this (reader) thread if the store is idle.
     */
    void delivered(String id, boolean alone) {
        features.sawReceipt();
        awaitingReceipt.remove(id);
        moveQuietly(alone, id, UNDELIVERED, DeliveryState.DELIVERED, null, changed -> { });
    }

    /** The peer answered message {@code id} with an error: it failed, with the peer's reason. */
    void refused(String id, String condition, String text) {
        awaitingReceipt.remove(id);
        moveQuietly(id, IN_FLIGHT, DeliveryState.FAILED, Problem.of(Kind.REFUSED_BY_PEER, condition, text));
    }

    /** Whether a receipt is still expected over {@code stream} (so it must not be closed as idle). */
    boolean awaitsReceiptOn(StanzaStream stream) {
        return features.sendsReceipts() && awaitingReceipt.values().stream().anyMatch(owed -> owed.stream() == stream);
    }

    /**
     * Whether messages written to {@code stream} may still be acknowledged there, so nothing newer may
     * overtake them on another stream: unlike {@link #awaitsReceiptOn} this holds before we know the
     * peer acknowledges (right after a start), and only a peer that said it never does is excluded.
     */
    boolean mayStillAcknowledgeOn(StanzaStream stream) {
        return !features.saidItSendsNoReceipts()
                && awaitingReceipt.values().stream().anyMatch(owed -> owed.stream() == stream);
    }

    /** When the oldest message still owed a receipt on {@code stream} was written; {@code Long.MAX_VALUE} if none. */
    long oldestUnacknowledgedOn(StanzaStream stream) {
        return awaitingReceipt.values().stream().filter(owed -> owed.stream() == stream)
                .mapToLong(Owed::writtenAt).min().orElse(Long.MAX_VALUE);
    }

    /**
     * The peer answered a ping, so the stream works, yet messages written before {@code writtenBefore}
     * still have no receipt: the peer may have lost them (its disk was full, it crashed and came back
     * on the same connection). A peer that acknowledges gets them again, under the same ids; it drops
     * what it has. Lane only.
     */
    void resendUnacknowledged(StanzaStream stream, long writtenBefore) {
        if (!features.sendsReceipts()) {
            return;
        }
        List<String> doubtful = Map.copyOf(awaitingReceipt).entrySet().stream()
                .filter(entry -> entry.getValue().stream() == stream && entry.getValue().writtenAt() - writtenBefore < 0)
                .map(Map.Entry::getKey).toList();
        doubtful.forEach(awaitingReceipt::remove);
        requeue(doubtful);
    }

    // ---- a stream ended (lane) ----------------------------------------------------------------------

    /**
     * Messages written to a stream that then ended, with no receipt yet, go back to the queue at once
     * when the peer sends receipts: a receipt will tell whether they arrived, and the peer drops a
     * duplicate. At once even after a clean close (whose receipts may still come over another stream):
     * waiting would send them after newer messages, out of order — found by the soak.
     */
    void streamEnded(StanzaStream stream, StreamEnd end) {
        List<String> unacknowledged = Map.copyOf(awaitingReceipt).entrySet().stream()
                .filter(entry -> entry.getValue().stream() == stream).map(Map.Entry::getKey).toList();
        unacknowledged.forEach(awaitingReceipt::remove);
        if (unacknowledged.isEmpty()) {
            return;
        }
        if (end instanceof StreamEnd.ErrorReceived error && BLAMES_OUR_STANZAS.contains(error.condition())) {
            // The peer threw the stream away right after our messages: sending them again would only
            // repeat that. They fail, with the peer's words; the user can retry.
            for (String id : unacknowledged) {
                moveQuietly(id, SENT, DeliveryState.FAILED, Problems.of(end));
            }
        } else {
            requeue(unacknowledged);
        }
    }

    /** Back in the queue (in their old places: the queue is in stored order), then the queue is sent. */
    private void requeue(List<String> ids) {
        if (features.saidItSendsNoReceipts()) {
            // It told us it sends no receipts: sending again would show the message twice.
            return;
        }
        for (String id : ids) {
            moveQuietly(id, SENT, DeliveryState.QUEUED, null, changed -> {
                if (changed.isPresent()) {
                    askFlush();
                }
            });
        }
    }

    // ---- states --------------------------------------------------------------------------------------

    /**
     * Moves a message on, stored in the store's next group; after the commit the front ends are told and
     * {@code then} gets the message as it is now (empty when it was in none of {@code from}). The store
     * keeps the order: the lane (sent) and a reader thread (delivered) race on loopback, and the events
     * arrive in the order the states were stored.
     */
    private void move(String id, Set<DeliveryState> from, DeliveryState to, Problem why,
                      java.util.function.Consumer<Optional<ChatMessage>> then,
                      java.util.function.Consumer<IOException> failed) {
        move(false, id, from, to, why, then, failed);
    }

    /** {@link #move}; {@code here}: stored on this thread if the store is idle ({@link GroupCommit#submitHere}). */
    private void move(boolean here, String id, Set<DeliveryState> from, DeliveryState to, Problem why,
                      java.util.function.Consumer<Optional<ChatMessage>> then,
                      java.util.function.Consumer<IOException> failed) {
        GroupCommit.Write<Optional<ChatMessage>> write = history -> history.transition(peer, id, from, to, why);
        java.util.function.Consumer<Optional<ChatMessage>> told = changed -> {
            changed.ifPresent(message -> context.events().emit(new ChatEvent.MessageUpdated(message)));
            then.accept(changed);
        };
        if (here) {
            context.store().submitHere(write, told, failed);
        } else {
            context.store().submit(write, told, failed);
        }
    }

    /** {@link #move}, with a storage failure told to the user instead (and nothing stored while closing). */
    private void moveQuietly(String id, Set<DeliveryState> from, DeliveryState to, Problem why) {
        moveQuietly(id, from, to, why, changed -> { });
    }

    private void moveQuietly(String id, Set<DeliveryState> from, DeliveryState to, Problem why,
                             java.util.function.Consumer<Optional<ChatMessage>> then) {
        moveQuietly(false, id, from, to, why, then);
    }

    private void moveQuietly(boolean here, String id, Set<DeliveryState> from, DeliveryState to, Problem why,
                             java.util.function.Consumer<Optional<ChatMessage>> then) {
        try {
            move(here, id, from, to, why, then,
                    e -> context.events().notice(Problem.of(Kind.NOT_SAVED, e.getMessage())));
        } catch (RejectedExecutionException closing) {
            // Pronto is closing: the message keeps its stored state, and recovery at the next start acts on it.
        }
    }

    static String newId() {
        return "pronto-" + UUID.randomUUID();
    }
}
