package chat.pronto.session;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.SavedPeer;
import chat.pronto.presence.LinkInterfaces;

/**
 * Dials the saved peers that are offline: at start, then after a growing wait (3 s up to a minute)
 * while they do not answer, and all of them again when our own addresses change (looked at every 5 s) (another
 * network, a VPN that came up, a cable plugged in). A peer that mDNS shows is left to mDNS.
 */
final class Redials {
    static final Duration FIRST_WAIT = Duration.ofSeconds(3);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

    private final DirectPeers direct;
    private final java.util.function.Predicate<PeerId> discovered;
    private final Dialer dialer;
    private final Executor workers;
    private final LongSupplier ticker;
    private final SessionEvents events;
    private final Map<PeerId, Backoff> waits = new ConcurrentHashMap<>();
    private final Map<PeerId, Long> nextAttempt = new ConcurrentHashMap<>();
    private final Set<PeerId> dialing = ConcurrentHashMap.newKeySet();
    private volatile Set<String> ownAddresses = Set.of();

    Redials(DirectPeers direct, java.util.function.Predicate<PeerId> discovered, Dialer dialer, Executor workers, LongSupplier ticker,
            SessionEvents events) {
        this.events = events;
        this.direct = direct;
        this.discovered = discovered;
        this.dialer = dialer;
        this.workers = workers;
        this.ticker = ticker;
    }

    /** Our own addresses are looked at this often (each look walks every interface). */
    private static final long NETWORK_LOOK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    private long lastNetworkLook;

    /** Called now and then by a timer: dials whoever is due. Nothing at all while nobody is saved. */
    void tick() {
        if (direct.saved().isEmpty()) {
            return;
        }
        long looked = ticker.getAsLong();
        if ((lastNetworkLook == 0 || looked - lastNetworkLook >= NETWORK_LOOK_NANOS) && networkChanged()) {
            nextAttempt.clear();
            waits.values().forEach(Backoff::reset);
        }
        long now = ticker.getAsLong();
        for (SavedPeer saved : direct.saved()) {
            PeerId peer = saved.id();
            if (saved.port() == 0 || direct.isOnline(peer) || discovered.test(peer)) {
                nextAttempt.remove(peer);
                Optional.ofNullable(waits.get(peer)).ifPresent(Backoff::reset);
                continue;
            }
            Long due = nextAttempt.get(peer);
            if (due != null && now - due < 0 || !dialing.add(peer)) {
                continue;
            }
            try {
                workers.execute(() -> dial(peer)); // a host name is looked up: never on the timer
            } catch (RejectedExecutionException closing) {
                dialing.remove(peer);
                return;
            }
        }
    }

    private void dial(PeerId peer) {
        Optional<PeerAdvert> where = direct.dialable(peer);
        if (where.isEmpty() || where.get().addresses().isEmpty()) {
            failed(peer);
            return;
        }
        dialer.dial(peer, where.get(), outcome -> {
            if (outcome instanceof DialOutcome.Connected) {
                dialing.remove(peer);
                waits.computeIfAbsent(peer, key -> new Backoff(FIRST_WAIT, LONGEST_WAIT)).reset();
            } else {
                if (outcome instanceof DialOutcome.Refused refused
                        && refused.end() instanceof chat.pronto.stream.StreamEnd.KeyChanged changed) {
                    events.keyChanged(peer, changed);
                }
                failed(peer); // (a stream that opened, the stream router has handed to the peer's session)
            }
        });
    }

    private void failed(PeerId peer) {
        Duration wait = waits.computeIfAbsent(peer, key -> new Backoff(FIRST_WAIT, LONGEST_WAIT)).next();
        nextAttempt.put(peer, ticker.getAsLong() + wait.toNanos());
        dialing.remove(peer);
    }

    /** True when the set of our own addresses differs from the last look (false the first time). */
    private boolean networkChanged() {
        Set<String> now = new TreeSet<>();
        LinkInterfaces.current().stream().filter(link -> link.up() && !link.loopback())
                .forEach(link -> link.addresses().forEach(address -> now.add(address.getHostAddress())));
        lastNetworkLook = ticker.getAsLong();
        Set<String> before = ownAddresses;
        ownAddresses = now;
        return !before.isEmpty() && !before.equals(now);
    }
}
