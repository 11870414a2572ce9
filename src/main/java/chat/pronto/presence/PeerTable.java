package chat.pronto.presence;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;

/**
 * Merges what mDNS reports, per interface and per record, into one advert per peer and tells what
 * changed. A peer seen on several interfaces, or over IPv4 and IPv6, is one peer. A peer without
 * TXT data appears with XEP-0174's defaults (every key is optional). JmDNS also resolves a name once
 * before its TXT record has arrived: so a new peer resolved without TXT waits for {@link #settle}
 * (the owner calls it a moment later) before it appears with the defaults, and a resolution without
 * TXT data never replaces TXT data already known. Not thread-safe: one event thread owns it.
 */
final class PeerTable {
    /** What one interface knows of one peer; {@code order} and {@code txtOrder} say how recent it and its TXT are. */
    private record Sighting(TxtRecord txt, long txtOrder, List<InetAddress> addresses, int port, long order) {
    }

    /**
     * The most peers it holds: a LAN with more people than this is beyond what Pronto is for, and a
     * host announcing made-up peers with addresses (which look real) cannot grow it without bound.
     */
    static final int MAX_PEERS = 8192;
    private static final Logger LOG = LoggerFactory.getLogger(PeerTable.class);

    private final Map<PeerId, Map<String, Sighting>> sightings = new HashMap<>();
    private long refused;
    private final Map<PeerId, PeerAdvert> adverts = new LinkedHashMap<>();
    private long counter;

    /** A resolution on {@code via} (an interface); empty when nothing a user could notice changed. */
    Optional<PeerEvent> resolved(PeerId id, String via, TxtRecord txt, List<InetAddress> addresses, int port) {
        if (port <= 0 || addresses.isEmpty()) {
            return Optional.empty(); // nothing to connect to yet
        }
        if (!sightings.containsKey(id) && sightings.size() >= MAX_PEERS) {
            if (refused++ % 1000 == 0) {
                LOG.warn("{} peers known already: {} and {} other newcomers not listed", MAX_PEERS, id, refused - 1);
            }
            return Optional.empty();
        }
        Map<String, Sighting> seen = sightings.computeIfAbsent(id, key -> new HashMap<>());
        Sighting before = seen.get(via);
        long order = ++counter;
        boolean keepTxt = txt.keys().isEmpty() && before != null;
        seen.put(via, keepTxt ? new Sighting(before.txt(), before.txtOrder(), addresses, port, order)
                : new Sighting(txt, order, addresses, port, order));
        if (!adverts.containsKey(id) && seen.values().stream().allMatch(sighting -> sighting.txt().keys().isEmpty())) {
            return Optional.empty(); // its TXT may be on its way: see settle
        }
        return refresh(id);
    }

    /** A peer resolved so far only without TXT data appears now, with the defaults. */
    Optional<PeerEvent> settle(PeerId id) {
        return sightings.containsKey(id) && !adverts.containsKey(id) ? refresh(id) : Optional.empty();
    }

    /** The peer's records went away on {@code via}. */
    Optional<PeerEvent> removed(PeerId id, String via) {
        Map<String, Sighting> seen = sightings.get(id);
        if (seen == null || seen.remove(via) == null) {
            return Optional.empty();
        }
        return refresh(id);
    }

    /** An interface went away: every peer seen only there vanishes, the others lose its addresses. */
    List<PeerEvent> removedVia(String via) {
        List<PeerEvent> events = new ArrayList<>();
        for (PeerId id : List.copyOf(sightings.keySet())) {
            removed(id, via).ifPresent(events::add);
        }
        return events;
    }

    /** Forgets the peer on every interface (its stream died); the next resolution brings it back. */
    Optional<PeerEvent> gone(PeerId id) {
        sightings.remove(id);
        return refresh(id);
    }

    /** How many peers are resolved through each interface. */
    Map<String, Integer> countByVia() {
        Map<String, Integer> counts = new HashMap<>();
        sightings.values().forEach(seen -> seen.keySet().forEach(via -> counts.merge(via, 1, Integer::sum)));
        return counts;
    }

    List<PeerAdvert> adverts() {
        return List.copyOf(adverts.values());
    }

    Optional<PeerAdvert> advert(PeerId id) {
        return Optional.ofNullable(adverts.get(id));
    }

    private Optional<PeerEvent> refresh(PeerId id) {
        Map<String, Sighting> seen = sightings.getOrDefault(id, Map.of());
        if (seen.isEmpty()) {
            sightings.remove(id);
            return adverts.remove(id) == null ? Optional.empty() : Optional.of(new PeerEvent.Vanished(id));
        }
        Sighting latest = seen.values().stream().max(Comparator.comparingLong(Sighting::order)).orElseThrow();
        // The newest TXT that says something: one interface may not have the TXT record yet.
        TxtRecord txt = seen.values().stream().filter(sighting -> !sighting.txt().keys().isEmpty())
                .max(Comparator.comparingLong(Sighting::txtOrder)).map(Sighting::txt).orElse(latest.txt());
        PeerAdvert merged = Adverts.read(id, txt, mergedAddresses(seen.values()), latest.port());
        PeerAdvert before = adverts.put(id, merged);
        if (before == null) {
            return Optional.of(new PeerEvent.Appeared(merged));
        }
        return before.equals(merged) ? Optional.empty() : Optional.of(new PeerEvent.Updated(merged));
    }

    /** Every address seen on any interface, once, IPv4 first (link-local IPv6 without scope is a poor first try). */
    private static List<InetAddress> mergedAddresses(Iterable<Sighting> seen) {
        Set<InetAddress> all = new LinkedHashSet<>();
        seen.forEach(sighting -> all.addAll(sighting.addresses()));
        List<InetAddress> ordered = new ArrayList<>(all);
        ordered.sort(Comparator.comparingInt(address -> address instanceof Inet4Address ? 0 : 1));
        return ordered;
    }
}
