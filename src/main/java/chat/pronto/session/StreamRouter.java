package chat.pronto.session;

import java.util.Optional;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.PeerId;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamListener;
import chat.pronto.stream.XmlStream;

/**
 * Hands what happens on streams to the peer's session, on the streams' reader threads. A stanza
 * that claims another sender than the stream's peer ends the stream: nobody speaks as someone else.
 */
final class StreamRouter implements StreamListener {
    private static final Logger LOG = LoggerFactory.getLogger(StreamRouter.class);

    private final PeerSessions sessions;
    private final Watcher watcher;
    private final Direct direct;

    /** Told of every stream that opens and ends, and of presence over streams (peers reached by address). */
    interface Direct {
        void established(XmlStream stream, StreamInfo info);

        void ended(XmlStream stream);

        void presence(PeerId peer, org.jivesoftware.smack.packet.Presence presence);

        Direct NONE = new Direct() {
            @Override
            public void established(XmlStream stream, StreamInfo info) {
            }

            @Override
            public void ended(XmlStream stream) {
            }

            @Override
            public void presence(PeerId peer, org.jivesoftware.smack.packet.Presence presence) {
            }
        };
    }

    /** Told of every stream that opens (after its session took it) and of every one that ends. */
    interface Watcher {
        void established(PeerId peer);

        void ended(PeerId peer);
    }

    StreamRouter(PeerSessions sessions) {
        this(sessions, new Watcher() {
            @Override
            public void established(PeerId peer) {
            }

            @Override
            public void ended(PeerId peer) {
            }
        });
    }

    StreamRouter(PeerSessions sessions, Watcher watcher) {
        this(sessions, watcher, Direct.NONE);
    }

    StreamRouter(PeerSessions sessions, Watcher watcher, Direct direct) {
        this.sessions = sessions;
        this.watcher = watcher;
        this.direct = direct;
    }

    @Override
    public void onEstablished(XmlStream stream, StreamInfo info) {
        sessions.of(PeerId.of(info.peer())).onEstablished(stream, info);
        direct.established(stream, info);
        watcher.established(PeerId.of(info.peer()));
    }

    @Override
    public void onStanza(XmlStream stream, Stanza stanza) {
        String peer = stream.peer().orElseThrow();
        if (!fromIsPeer(stanza, peer)) {
            stream.fail(Condition.invalid_from, "a stanza from " + stanza.getFrom() + " on the stream of " + peer);
            return;
        }
        PeerSession session = sessions.of(PeerId.of(peer));
        if (stanza instanceof Message message) {
            session.onMessage(stream, message);
        } else if (stanza instanceof IQ iq) {
            session.onIq(stream, iq);
        } else {
            session.onPresence(stream);
            if (stanza instanceof org.jivesoftware.smack.packet.Presence presence) {
                direct.presence(PeerId.of(peer), presence);
            }
        }
    }

    @Override
    public void onStanzaDropped(XmlStream stream, String reason) {
        LOG.info("dropped a stanza from {}: {}", stream.peer().orElse("?"), reason);
    }

    @Override
    public void onEnded(XmlStream stream, StreamEnd end) {
        Optional<String> peer = stream.peer();
        if (peer.isPresent() && (stream.info().isPresent() || end instanceof StreamEnd.KeyChanged)) {
            sessions.of(PeerId.of(peer.get())).onEnded(stream, end);
            direct.ended(stream);
            watcher.ended(PeerId.of(peer.get()));
        }
    }

    /** A stanza's {@code from}, when present, must be the stream's peer (compared as JIDs: jxmpp lowercases). */
    static boolean fromIsPeer(Stanza stanza, String peer) {
        Jid from = stanza.getFrom();
        if (from == null) {
            return true;
        }
        Jid expected = ChatStanzas.jid(PeerId.of(peer));
        return expected != null ? expected.equals(from.asBareJid()) : from.toString().equalsIgnoreCase(peer);
    }
}
