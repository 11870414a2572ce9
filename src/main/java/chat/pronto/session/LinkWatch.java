package chat.pronto.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.stream.StanzaStream;

/**
 * Notices a peer that fell silent. A cut cable or a machine that froze sends no FIN: its stream
 * looks open for as long as nobody writes, and what we wrote into it is lost without a word. A
 * stream of a 1.0 peer that we heard nothing on for the keepalive time, or that owes us a receipt
 * for longer than the receipt time, gets an XEP-0199 ping. Hearing nothing at all within the ping
 * timeout ends the stream with {@code connection-timeout} (its messages go back to the queue, the
 * peer is marked offline); anything heard shows the peer is there and restarts that wait. Only the
 * answer to the ping itself says the peer has read everything we wrote before it (a stream is in
 * order): what is still unacknowledged then was lost on its side and goes out again. (Taking any
 * stanza as the answer resent thousands of messages to a peer that was merely slow to acknowledge
 * them, over and over — the long soak, under load.) Legacy peers never answer IQs: TCP keepalive
 * watches those. {@link #heard} and {@link #answered} on any thread; {@link #check} in the peer's lane.
 */
final class LinkWatch {
    private static final Logger LOG = LoggerFactory.getLogger(LinkWatch.class);

    private final PeerId peer;
    private final SessionConfig.Watch times;
    private final PeerStreams streams;
    private final Map<StanzaStream, Long> lastHeard = new ConcurrentHashMap<>();
    private final Map<StanzaStream, Sent> pinged = new ConcurrentHashMap<>();
    /** Streams whose ping was answered (its id), not yet acted on by {@link #check}. */
    private final Map<StanzaStream, String> pongs = new ConcurrentHashMap<>();

    /** A ping: when it was handed to the stream, and its id. */
    private record Sent(long at, String id) {
    }
    private final LongSupplier ticker;

    LinkWatch(PeerId peer, SessionConfig.Watch times, PeerStreams streams, LongSupplier ticker) {
        this.peer = peer;
        this.times = times;
        this.streams = streams;
        this.ticker = ticker;
    }

    /** A stanza arrived on {@code stream}: the peer is there. */
    void heard(StanzaStream stream) {
        lastHeard.put(stream, ticker.getAsLong());
    }

    /**
     * An IQ answer (result or error) arrived: if it answers one of our pings, the peer has read that
     * stream up to the ping. (It may come back on another stream than the ping went out on: a peer
     * answers on the stream it keeps when both dialed.)
     */
    void answered(IQ answer) {
        if (answer.getType() != IQ.Type.result && answer.getType() != IQ.Type.error) {
            return;
        }
        pinged.forEach((stream, ping) -> {
            if (ping.id().equals(answer.getStanzaId())) {
                pongs.put(stream, ping.id());
            }
        });
    }

    void ended(StanzaStream stream) {
        lastHeard.remove(stream);
        pinged.remove(stream);
        pongs.remove(stream);
    }

    /**
     * Pings what needs it, ends what did not answer in time.
     *
     * @param oldestUnacknowledged when the oldest message still owed a receipt on a stream was written
     *                             ({@code Long.MAX_VALUE}: none)
     * @param answered             told of a stream that answered a ping, and when the ping was written:
     *                             a message written before it and still unacknowledged was read by the
     *                             peer and not kept
     */
    void check(ToLongFunction<StanzaStream> oldestUnacknowledged, BiConsumer<StanzaStream, Long> answered) {
        long now = ticker.getAsLong();
        for (StanzaStream stream : streams.open()) {
            if (PeerStreams.linkOf(stream) == LinkSecurity.LEGACY) {
                continue;
            }
            long heard = lastHeard.computeIfAbsent(stream, first -> now);
            Sent ping = pinged.get(stream);
            if (ping != null) {
                long lastSign = heard - ping.at() >= 0 ? heard : ping.at();
                if (ping.id().equals(pongs.get(stream))) {
                    pinged.remove(stream);
                    pongs.remove(stream);
                    answered.accept(stream, ping.at());
                } else if (now - lastSign > times.pingTimeout().toNanos()) {
                    pinged.remove(stream);
                    LOG.info("{} did not answer a ping within {} s: ending stream {}", peer,
                            times.pingTimeout().toSeconds(), stream.id());
                    stream.fail(Condition.connection_timeout, "no answer to a ping within "
                            + times.pingTimeout().toMillis() + " ms");
                }
                continue;
            }
            boolean quiet = now - heard > times.keepalive().toNanos();
            long oldest = oldestUnacknowledged.applyAsLong(stream);
            boolean owed = oldest != Long.MAX_VALUE && now - oldest > times.receiptTimeout().toNanos();
            if (quiet || owed) {
                Ping question = ping(stream);
                pinged.put(stream, new Sent(now, question.getStanzaId()));
                streams.send(stream, question);
            }
        }
    }

    private Ping ping(StanzaStream stream) {
        Ping ping = new Ping(ChatStanzas.jid(peer));
        ping.setStanzaId(Outbox.newId());
        ping.setType(IQ.Type.get);
        ping.setFrom(ChatStanzas.jid(PeerId.of(stream.localName())));
        return ping;
    }

    /** For tests: the streams with a ping out. */
    List<StanzaStream> waitingForAnswers() {
        return List.copyOf(pinged.keySet());
    }
}
