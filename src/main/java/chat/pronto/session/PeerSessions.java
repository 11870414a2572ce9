package chat.pronto.session;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import chat.pronto.model.PeerId;

/** One {@link PeerSession} per peer, made the first time anything concerns that peer. */
final class PeerSessions {
    private final Map<PeerId, PeerSession> sessions = new ConcurrentHashMap<>();
    private final Function<PeerId, PeerSession> make;

    PeerSessions(Function<PeerId, PeerSession> make) {
        this.make = make;
    }

    PeerSession of(PeerId peer) {
        return sessions.computeIfAbsent(peer, make);
    }

    Optional<PeerSession> existing(PeerId peer) {
        return Optional.ofNullable(sessions.get(peer));
    }

    Collection<PeerSession> all() {
        return List.copyOf(sessions.values());
    }
}
