package chat.pronto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.TypingState;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamEndedException;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamSecurity;
import chat.pronto.stream.XmlStream;

/**
 * Everything about the conversation with one peer: which stream carries it, dialing, the outbox
 * and its retries, receipts, chat states. State changes run in the peer's own {@link SerialLane};
 * stanzas arrive on the stream's reader thread and touch only thread-safe parts.
 */
final class PeerSession {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);
    private static final Set<DeliveryState> SENDABLE = EnumSet.of(DeliveryState.QUEUED);
    private static final Set<DeliveryState> UNDELIVERED =
            EnumSet.of(DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.FAILED);
    private static final Set<DeliveryState> IN_FLIGHT = EnumSet.of(DeliveryState.QUEUED, DeliveryState.SENT);
    /** Stream errors that say what we sent was at fault: sending it again would fail again. */
    private static final Set<String> BLAMES_OUR_STANZAS = Set.of("policy-violation", "not-well-formed",
            "restricted-xml", "invalid-xml", "bad-format", "unsupported-stanza-type", "invalid-namespace");

    final PeerId peer;
    private final SessionManager owner;
    private final SerialLane lane;
    /** Receipts and IQ answers: never written on a reader thread, never behind a dial. */
    private final SerialLane replies;
    private final Backoff backoff;

    // Lane only.
    private XmlStream current;
    private final Set<XmlStream> established = new LinkedHashSet<>();
    private ScheduledFuture<?> retry;
    private boolean dialing;
    /** Hand-typed stanzas waiting for the stream being dialed (lane only). */
    private final List<Map.Entry<org.jivesoftware.smack.packet.Stanza, CompletableFuture<Void>>> pendingRaw =
            new java.util.ArrayList<>();

    // Any thread.
    private final Object stateOrder = new Object();
    private final Map<String, XmlStream> awaitingReceipt = new ConcurrentHashMap<>();
    private final Map<XmlStream, Long> lastActivity = new ConcurrentHashMap<>();
    private final Set<String> blockedByKey = ConcurrentHashMap.newKeySet();
    private volatile boolean peerSendsReceipts;
    private volatile boolean peerKnowsChatStates;
    private volatile boolean featuresKnown;
    private volatile LinkSecurity link = LinkSecurity.NONE;

    PeerSession(SessionManager owner, PeerId peer) {
        this.owner = owner;
        this.peer = peer;
        this.lane = new SerialLane(owner.workers(), peer.name());
        this.replies = new SerialLane(owner.workers(), peer.name() + " (replies)");
        this.backoff = new Backoff(owner.config().firstRetry(), owner.config().maxRetry());
    }

    LinkSecurity link() {
        return link;
    }

    // ---- what the user does -----------------------------------------------------------------------

    /**
     * Stores the message at once on the store thread (in the order the user sent them), so that it is
     * safe and visible even while the peer's lane is busy dialing; then the lane sends it.
     */
    CompletableFuture<ChatMessage> send(String body) {
        CompletableFuture<ChatMessage> stored = new CompletableFuture<>();
        try {
            owner.store().execute(() -> {
                ChatMessage message = ChatMessage.outgoing(peer, newId(), body, Instant.now());
                try {
                    owner.history().append(message);
                } catch (IOException e) {
                    stored.completeExceptionally(e);
                    owner.notice(e.getMessage());
                    return;
                }
                stored.complete(message);
                owner.emit(new ChatEvent.MessageAdded(message));
                lane.execute(this::flush);
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            stored.completeExceptionally(new IOException("Pronto is shutting down; the message was not stored"));
        }
        return stored;
    }

    CompletableFuture<ChatMessage> retry(String id) {
        CompletableFuture<ChatMessage> requeued = new CompletableFuture<>();
        lane.execute(() -> {
            try {
                Optional<ChatMessage> message;
                synchronized (stateOrder) {
                    message = owner.history().transition(peer, id, EnumSet.of(DeliveryState.FAILED),
                            DeliveryState.QUEUED, null);
                    message.ifPresent(changed -> owner.emit(new ChatEvent.MessageUpdated(changed)));
                }
                if (message.isEmpty()) {
                    requeued.completeExceptionally(new IllegalArgumentException(
                            "no failed message " + id + " to " + peer));
                    return;
                }
                blockedByKey.remove(id);
                requeued.complete(message.get());
                backoff.reset();
                flush();
            } catch (IOException e) {
                requeued.completeExceptionally(e);
            }
        });
        return requeued;
    }

    /** After the user accepted the peer's new key: what failed because of the old one goes out now. */
    void keyAccepted() {
        for (String id : List.copyOf(blockedByKey)) {
            retry(id);
        }
    }

    /** Sends a checked, hand-typed stanza (debug console) over the open stream or one it opens. */
    CompletableFuture<Void> sendRaw(org.jivesoftware.smack.packet.Stanza stanza) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lane.execute(() -> {
            pendingRaw.add(Map.entry(stanza, done));
            if (usableStream() != null) {
                sendPendingRaw();
            } else {
                startDial();
                if (!dialing) {
                    failPendingRaw(peer + " is not on the network");
                }
            }
        });
        return done;
    }

    private void sendPendingRaw() {
        XmlStream stream = usableStream();
        if (stream == null) {
            return;
        }
        for (Map.Entry<org.jivesoftware.smack.packet.Stanza, CompletableFuture<Void>> entry : List.copyOf(pendingRaw)) {
            org.jivesoftware.smack.packet.Stanza stanza = entry.getKey();
            if (stanza.getTo() == null) {
                stanza.setTo(ChatStanzas.jid(peer));
            }
            if (stanza.getFrom() == null) {
                stanza.setFrom(ChatStanzas.jid(us(stream)));
            }
            if (trySend(stream, stanza)) {
                entry.getValue().complete(null);
            } else {
                entry.getValue().completeExceptionally(new IOException("the stream to " + peer + " closed"));
            }
        }
        pendingRaw.clear();
    }

    private void failPendingRaw(String why) {
        pendingRaw.forEach(entry -> entry.getValue().completeExceptionally(new IOException("not sent: " + why)));
        pendingRaw.clear();
    }

    void setTyping(TypingState state) {
        lane.execute(() -> {
            XmlStream stream = usableStream();
            if (stream == null || !peerKnowsChatStates || link == LinkSecurity.LEGACY) {
                return;
            }
            trySend(stream, ChatStanzas.typing(us(stream), peer, newId(), state));
        });
    }

    /** Presence saw the peer (again): anything waiting goes out now. */
    void peerAppeared() {
        lane.execute(() -> {
            backoff.reset();
            flush();
        });
    }

    // ---- sending ----------------------------------------------------------------------------------

    /** Sends the peer's outbox, oldest first, over the open stream or one it opens. Lane only. */
    void flush() {
        cancelRetry();
        List<StoredMessage> queued;
        try {
            queued = owner.history().outbox(peer);
        } catch (IOException e) {
            owner.notice(e.getMessage());
            return;
        }
        if (queued.isEmpty()) {
            return;
        }
        XmlStream stream = usableStream();
        if (stream == null) {
            startDial(); // flush runs again once a stream is there
            return;
        }
        for (StoredMessage stored : queued) {
            if (!deliver(stream, stored.message())) {
                scheduleRetry("the stream closed while sending", owner.config().firstRetry());
                return;
            }
        }
        backoff.reset();
    }

    private boolean deliver(XmlStream stream, ChatMessage message) {
        Message stanza = ChatStanzas.chat(us(stream), peer, message.id(), message.body());
        // Registered before the write: on loopback the receipt can overtake our own bookkeeping.
        // Legacy peers never acknowledge: nothing to wait for.
        boolean acknowledged = linkOf(stream) != LinkSecurity.LEGACY;
        if (acknowledged) {
            awaitingReceipt.put(message.id(), stream);
        }
        if (!trySend(stream, stanza)) {
            awaitingReceipt.remove(message.id());
            return false;
        }
        updateState(message.id(), SENDABLE, DeliveryState.SENT, null);
        return true;
    }

    private boolean trySend(XmlStream stream, org.jivesoftware.smack.packet.Stanza stanza) {
        try {
            stream.send(stanza);
            touch(stream);
            return true;
        } catch (IOException e) {
            LOG.debug("sending to {} failed: {}", peer, e.getMessage());
            return false;
        }
    }

    private XmlStream usableStream() {
        if (current != null && current.isOpen()) {
            return current;
        }
        for (XmlStream stream : established) {
            if (stream.isOpen()) {
                current = stream;
                return stream;
            }
        }
        return null;
    }

    /** The outcome of one dial: a stream, or why not (and whether trying again could help). */
    private record Dialed(XmlStream stream, StreamInfo info, StreamEnd refusal, String problem) {
    }

    /**
     * Opens a stream without holding the lane or a worker: the blocking part (connect, negotiate) runs
     * on the session's small dialing pool, and the outcome comes back into the lane. Lane only.
     */
    private void startDial() {
        if (dialing) {
            return;
        }
        Optional<PeerAdvert> advert = owner.presence().peer(peer);
        if (advert.isEmpty() || advert.get().addresses().isEmpty()) {
            owner.emit(new ChatEvent.Unreachable(peer, peer + " is not on the network; the message waits until it is",
                    Optional.empty()));
            return;
        }
        dialing = true;
        attempt(advert.get(), 0, "no address answered");
    }

    /**
     * Tries address {@code index}: only the TCP connect (bounded by the connect timeout) holds a
     * dialing thread; the negotiation is awaited by callback, so a peer that accepts and then says
     * nothing holds no thread at all. The outcome goes back into the lane.
     */
    private void attempt(PeerAdvert advert, int index, String lastProblem) {
        if (index >= advert.addresses().size()) {
            lane.execute(() -> dialed(new Dialed(null, null, null, lastProblem)));
            return;
        }
        try {
            owner.dialers().execute(() -> connect(advert, index));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            lane.execute(() -> dialed(new Dialed(null, null, null, "shutting down")));
        }
    }

    private void connect(PeerAdvert advert, int index) {
        InetAddress address = advert.addresses().get(index);
        XmlStream stream;
        try {
            stream = owner.engine().open(new InetSocketAddress(address, advert.port()), peer.name());
        } catch (IOException e) {
            attempt(advert, index + 1, "cannot connect to " + address.getHostAddress() + ":" + advert.port() + " ("
                    + e.getMessage() + ")");
            return;
        }
        stream.established().orTimeout(owner.config().dialTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((info, error) -> {
                    if (error == null) {
                        lane.execute(() -> dialed(new Dialed(stream, info, null, null)));
                        return;
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                    if (cause instanceof TimeoutException) {
                        stream.close();
                        attempt(advert, index + 1, "no answer within " + owner.config().dialTimeout().toSeconds() + " s");
                        return;
                    }
                    StreamEnd end = cause instanceof StreamEndedException ended ? ended.end()
                            : new StreamEnd.Aborted(String.valueOf(cause));
                    if (isPermanent(end)) {
                        lane.execute(() -> dialed(new Dialed(null, null, end, null)));
                    } else {
                        attempt(advert, index + 1, end.describe());
                    }
                });
    }

    /** Back in the lane with a dial's outcome. */
    private void dialed(Dialed outcome) {
        dialing = false;
        if (outcome.stream() != null) {
            adopt(outcome.stream(), outcome.info());
            sendPendingRaw();
            flush();
        } else if (outcome.refusal() != null) {
            failPendingRaw(outcome.refusal().describe());
            failOutbox(outcome.refusal());
        } else if (usableStream() == null) {
            failPendingRaw(outcome.problem());
            scheduleRetry(outcome.problem(), backoff.next());
        } else {
            sendPendingRaw();
            flush(); // the peer dialed us meanwhile
        }
    }

    /** A changed key, or a peer that cannot encrypt while we require it: retrying will not help. */
    private static boolean isPermanent(StreamEnd end) {
        return end instanceof StreamEnd.KeyChanged
                || end instanceof StreamEnd.ErrorSent sent && sent.condition().equals("policy-violation");
    }

    private void failOutbox(StreamEnd end) {
        String reason = end instanceof StreamEnd.KeyChanged
                ? peer + " presented a different key than before: not sent. Compare the fingerprints and accept"
                        + " the new key only if you trust it."
                : "not sent: " + end.describe();
        if (end instanceof StreamEnd.KeyChanged changed) {
            owner.keyChanged(peer, changed);
        }
        try {
            for (StoredMessage stored : owner.history().outbox(peer)) {
                if (end instanceof StreamEnd.KeyChanged) {
                    blockedByKey.add(stored.message().id());
                }
                updateState(stored.message().id(), SENDABLE, DeliveryState.FAILED, reason);
            }
        } catch (IOException e) {
            owner.notice(e.getMessage());
        }
    }

    private void scheduleRetry(String reason, Duration wait) {
        cancelRetry();
        if (owner.presence().peer(peer).isEmpty()) {
            owner.emit(new ChatEvent.Unreachable(peer, reason, Optional.empty()));
            return;
        }
        owner.emit(new ChatEvent.Unreachable(peer, reason, Optional.of(wait)));
        retry = owner.schedule(() -> lane.execute(this::flush), wait);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    /**
     * Moves a message on and tells the front ends, under one lock: the lane (sent) and a reader thread
     * (delivered) race on loopback, and the events must arrive in the order the states were stored.
     */
    private void updateState(String id, Set<DeliveryState> from, DeliveryState to, String reason) {
        synchronized (stateOrder) {
            try {
                owner.history().transition(peer, id, from, to, reason)
                        .ifPresent(changed -> owner.emit(new ChatEvent.MessageUpdated(changed)));
            } catch (IOException e) {
                owner.notice(e.getMessage());
            }
        }
    }

    // ---- streams ----------------------------------------------------------------------------------

    /** A stream with the peer is ready (we dialed it, or it dialed us). Lane only; idempotent. */
    private void adopt(XmlStream stream, StreamInfo info) {
        if (!stream.isOpen() || !established.add(stream)) {
            return;
        }
        touch(stream);
        XmlStream using = usableStream();
        if (using != stream && using != null) {
            boolean replace = BothDialRule.replaces(stream.localName(), peer.name(), using.role(), stream.role());
            XmlStream loser = replace ? using : stream;
            current = replace ? stream : using;
            LOG.debug("two streams with {}: keeping {}, closing {}", peer, current.id(), loser.id());
            loser.close();
        } else {
            current = stream;
        }
        link = linkOf(current);
        owner.contactChanged(peer);
        if (info.security() != StreamSecurity.LEGACY_PLAINTEXT && stream == current) {
            askFeatures(stream);
        }
    }

    void onEstablished(XmlStream stream, StreamInfo info) {
        lane.execute(() -> {
            adopt(stream, info);
            sendPendingRaw();
            flush();
        });
    }

    void onEnded(XmlStream stream, StreamEnd end) {
        lane.execute(() -> ended(stream, end));
    }

    private void ended(XmlStream stream, StreamEnd end) {
        established.remove(stream);
        lastActivity.remove(stream);
        if (current == stream) {
            current = null;
        }
        XmlStream next = usableStream();
        link = next == null ? LinkSecurity.NONE : linkOf(next);
        requeueUnacknowledged(stream, end);
        if (end instanceof StreamEnd.KeyChanged changed && stream.role() == chat.pronto.stream.Role.RECIPIENT) {
            // (When we dialed, dial() has reported it already.)
            owner.keyChanged(peer, changed);
        }
        if (next == null && end instanceof StreamEnd.ConnectionLost) {
            // A stream that dies without a close is the fastest news that the peer is gone.
            owner.presence().markGone(peer);
        }
        owner.contactChanged(peer);
        if (next == null) {
            try {
                if (!owner.history().outbox(peer).isEmpty()) {
                    scheduleRetry("the stream ended: " + end.describe(), owner.config().firstRetry());
                }
            } catch (IOException e) {
                owner.notice(e.getMessage());
            }
        }
    }

    /**
     * Messages written to a stream that then broke, with no receipt yet, go back to the outbox when
     * the peer sends receipts (a receipt will tell whether it arrived; the peer drops a duplicate).
     * After a clean close the peer has read everything we wrote, so nothing goes back.
     */
    private void requeueUnacknowledged(XmlStream stream, StreamEnd end) {
        List<String> unacknowledged = Map.copyOf(awaitingReceipt).entrySet().stream()
                .filter(entry -> entry.getValue() == stream).map(Map.Entry::getKey).toList();
        unacknowledged.forEach(awaitingReceipt::remove);
        if (unacknowledged.isEmpty()) {
            return;
        }
        if (end instanceof StreamEnd.ErrorReceived error && BLAMES_OUR_STANZAS.contains(error.condition())) {
            // The peer threw the stream away right after our messages: sending them again would only
            // repeat that. They fail, with the peer's words; the user can retry.
            for (String id : unacknowledged) {
                updateState(id, EnumSet.of(DeliveryState.SENT), DeliveryState.FAILED,
                        "the peer ended the stream: " + error.describe().replaceFirst("^the peer sent ", ""));
            }
        } else if (end instanceof StreamEnd.Closed) {
            // The receipt may still come over another stream (both dialed at once): give it time.
            owner.schedule(() -> lane.execute(() -> requeue(unacknowledged)), owner.config().iqTimeout());
        } else {
            requeue(unacknowledged);
        }
    }

    private void requeue(List<String> ids) {
        if (featuresKnown && !peerSendsReceipts) {
            // It told us it sends no receipts: sending again would show the message twice.
            return;
        }
        boolean any = false;
        for (String id : ids) {
            try {
                Optional<ChatMessage> back;
                synchronized (stateOrder) {
                    back = owner.history().transition(peer, id, EnumSet.of(DeliveryState.SENT),
                            DeliveryState.QUEUED, null);
                    back.ifPresent(message -> owner.emit(new ChatEvent.MessageUpdated(message)));
                }
                any |= back.isPresent();
            } catch (IOException e) {
                owner.notice(e.getMessage());
            }
        }
        if (any) {
            flush();
        }
    }

    /** Closes streams nobody used for the idle timeout (the next message opens a new one). */
    void closeIdle(long now, long idleNanos) {
        lane.execute(() -> {
            for (XmlStream stream : List.copyOf(established)) {
                Long last = lastActivity.get(stream);
                boolean waiting = peerSendsReceipts && awaitingReceipt.containsValue(stream);
                if (last != null && now - last > idleNanos && !waiting) {
                    LOG.debug("closing the idle stream {} with {}", stream.id(), peer);
                    stream.close();
                }
            }
        });
    }

    private void touch(XmlStream stream) {
        lastActivity.put(stream, System.nanoTime());
    }

    private static LinkSecurity linkOf(XmlStream stream) {
        return stream.info().map(info -> switch (info.security()) {
            case TLS, TLS_AUTHENTICATED -> LinkSecurity.ENCRYPTED;
            case PLAINTEXT -> LinkSecurity.UNENCRYPTED;
            case LEGACY_PLAINTEXT -> LinkSecurity.LEGACY;
        }).orElse(LinkSecurity.NONE);
    }

    // ---- what arrives (reader thread of the stream) -------------------------------------------------

    void onMessage(XmlStream stream, Message message) {
        touch(stream);
        if (message.getType() == Message.Type.error) {
            refused(message);
            return;
        }
        ChatStanzas.receiptFor(message).ifPresent(this::delivered);
        Optional<TypingState> typing = ChatStanzas.typing(message);
        if (ChatStanzas.hasChatState(message)) {
            peerKnowsChatStates = true;
        }
        Optional<String> text = ChatStanzas.text(message);
        if (text.isPresent()) {
            received(stream, message, text.get());
        }
        typing.or(() -> text.map(body -> TypingState.ACTIVE))
                .ifPresent(state -> owner.emit(new ChatEvent.Typing(peer, state)));
    }

    private void received(XmlStream stream, Message message, String body) {
        String id = message.getStanzaId();
        ChatMessage incoming = ChatMessage.incoming(peer, id != null ? id : "none-" + UUID.randomUUID(), body,
                Instant.now());
        try {
            if (owner.history().append(incoming)) {
                owner.emit(new ChatEvent.MessageAdded(incoming));
            } else if (!owner.history().sameIncoming(peer, incoming.id(), body)) {
                // The id was used before for other words (a client whose ids restart): a new message.
                ChatMessage distinct = ChatMessage.incoming(peer, incoming.id() + "~" + UUID.randomUUID(), body,
                        incoming.at());
                owner.history().append(distinct);
                owner.emit(new ChatEvent.MessageAdded(distinct));
            }
        } catch (IOException e) {
            // Not stored, so no receipt: the sender keeps it and retries; the user hears why.
            owner.notice("A message from " + peer + " could not be saved: " + e.getMessage());
            return;
        }
        if (id != null && ChatStanzas.wantsReceipt(message)) {
            Message receipt = ChatStanzas.receipt(us(stream), peer, newId(), id);
            replies.execute(() -> reply(stream, receipt));
        }
    }

    /**
     * Writes a receipt or an IQ answer on the stream the request came on, or, when that one is
     * closing (the loser of a both-dial), on the one we keep.
     */
    private void reply(XmlStream stream, org.jivesoftware.smack.packet.Stanza answer) {
        if (trySend(stream, answer)) {
            return;
        }
        lane.execute(() -> {
            XmlStream other = usableStream();
            if (other != null) {
                trySend(other, answer);
            }
        });
    }

    private void delivered(String id) {
        peerSendsReceipts = true;
        awaitingReceipt.remove(id);
        updateState(id, UNDELIVERED, DeliveryState.DELIVERED, null);
    }

    /** The peer answered one of our messages with an error: that message failed, with the peer's reason. */
    private void refused(Message error) {
        String id = error.getStanzaId();
        if (id == null) {
            return;
        }
        awaitingReceipt.remove(id);
        StanzaError detail = error.getError();
        String reason = "refused by " + peer + (detail == null ? "" : ": " + detail.getCondition()
                + (detail.getDescriptiveText() == null ? "" : " (" + detail.getDescriptiveText() + ")"));
        updateState(id, IN_FLIGHT, DeliveryState.FAILED, reason);
    }

    void onIq(XmlStream stream, IQ iq) {
        touch(stream);
        if (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set) {
            IQ answer = IqResponder.answer(iq);
            answer.setFrom(ChatStanzas.jid(us(stream)));
            answer.setTo(ChatStanzas.jid(peer));
            replies.execute(() -> reply(stream, answer));
        } else if (iq instanceof DiscoverInfo info && iq.getType() == IQ.Type.result) {
            if (info.containsFeature("urn:xmpp:receipts")) {
                peerSendsReceipts = true;
            }
            if (info.containsFeature("http://jabber.org/protocol/chatstates")) {
                peerKnowsChatStates = true;
            }
            featuresKnown = true;
        }
    }

    /** Asks a 1.0 peer what it supports (never a legacy one: Pidgin does not answer IQs). */
    private void askFeatures(XmlStream stream) {
        DiscoverInfo request = DiscoverInfo.builder(newId())
                .ofType(IQ.Type.get)
                .from(ChatStanzas.jid(us(stream)))
                .to(ChatStanzas.jid(peer))
                .build();
        trySend(stream, request);
    }

    /** Who we are on {@code stream}: the name it was opened under. */
    private static PeerId us(XmlStream stream) {
        return PeerId.of(stream.localName());
    }

    private static String newId() {
        return "pronto-" + UUID.randomUUID();
    }
}
