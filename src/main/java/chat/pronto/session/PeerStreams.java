package chat.pronto.session;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.jivesoftware.smack.packet.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.stream.StanzaStream;
import chat.pronto.stream.StreamBusyException;

/**
 * The streams with one peer: which negotiated streams there are, which one carries the
 * conversation (the both-dial rule decides when there are two), when each was last used, and
 * closing the ones left idle. Changes happen in the peer's lane; {@link #send}, {@link #link} and
 * {@link #touch} work from any thread.
 */
final class PeerStreams {
    private static final Logger LOG = LoggerFactory.getLogger(PeerStreams.class);

    private final PeerId peer;

    // Lane only.
    private StanzaStream current;
    private final Set<StanzaStream> established = new LinkedHashSet<>();
    /** The stream that was in use until another replaced it, while its close is not answered yet. */
    private StanzaStream replaced;
    /** The stream in use, for readers (any thread). */
    private volatile StanzaStream inUse;
    /**
     * Open while another stream with the peer than the one in use is still being read out (the loser
     * of a both-dial, or the one it replaced): readers of the stream in use wait on it.
     */
    private volatile java.util.concurrent.CountDownLatch othersReadOut = new java.util.concurrent.CountDownLatch(0);

    // Any thread.
    private final Map<StanzaStream, Long> lastActivity = new ConcurrentHashMap<>();
    private volatile LinkSecurity link = LinkSecurity.NONE;

    PeerStreams(PeerId peer) {
        this.peer = peer;
    }

    /** How the conversation travels now (NONE: no stream open). */
    LinkSecurity link() {
        return link;
    }

    /** The open stream that carries the conversation, or null. Lane only. */
    StanzaStream usable() {
        if (current != null && current.isOpen()) {
            return current;
        }
        for (StanzaStream stream : established) {
            if (stream.isOpen()) {
                current = stream;
                inUse = stream;
                return stream;
            }
        }
        return null;
    }

    /**
     * Takes a negotiated stream (we dialed it, or the peer did). With two streams to the peer, the
     * both-dial rule picks the one both sides keep and the other is closed with the handshake.
     * Returns false when the stream is closed or known already. Lane only.
     */
    boolean adopt(StanzaStream stream) {
        if (!stream.isOpen() || !established.add(stream)) {
            return false;
        }
        touch(stream);
        StanzaStream using = usable();
        if (using != stream && using != null) {
            boolean replace = BothDialRule.replaces(stream.localName(), peer.name(), using.role(), stream.role());
            StanzaStream loser = replace ? using : stream;
            current = replace ? stream : using;
            if (replace) {
                replaced = using;
            }
            if (othersReadOut.getCount() == 0) {
                othersReadOut = new java.util.concurrent.CountDownLatch(1);
            }
            LOG.debug("two streams with {}: keeping {}, closing {}", peer, current.id(), loser.id());
            loser.close();
        } else {
            current = stream;
        }
        link = linkOf(current);
        inUse = current;
        return true;
    }

    /**
     * True while the stream that was in use before a replacement is still closing: the peer may still
     * be reading what we wrote to it, and reads its streams side by side, so anything written to the
     * new one now could overtake it. Lane only.
     */
    boolean switching() {
        return replaced != null;
    }

    /**
     * Holds a reader of the stream in use while another stream with the peer is still being read out
     * (the loser of a both-dial, or the stream the one in use replaced): the peer wrote to that one
     * first, if at all, and we read both side by side, so what comes on the stream in use could be
     * stored before what came earlier on the other. Bounded by {@code millis}. Any thread.
     */
    void awaitOlderStream(StanzaStream arrivingOn, long millis) {
        java.util.concurrent.CountDownLatch others = othersReadOut;
        if (others.getCount() == 0 || arrivingOn != inUse) {
            return;
        }
        try {
            others.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Negotiated streams that are closing (no longer open) but have not ended yet. Lane only. */
    List<StanzaStream> closing() {
        return established.stream().filter(stream -> !stream.isOpen()).toList();
    }

    /** Every negotiated stream that is still open (normally one). Lane only. */
    List<StanzaStream> open() {
        return established.stream().filter(StanzaStream::isOpen).toList();
    }

    /** Forgets a stream that ended; returns the one that carries the conversation now, or null. Lane only. */
    StanzaStream ended(StanzaStream stream) {
        if (stream == replaced) {
            replaced = null;
        }
        established.remove(stream);
        lastActivity.remove(stream);
        if (current == stream) {
            current = null;
        }
        StanzaStream next = usable();
        link = next == null ? LinkSecurity.NONE : linkOf(next);
        inUse = next;
        if (established.size() <= 1) {
            othersReadOut.countDown();
        }
        return next;
    }

    /** How handing a stanza to a stream went. */
    enum Sent {
        /** Queued for writing. */
        YES,
        /** Too much waits for a peer that is not reading: try again a little later. */
        BUSY,
        /** The stream is closed or broke (it ends, and says so). */
        NO
    }

    /** Hands a stanza to the stream; never waits for the peer. */
    Sent write(StanzaStream stream, Stanza stanza) {
        try {
            stream.send(stanza);
            touch(stream);
            return Sent.YES;
        } catch (StreamBusyException busy) {
            return Sent.BUSY;
        } catch (IOException e) {
            LOG.debug("sending to {} failed: {}", peer, e.getMessage());
            return Sent.NO;
        }
    }

    /** Hands a stanza to the stream; false when it could not take it. */
    boolean send(StanzaStream stream, Stanza stanza) {
        return write(stream, stanza) == Sent.YES;
    }

    void touch(StanzaStream stream) {
        lastActivity.put(stream, System.nanoTime());
    }

    /** Closes streams nobody used for {@code idleNanos}, except those {@code busy} says are still needed. Lane only. */
    void closeIdle(long now, long idleNanos, Predicate<StanzaStream> busy) {
        for (StanzaStream stream : List.copyOf(established)) {
            Long last = lastActivity.get(stream);
            if (last != null && now - last > idleNanos && !busy.test(stream)) {
                LOG.debug("closing the idle stream {} with {}", stream.id(), peer);
                stream.close();
            }
        }
    }

    static LinkSecurity linkOf(StanzaStream stream) {
        return stream.info().map(info -> switch (info.security()) {
            case TLS, TLS_AUTHENTICATED -> LinkSecurity.ENCRYPTED;
            case PLAINTEXT -> LinkSecurity.UNENCRYPTED;
            case LEGACY_PLAINTEXT -> LinkSecurity.LEGACY;
        }).orElse(LinkSecurity.NONE);
    }
}
