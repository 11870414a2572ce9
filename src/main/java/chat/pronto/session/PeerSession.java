package chat.pronto.session;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.TypingState;
import chat.pronto.stream.Role;
import chat.pronto.stream.StanzaStream;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamSecurity;

/**
 * The conversation with one peer, routed between its parts: the {@link Outbox} (what we send),
 * {@link PeerStreams} (which stream carries it), {@link Incoming} (what the peer sends),
 * {@link HandTypedStanzas} (the debug console) and dialing. Its work runs in order in the peer's own
 * lane; receipts and IQ answers are queued on their stream at once (never behind a dial), and the
 * stream's writer thread writes them.
 */
final class PeerSession {
    final PeerId peer;
    private final SessionContext context;
    private final SerialLane lane;
    private final PeerFeatures features;
    private final PeerStreams streams;
    private final Outbox outbox;
    private final Incoming incoming;
    private final HandTypedStanzas handTyped;
    private final LinkWatch watch;
    private final PeerQuota quota;

    /** The longest a new stream's reader waits for the old one to be read out (the stream close timeout). */
    private static final long SWITCH_OVER_MILLIS = 5_000;

    /** Streams that announced themselves but that the lane has not taken in yet (their readers wait). */
    private final java.util.Map<StanzaStream, java.util.concurrent.CountDownLatch> adopting =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** After a stream opened ahead of a message failed, typing opens none again for this long. */
    private static final long AHEAD_AGAIN_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    // Lane only.
    private boolean dialing;
    /** The dial under way was opened ahead of a message (the user typing), not for one that waits. */
    private boolean dialingAhead;
    /** When a stream opened ahead last failed (ticker), or null. */
    private Long aheadFailedAt;

    PeerSession(SessionContext context, PeerId peer) {
        this(context, peer, FileRequests.NONE);
    }

    PeerSession(SessionContext context, PeerId peer, FileRequests files) {
        this.peer = peer;
        this.context = context;
        this.lane = new SerialLane(context.workers(), peer.name());
        this.features = new PeerFeatures(acknowledges -> remember(context, peer, acknowledges));
        this.streams = new PeerStreams(peer);
        this.outbox = new Outbox(peer, context, features, streams, lane, this::flush);
        this.quota = new PeerQuota(peer, context);
        this.incoming = new Incoming(peer, context, features, streams, outbox, this::reply, quota, files);
        this.handTyped = new HandTypedStanzas(peer, streams);
        this.watch = new LinkWatch(peer, context.config().watch(), streams, context.ticker());
    }

    LinkSecurity link() {
        return streams.link();
    }

    // ---- what the user does -----------------------------------------------------------------------

    CompletableFuture<ChatMessage> send(String body) {
        CompletableFuture<ChatMessage> stored = outbox.store(body);
        // Writing to someone makes them someone the user knows: no stranger's allowance any more.
        stored.thenRun(quota::userWrote);
        return stored;
    }

    CompletableFuture<ChatMessage> retry(String id) {
        return outbox.retry(id);
    }

    void keyAccepted() {
        outbox.keyAccepted();
    }

