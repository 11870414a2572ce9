package chat.pronto.session;

import java.io.IOException;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.jivesoftware.smack.packet.Presence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.XmlStream;

/**
 * The streams of peers reached by address: each that opens makes its peer online in
 * {@link DirectPeers} and gets our presence at once; theirs is read into it; each that ends may
 * take the peer offline. Our status changes go to every such stream that is open.
 */
final class DirectLinks implements StreamRouter.Direct {
    private static final Logger LOG = LoggerFactory.getLogger(DirectLinks.class);

    private final DirectPeers direct;
    private final Supplier<OwnPresence> own;
    private final IntSupplier port;
    private volatile StreamEngine engine;

    DirectLinks(DirectPeers direct, Supplier<OwnPresence> own, IntSupplier port) {
        this.direct = direct;
        this.own = own;
        this.port = port;
    }

    /** The engine whose streams get our status changes (it is made after the router that calls us). */
    void use(StreamEngine streams) {
        this.engine = streams;
    }

    @Override
    public void established(XmlStream stream, StreamInfo info) {
        PeerId peer = PeerId.of(info.peer());
        if (direct.established(peer, info.streamId(), info.remoteAddress())) {
            tell(stream, peer, own.get());
        }
    }

    @Override
    public void ended(XmlStream stream) {
        stream.info().ifPresent(info -> direct.ended(PeerId.of(info.peer()), info.streamId()));
    }

    @Override
    public void presence(PeerId peer, Presence presence) {
        if (direct.isOnline(peer)) { // only peers reached by address say who they are this way
            direct.said(peer, StreamPresence.read(presence));
        }
    }

    /** Our status changed: every direct peer with an open stream hears it. */
    void broadcast(OwnPresence now) {
        StreamEngine streams = engine;
        if (streams == null) {
            return;
        }
        for (XmlStream stream : streams.streams()) {
            stream.peer().map(PeerId::of).filter(direct::isOnline).filter(peer -> stream.isOpen())
                    .ifPresent(peer -> tell(stream, peer, now));
        }
    }

    private void tell(XmlStream stream, PeerId peer, OwnPresence now) {
        try {
            stream.send(StreamPresence.of(PeerId.of(stream.localName()), peer, now, port.getAsInt()));
        } catch (IOException e) {
            LOG.debug("our presence did not go to {}: {}", peer, e.getMessage());
        }
    }
}
