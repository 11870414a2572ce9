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
 * for longer than the receipt time, gets an XEP-0199 ping; anything heard after it is the answer;
 * nothing within the ping timeout ends the stream with {@code connection-timeout} (its messages go
 * back to the queue, the peer is marked offline). Legacy peers never answer IQs: TCP keepalive
 * watches those. {@link #heard} on any thread; {@link #check} in the peer's lane.
 */
final class LinkWatch {
    private static final Logger LOG = LoggerFactory.getLogger(LinkWatch.class);

    private final PeerId peer;
    private final SessionConfig.Watch times;
    private final PeerStreams streams;
    private final Map<StanzaStream, Long> lastHeard = new ConcurrentHashMap<>();
    private final Map<StanzaStream, Long> pinged = new ConcurrentHashMap<>();
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

    void ended(StanzaStream stream) {
        lastHeard.remove(stream);
        pinged.remove(stream);
    }

    /**
     * Pings what needs it, ends what did not answer in time.
     *
     * @param oldestUnacknowledged when the oldest message still owed a receipt on a stream was written
     *                             ({@code Long.MAX_VALUE}: none)
     * @param answered             told of a stream that answered a ping, and the time before which a
     *                             message written to it and still unacknowledged is in doubt (it was
     *                             owed for the whole receipt time when the ping went out)
     */
    void check(ToLongFunction<StanzaStream> oldestUnacknowledged, BiConsumer<StanzaStream, Long> answered) {
        long now = ticker.getAsLong();
        for (StanzaStream stream : streams.open()) {
            if (PeerStreams.linkOf(stream) == LinkSecurity.LEGACY) {
                continue;
            }
            long heard = lastHeard.computeIfAbsent(stream, first -> now);
            Long ping = pinged.get(stream);
            if (ping != null) {
                if (heard - ping >= 0) {
                    pinged.remove(stream);
                    answered.accept(stream, ping - times.receiptTimeout().toNanos());
                } else if (now - ping > times.pingTimeout().toNanos()) {
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
                pinged.put(stream, now);
                streams.send(stream, ping(stream));
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
