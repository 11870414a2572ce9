package chat.pronto.testing;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceListener;
import chat.pronto.presence.PresenceService;

/**
 * Presence over a {@link FakeLink} instead of mDNS: same interface, same event thread discipline,
 * instant and deterministic. The advertised address is whatever the test says (127.0.0.1 normally;
 * another one to make a peer's stream come from an address it does not publish).
 */
public final class FakePresence implements PresenceService {
    private final FakeLink link;
    private final List<InetAddress> addresses;
    private final Map<PeerId, PeerAdvert> seen = new ConcurrentHashMap<>();
    private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events;
    private volatile PeerId self;
    private volatile OwnPresence own;
    private volatile int port;
    private volatile int advertisedPort;
    private volatile java.time.Duration comeback;
    private final Map<PeerId, Integer> portsSeen = new ConcurrentHashMap<>();
    private volatile byte[] picture;
    /** Every picture this member fetched from the link (peer and hash), in order. */
    public final List<String> fetched = new CopyOnWriteArrayList<>();

    public FakePresence(FakeLink link, InetAddress... addresses) {
        this.link = link;
        this.addresses = List.of(addresses);
        this.events = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pronto-presence-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void start(PeerId name, OwnPresence presence, int streamPort) {
        self = name;
        own = presence.withAvatarHash(Optional.ofNullable(picture).map(chat.pronto.model.AvatarHash::of));
        port = advertisedPort != 0 ? advertisedPort : streamPort;
        link.join(this);
    }

    @Override
    public void update(OwnPresence presence) {
        own = presence.withAvatarHash(Optional.ofNullable(picture).map(chat.pronto.model.AvatarHash::of));
        link.changed(this);
    }

    @Override
    public PeerId self() {
        return self;
    }

    @Override
    public List<PeerAdvert> peers() {
        return List.copyOf(seen.values());
    }

    @Override
    public Optional<PeerAdvert> peer(PeerId id) {
        return Optional.ofNullable(seen.get(id));
    }

    @Override
    public void markGone(PeerId id) {
        goodbye(id);
        java.time.Duration after = comeback;
        if (after != null) {
            // As the real presence does: it asks the link for the peer again, and one still there answers.
            CompletableFuture.delayedExecutor(after.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(() -> link.advertOf(id).ifPresent(this::announced));
        }
    }

    /**
     * A peer reported gone ({@link #markGone}) that is still on the link is seen again {@code after}
     * this long, as with mDNS (where it answers the query for it); by default it stays gone until it
     * announces itself again.
     */
    public void comeBackAfter(java.time.Duration after) {
        comeback = after;
    }

    @Override
    public void setAvatar(Optional<byte[]> value) {
        value.ifPresent(chat.pronto.model.AvatarHash::checkPublishable);
        picture = value.map(byte[]::clone).orElse(null);
        if (own != null) {
            own = own.withAvatarHash(value.map(chat.pronto.model.AvatarHash::of));
            link.changed(this);
        }
    }

    /** As the real presence: the bytes the peer publishes now, if they are the picture asked for. */
    @Override
    public CompletableFuture<Optional<byte[]>> fetchAvatar(PeerId peer, String hash) {
        fetched.add(peer + " " + hash);
        try {
            return CompletableFuture.supplyAsync(() -> link.pictureOf(peer)
                    .filter(bytes -> chat.pronto.model.AvatarHash.of(bytes).equals(hash)), events);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    Optional<byte[]> picture() {
        return Optional.ofNullable(picture);
    }

    @Override
    public void addListener(PresenceListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        link.leave(this);
        events.shutdown();
    }

    /** Advertises {@code value} instead of the port streams are really accepted on (a relay in front). */
    public void advertisePort(int value) {
        advertisedPort = value;
    }

    /**
     * This member sees {@code peer} at {@code port} instead of the port it advertises (a relay in
     * front of it, for this member alone). Set it before the peer joins the link.
     */
    public void seePortOf(PeerId peer, int port) {
        portsSeen.put(peer, port);
    }

    /** Announces itself again, unchanged (as an mDNS answer to someone's query would). */
    public void announceAgain() {
        link.changed(this);
    }

    /** Vanishes from the link without closing (a peer whose machine dropped off the network). */
    public void leaveLink() {
        link.leave(this);
    }

    /** What we published, as others see it. */
    public OwnPresence own() {
        return own;
    }

    PeerAdvert advert() {
        return new PeerAdvert(self, addresses, port, own.status(), own.message(), own.nick(), own.firstName(),
                own.lastName(), own.email(), own.jid(), own.capabilities(), own.avatarHash());
    }

    void announced(PeerAdvert original) {
        Integer port = portsSeen.get(original.id());
        PeerAdvert advert = port == null ? original : new PeerAdvert(original.id(), original.addresses(), port,
                original.status(), original.message(), original.nick(), original.firstName(), original.lastName(),
                original.email(), original.jid(), original.capabilities(), original.avatarHash());
        PeerAdvert before = seen.put(advert.id(), advert);
        PeerEvent event = before == null ? new PeerEvent.Appeared(advert) : new PeerEvent.Updated(advert);
        deliver(event);
    }

    void goodbye(PeerId id) {
        if (seen.remove(id) != null) {
            deliver(new PeerEvent.Vanished(id));
        }
    }

    private void deliver(PeerEvent event) {
        try {
            events.execute(() -> listeners.forEach(listener -> listener.onPeerEvent(event)));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // This member has closed: it hears nothing more.
        }
    }
}
