package chat.pronto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.history.History;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.SavedPeer;
import chat.pronto.model.Status;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceListener;

/**
 * Peers reached by address rather than over mDNS: the saved list (kept in the history), and who of
 * them is online now — while a stream with them is open — with what they said about themselves
 * over it ({@link StreamPresence}). Their comings and goings are told to presence listeners as if
 * mDNS had seen them, in order, so the rest of Pronto treats both alike. A peer that mDNS shows is
 * left to mDNS, even when it is saved.
 */
final class DirectPeers {
    private static final Logger LOG = LoggerFactory.getLogger(DirectPeers.class);
    /** Peers that reached us by address without being saved or known: a bound, so made-up names cannot pile up. */
    static final int MAX_STRANGERS = 32;

    private final History history;
    /** True for a peer that discovery shows (mDNS, wide-area DNS-SD): those are left to it. */
    private final java.util.function.Predicate<PeerId> discovered;
    private final PeerEventFanout fanout;
    private final Map<PeerId, SavedPeer> saved = new ConcurrentHashMap<>();
    /** Peers the user took off the list while Pronto runs: what they say over a stream does not save them again. */
    private final Set<PeerId> forgotten = ConcurrentHashMap.newKeySet();
    /** Online direct peers, by name: their open streams and what they said. Guarded by this. */
    private final Map<PeerId, Online> online = new java.util.HashMap<>();

    /** An online direct peer: which streams are open with it, where it is, what it said. */
    private record Online(Set<String> streams, InetAddress address, StreamPresence.Said said) {
        Online with(StreamPresence.Said news) {
            return new Online(streams, address, news);
        }
    }

    /** @param events where listeners are told, one at a time and in order */
    DirectPeers(History history, java.util.function.Predicate<PeerId> discovered, Executor events) {
        this.history = history;
        this.discovered = discovered;
        this.fanout = new PeerEventFanout(events);
    }

    void load() throws IOException {
        history.savedPeers().forEach(peer -> saved.put(peer.id(), peer));
    }

    void addListener(PresenceListener listener) {
        fanout.add(listener);
    }

    List<SavedPeer> saved() {
        return saved.values().stream().sorted(java.util.Comparator.comparing(SavedPeer::id)).toList();
    }

    Optional<SavedPeer> saved(PeerId peer) {
        return Optional.ofNullable(saved.get(peer));
    }

    void save(SavedPeer peer) throws IOException {
        history.savePeer(peer);
        saved.put(peer.id(), peer);
        forgotten.remove(peer.id());
    }

    boolean forget(PeerId peer) throws IOException {
        forgotten.add(peer);
        boolean was = history.forgetSavedPeer(peer);
        return saved.remove(peer) != null || was;
    }

    /** True while a stream with {@code peer} is open and mDNS does not show it. */
    synchronized boolean isOnline(PeerId peer) {
        return online.containsKey(peer);
    }

    /** How many online direct peers are neither saved nor otherwise known: see {@link #MAX_STRANGERS}. */
    synchronized int strangers() {
        return (int) online.keySet().stream().filter(peer -> !saved.containsKey(peer)).count();
    }

    synchronized Optional<PeerAdvert> advert(PeerId peer) {
        Online now = online.get(peer);
        return now == null ? Optional.empty() : Optional.of(advertOf(peer, now));
    }

    synchronized List<PeerAdvert> adverts() {
        List<PeerAdvert> all = new ArrayList<>();
        online.forEach((peer, now) -> all.add(advertOf(peer, now)));
        return all;
    }

    /**
     * Where to dial {@code peer}: where it is now when online, else its saved address (a host name is
     * looked up here: the caller is a session lane or the redial timer, never a front end's thread).
     */
    Optional<PeerAdvert> dialable(PeerId peer) {
        Optional<PeerAdvert> now = advert(peer);
        if (now.isPresent() && now.get().port() > 0) {
            return now;
        }
        SavedPeer entry = saved.get(peer);
        if (entry == null || entry.port() == 0) {
            return Optional.empty();
        }
        try {
            List<InetAddress> addresses = AddressOrder.sorted(List.of(InetAddress.getAllByName(entry.host())));
            return Optional.of(new PeerAdvert(peer, addresses, entry.port(), Status.AVAILABLE, "", null, null, null,
                    null, null, Optional.empty()));
        } catch (java.net.UnknownHostException unknown) {
            LOG.debug("{}'s saved host {} is not known now: {}", peer, entry.host(), unknown.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A stream with {@code peer} is open. Unless mDNS shows the peer, it is online as a direct peer
     * (told as having appeared the first time); true then: it gets our presence over the stream.
     */
    boolean established(PeerId peer, String streamId, InetSocketAddress remote) {
        if (discovered.test(peer)) {
            return false;
        }
        PeerAdvert appeared = null;
        synchronized (this) {
            Online now = online.get(peer);
            if (now == null) {
                Set<String> streams = ConcurrentHashMap.newKeySet();
                streams.add(streamId);
                SavedPeer entry = saved.get(peer);
                now = new Online(streams, remote.getAddress(), new StreamPresence.Said(Status.AVAILABLE, "", null,
                        entry == null ? 0 : entry.port(), false));
                online.put(peer, now);
                appeared = advertOf(peer, now);
            } else {
                now.streams().add(streamId);
            }
        }
        if (appeared != null) {
            tell(new PeerEvent.Appeared(appeared));
        }
        return true;
    }

    /** A stream with {@code peer} ended; with its last one, the direct peer is gone. */
    void ended(PeerId peer, String streamId) {
        synchronized (this) {
            Online now = online.get(peer);
            if (now == null || !now.streams().remove(streamId) || !now.streams().isEmpty()) {
                return;
            }
            online.remove(peer);
        }
        tell(new PeerEvent.Vanished(peer));
    }

    /**
     * {@code peer} said who it is over the stream. A peer that tells us its port and is not saved yet
     * is saved (it reached us: we can dial it back at its address from now on).
     */
    void said(PeerId peer, StreamPresence.Said said) {
        PeerAdvert updated;
        InetAddress address;
        synchronized (this) {
            Online now = online.get(peer);
            if (now == null || said.unavailable()) {
                return; // a peer mDNS shows, or one leaving: its stream's end says the rest
            }
            int port = said.port() > 0 ? said.port() : now.said().port();
            Online next = now.with(new StreamPresence.Said(said.status(), said.message(), said.nick(), port, false));
            online.put(peer, next);
            updated = advertOf(peer, next);
            address = now.address();
        }
        if (said.port() > 0) {
            rememberWhereItListens(peer, address, said.port());
        }
        tell(new PeerEvent.Updated(updated));
    }

    private void rememberWhereItListens(PeerId peer, InetAddress address, int port) {
        SavedPeer entry = saved.get(peer);
        try {
            if (entry == null && forgotten.contains(peer)) {
                return; // the user took it off the list: its word does not put it back
            }
            if (entry == null) {
                save(new SavedPeer(peer, address.getHostAddress(), port, SavedPeer.Origin.REACHED_US));
            } else if (entry.port() != port) {
                save(new SavedPeer(peer, entry.host(), port, entry.origin()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("could not save where {} listens: {}", peer, e.getMessage());
        }
    }

    private static PeerAdvert advertOf(PeerId peer, Online now) {
        StreamPresence.Said said = now.said();
        return new PeerAdvert(peer, List.of(now.address()), said.port(), said.status(), said.message(), said.nick(),
                null, null, null, null, Optional.empty());
    }

    private void tell(PeerEvent event) {
        fanout.tell(event);
    }
}
