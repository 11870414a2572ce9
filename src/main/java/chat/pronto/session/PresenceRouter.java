package chat.pronto.session;

import java.util.function.Consumer;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.Problem.Kind;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceDiagnostic;
import chat.pronto.presence.PresenceListener;

/** Hands what presence sees to the sessions and the front ends, on presence's event thread. */
final class PresenceRouter implements PresenceListener {
    private final PeerSessions sessions;
    private final SessionEvents events;
    private final Consumer<PeerId> renamed;
    private final Consumer<PeerAdvert> adverts;

    PresenceRouter(PeerSessions sessions, SessionEvents events, Consumer<PeerId> renamed) {
        this(sessions, events, renamed, advert -> { });
    }

    /** @param adverts told of every advert that appeared or changed (after the front ends), quickly */
    PresenceRouter(PeerSessions sessions, SessionEvents events, Consumer<PeerId> renamed, Consumer<PeerAdvert> adverts) {
        this.sessions = sessions;
        this.events = events;
        this.renamed = renamed;
        this.adverts = adverts;
    }

    @Override
    public void onPeerEvent(PeerEvent event) {
        events.linkChanged(event.id());
        // Only peers we have a session with can have something waiting (a send makes the session, and
        // so does the start for every peer with queued messages): a flood of made-up names makes none.
        if (event instanceof PeerEvent.Appeared || event instanceof PeerEvent.Updated) {
            sessions.existing(event.id()).ifPresent(PeerSession::peerAppeared);
        }
        if (event instanceof PeerEvent.Appeared appeared) {
            adverts.accept(appeared.advert());
        } else if (event instanceof PeerEvent.Updated updated) {
            adverts.accept(updated.advert());
        }
    }

    @Override
    public void onRenamed(PeerId newName) {
        renamed.accept(newName);
        events.emit(new ChatEvent.Renamed(newName));
    }

    @Override
    public void onDiagnostic(PresenceDiagnostic diagnostic) {
        events.notice(problem(diagnostic));
    }

    static Problem problem(PresenceDiagnostic diagnostic) {
        if (diagnostic instanceof PresenceDiagnostic.NoPeersSeen none) {
            return Problem.of(Kind.NO_PEERS_SEEN, none.address(), none.seconds());
        }
        if (diagnostic instanceof PresenceDiagnostic.InterfaceFailed failed) {
            return Problem.of(Kind.INTERFACE_FAILED, failed.address(), failed.reason());
        }
        return Problem.of(Kind.NO_USABLE_INTERFACE);
    }
}