    /** Sends a checked, hand-typed stanza over the open stream or one it opens. */
    CompletableFuture<Void> sendRaw(Stanza stanza) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        lane.execute(() -> {
            handTyped.add(stanza, sent);
            StanzaStream stream = streams.usable();
            if (stream != null) {
                handTyped.sendAll(stream);
            } else {
                dial();
            }
        });
        return sent;
    }

    void setTyping(TypingState state) {
        lane.execute(() -> {
            StanzaStream stream = streams.usable();
            if (stream == null && state == TypingState.COMPOSING) {
                openAhead();
            }
            if (stream == null || !features.knowsChatStates() || streams.link() == LinkSecurity.LEGACY) {
                return;
            }
            streams.send(stream, ChatStanzas.typing(PeerId.of(stream.localName()), peer, Outbox.newId(), state));
        });
    }

    /** Presence saw the peer (again): anything waiting goes out now. */
    void peerAppeared() {
        lane.execute(() -> {
            outbox.retries().reset();
            flush();
        });
    }

    // ---- sending and dialing (lane) ------------------------------------------------------------------

    /** Sends the queue over the open stream, or opens one first. */
    private void flush() {
        if (holdingBack()) {
            return; // the old stream's end sends what waits (in order)
        }
        outbox.retries().cancel();
        java.util.List<StoredMessage> queued = outbox.queued();
        if (queued.isEmpty()) {
            return;
        }
        StanzaStream stream = streams.usable();
        if (stream == null) {
            dial(); // the queue goes out once a stream is there
            return;
        }
        outbox.send(stream, queued);
    }

    /** Opens a stream unless one is being opened; its outcome comes back into the lane. */
    private void dial() {
        dialingAhead = false; // something waits for this dial now, whoever started it
        if (!dialing && !dialWhereReachable()) {
            handTyped.failAll(chat.pronto.model.Problem.of(chat.pronto.model.Problem.Kind.NOT_ON_NETWORK));
            outbox.retries().waitForPeer();
        }
    }

    /**
     * The user began writing to a peer we have no stream with: the stream opens now, so that the
     * message finds it ready. A TLS handshake, or an address that does not answer, takes longer than
     * typing a word. Only where a message would go (a peer mDNS lists, or one added by address), and
     * quietly: if it fails while nothing waits, sending will say so; after a failure or a refusal
     * typing opens none for a while.
     */
    private void openAhead() {
        boolean failedLately = aheadFailedAt != null
                && context.ticker().getAsLong() - aheadFailedAt < AHEAD_AGAIN_AFTER_NANOS;
        if (!dialing && !holdingBack() && !failedLately) {
            dialingAhead = dialWhereReachable(); // its outcome comes back through the lane, after this
        }
    }

    /** Dials the peer where it can be reached now; its outcome comes back into the lane. False when nowhere. */
    private boolean dialWhereReachable() {
        Optional<PeerAdvert> advert = context.presence().dialable(peer);
        if (advert.isEmpty() || advert.get().addresses().isEmpty()) {
            return false;
        }
        dialing = true;
        context.dialer().dial(peer, advert.get(), outcome -> lane.execute(() -> dialed(outcome)));
        return true;
    }

    private void dialed(DialOutcome outcome) {
        dialing = false;
        boolean ahead = dialingAhead;
        dialingAhead = false;
        if (ahead && !(outcome instanceof DialOutcome.Connected)) {
            aheadFailedAt = context.ticker().getAsLong(); // refused or failed: typing does not dial it again soon
            if (outcome instanceof DialOutcome.Failed && streams.usable() == null && handTyped.isEmpty()
                    && outbox.queued().isEmpty()) {
                return; // nothing waited for it: nobody to tell
            }
        }
        if (outcome instanceof DialOutcome.Connected connected) {
            aheadFailedAt = null;
            inUse(connected.stream(), connected.info(), adopt(connected.stream(), connected.info()));
        } else if (outcome instanceof DialOutcome.Refused refused) {
            handTyped.failAll(Problems.of(refused.end()));
            if (refused.end() instanceof StreamEnd.KeyChanged changed) {
                context.events().keyChanged(peer, changed);
            }
            outbox.failQueued(refused.end());
        } else if (outcome instanceof DialOutcome.Failed failed) {
            if (streams.usable() == null) {
                handTyped.failAll(failed.problem());
                outbox.retries().later(failed.problem());
            } else {
                sendWaiting(); // the peer dialed us meanwhile
            }
        }
    }

    /** Messages first, then other stanzas (a file offer made after a message must not overtake it). */
    private void sendWaiting() {
        flush();
        StanzaStream stream = streams.usable();
        if (stream != null) {
            handTyped.sendAll(stream);
        }
    }

    /**
     * Writes a receipt or an IQ answer on the stream the request came on, or else (in the lane) on the
     * one we keep. Handing a stanza to a stream only queues it for the stream's writer thread, so this
     * runs right where the answer is ready: on the store thread after the commit that holds a message,
     * on the reader thread for an IQ. (A lane of its own for answers cost a thread hand-off per receipt.)
     */
    private void reply(StanzaStream on, Stanza answer) {
        if (streams.send(on, answer)) {
            return;
        }
        lane.execute(() -> {
            StanzaStream other = streams.usable();
            if (other != null) {
                streams.send(other, answer);
            }
        });
    }

    // ---- streams -----------------------------------------------------------------------------------

    /** A stream with the peer is ready (we dialed it, or it dialed us). */
    void onEstablished(StanzaStream stream, StreamInfo info) {
        java.util.concurrent.CountDownLatch adopted = new java.util.concurrent.CountDownLatch(1);
        adopting.put(stream, adopted);
        lane.execute(() -> {
            boolean fresh;
            try {
                fresh = adopt(stream, info);
            } finally {
                adopted.countDown();
                adopting.remove(stream);
            }
            inUse(stream, info, fresh);
        });
    }

    /**
     * After a stream came up: what waited goes out first, then, if the stream was {@code adopted}, the
     * front ends hear of it and the peer is asked what it supports. Telling them (the contact built
     * anew) took 0.5–1.4 ms of a first message's path when it came before the message.
     */
    private void inUse(StanzaStream stream, StreamInfo info, boolean adopted) {
        sendWaiting();
        if (adopted) {
            context.events().linkChanged(peer);
            askFeatures(stream, info);
        }
    }

    /** Takes the stream into use (or not: another is kept); true when it was. The caller tells the front ends ({@link #inUse}). */
    private boolean adopt(StanzaStream stream, StreamInfo info) {
        if (!streams.adopt(stream)) {
            return false;
        }
        watch.heard(stream); // it just negotiated: silence is counted from here
        if (info.security() == StreamSecurity.LEGACY_PLAINTEXT) {
            features.sawLegacyStream();
        }
        return true;
    }

    /**
     * Asks a 1.0 peer what it supports (Pidgin never answers IQs, so never awaited). After what waited
     * was written: the first message does not wait behind the question on the wire.
     */
    private void askFeatures(StanzaStream stream, StreamInfo info) {
        if (info.security() != StreamSecurity.LEGACY_PLAINTEXT && streams.usable() == stream) {
            streams.send(stream, PeerFeatures.request(PeerId.of(stream.localName()), peer, Outbox.newId()));
        }
    }

    /**
     * True while an older stream may still be read by the peer: one the stream in use replaced, or
     * one that is closing while messages on it still owe receipts. Anything written to another stream
     * now could overtake them; the older stream's end puts its unacknowledged messages back in the
     * queue, in their place, and sends the queue. (Writing at once let newer messages overtake
     * them — the long soak, after a kill; and again right after a restart, before anything told us
     * the peer acknowledges.) Lane only.
     */
    private boolean holdingBack() {
        return streams.switching() || streams.closing().stream().anyMatch(outbox::mayStillAcknowledgeOn);
    }

    void onEnded(StanzaStream stream, StreamEnd end) {
        lane.execute(() -> {
            boolean wasSwitching = holdingBack();
            StanzaStream next = streams.ended(stream);
            watch.ended(stream);
            if (next == null && (end instanceof StreamEnd.ConnectionLost || isSilence(end))) {
                // A stream that dies without a close, or whose peer fell silent, is the fastest news
                // that the peer is gone: told first, so that what goes back to the queue waits for the
                // peer to be seen again rather than dialing into the same dead link.
                context.presence().markGone(peer);
            }
            outbox.streamEnded(stream, end);
            if (end instanceof StreamEnd.KeyChanged changed && stream.role() == Role.RECIPIENT) {
                // (When we dialed, the dial's outcome has reported it already.)
                context.events().keyChanged(peer, changed);
            }
            context.events().linkChanged(peer);
            if (wasSwitching && !holdingBack() && next != null) {
                sendWaiting(); // the peer has read what went before: the rest may follow on the new stream
            } else if (next == null && !outbox.queued().isEmpty()) {
                outbox.retries().later(Problems.of(end), context.config().firstRetry());
            }
        });
    }

    private static boolean isSilence(StreamEnd end) {
        return end instanceof StreamEnd.ErrorSent sent && sent.condition().equals("connection-timeout");
    }

    /** Pings streams that went quiet or owe receipts, ends those that did not answer (see {@link LinkWatch}). */
    void checkLink() {
        lane.execute(() -> watch.check(outbox::oldestUnacknowledgedOn, outbox::resendUnacknowledged));
    }

    /** Closes streams nobody used for the idle timeout (never one a receipt is awaited on). */
    void closeIdle(long now, long idleNanos) {
        lane.execute(() -> streams.closeIdle(now, idleNanos, outbox::awaitsReceiptOn));
    }

    private static void remember(SessionContext context, PeerId peer, boolean acknowledges) {
        try {
            context.history().rememberReceipts(peer, acknowledges);
        } catch (java.io.IOException e) {
            context.events().notice(chat.pronto.model.Problem.of(chat.pronto.model.Problem.Kind.NOT_SAVED,
                    e.getMessage()));
        }
    }

    // ---- what arrives (reader thread of the stream) -------------------------------------------------

    void onMessage(StanzaStream stream, Message message) {
        watch.heard(stream);
        inOrder(stream);
        incoming.onMessage(stream, message);
    }

    void onIq(StanzaStream stream, IQ iq) {
        watch.heard(stream);
        watch.answered(iq);
        incoming.onIq(stream, iq);
    }

    /**
     * A message is taken in only once its stream is (so the both-dial rule has spoken), and not
     * before the stream it replaced has been read out: the peer wrote to that one first.
     */
    private void inOrder(StanzaStream stream) {
        java.util.concurrent.CountDownLatch adopted = adopting.get(stream);
        if (adopted != null) {
            try {
                adopted.await(SWITCH_OVER_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.awaitOlderStream(stream, SWITCH_OVER_MILLIS);
    }

    /** Presence over a stream is not acted on (status comes from mDNS, XEP-0174), but it shows the peer is there. */
    void onPresence(StanzaStream stream) {
        watch.heard(stream);
    }
}
