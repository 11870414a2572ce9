package chat.pronto.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.presence.PresenceListener;
import chat.pronto.presence.PresenceService;

/**
 * Who is there, as the sessions see it: everyone mDNS shows, plus the peers reached by address
 * while a stream with them is open ({@link DirectPeers}). Publishing, pictures and goodbyes are
 * mDNS's alone.
 */
final class ReachablePresence implements PresenceService {
    private final PresenceService mdns;
    private final DirectPeers direct;
    private final WideAreaPeers wide;

    ReachablePresence(PresenceService mdns, DirectPeers direct, WideAreaPeers wide) {
        this.mdns = mdns;
        this.direct = direct;
        this.wide = wide;
    }

    /** Shown by discovery: mDNS on the link, or wide-area DNS-SD. */
    Optional<PeerAdvert> discovered(PeerId id) {
        Optional<PeerAdvert> seen = mdns.peer(id);
        return seen.isPresent() ? seen : wide.peer(id);
    }

    @Override
    public void start(PeerId name, OwnPresence own, int port) throws IOException {
        mdns.start(name, own, port);
    }

    @Override
    public void update(OwnPresence own) {
        mdns.update(own);
    }

    @Override
    public PeerId self() {
        return mdns.self();
    }

    @Override
    public List<PeerAdvert> peers() {
        List<PeerAdvert> all = new ArrayList<>(mdns.peers());
        java.util.Set<PeerId> seen = new java.util.HashSet<>();
        all.forEach(advert -> seen.add(advert.id()));
        wide.peers().stream().filter(advert -> seen.add(advert.id())).forEach(all::add);
        direct.adverts().stream().filter(advert -> !seen.contains(advert.id())).forEach(all::add);
        return all;
    }

    @Override
    public Optional<PeerAdvert> peer(PeerId id) {
        Optional<PeerAdvert> seen = discovered(id);
        return seen.isPresent() ? seen : direct.advert(id);
    }

    /** Seen now, or saved with an address to try. */
    @Override
    public Optional<PeerAdvert> dialable(PeerId id) {
        Optional<PeerAdvert> seen = discovered(id);
        return seen.isPresent() ? seen : direct.dialable(id);
    }

    @Override
    public void markGone(PeerId id) {
        mdns.markGone(id);
    }

    @Override
    public void setAvatar(Optional<byte[]> picture) {
        mdns.setAvatar(picture);
    }

    @Override
    public CompletableFuture<Optional<byte[]>> fetchAvatar(PeerId peer, String hash) {
        return mdns.fetchAvatar(peer, hash);
    }

    @Override
    public void addListener(PresenceListener listener) {
        mdns.addListener(listener);
        direct.addListener(listener);
        wide.addListener(listener);
    }

    @Override
    public List<chat.pronto.model.InterfaceCheck> interfaceChecks() {
        return mdns.interfaceChecks();
    }

    @Override
    public void close() {
        mdns.close();
    }
}
