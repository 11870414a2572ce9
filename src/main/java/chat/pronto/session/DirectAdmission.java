package chat.pronto.session;

import java.io.IOException;
import java.util.function.Supplier;

import chat.pronto.history.History;
import chat.pronto.model.PeerId;
import chat.pronto.security.KnownPeers;

/**
 * Which peers that mDNS does not show may reach us, on condition that they encrypt: those whose
 * key is pinned (their key proves them), those saved by address, and strangers up to a bound — but
 * never a name we have talked with unencrypted before (an old Pidgin contact, say): nothing would
 * tell the real one from someone who claims its name while it is away, and its key, pinned on first
 * use now, would shut the real one out.
 */
final class DirectAdmission implements PresenceMatcher.Admission {
    private final KnownPeers knownPeers;
    private final DirectPeers direct;
    private final History history;
    private final Supplier<PeerId> self;

    DirectAdmission(KnownPeers knownPeers, DirectPeers direct, History history, Supplier<PeerId> self) {
        this.knownPeers = knownPeers;
        this.direct = direct;
        this.history = history;
        this.self = self;
    }

    @Override
    public boolean pinned(String name) {
        return knownPeers.pinned(name).isPresent();
    }

    @Override
    public String refusal(String name) {
        PeerId peer = PeerId.of(name);
        if (peer.equals(self.get())) {
            return name + " is our own name";
        }
        if (pinned(name) || direct.saved(peer).isPresent()) {
            return null;
        }
        if (direct.strangers() >= DirectPeers.MAX_STRANGERS) {
            return "too many peers that the network does not show are connected already";
        }
        try {
            if (!history.latest(peer, 1).isEmpty()) {
                return name + " is not seen on the network, and has only talked with us unencrypted before";
            }
        } catch (IOException e) {
            return "the history could not be read to check " + name;
        }
        return null;
    }
}
