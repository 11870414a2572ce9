package chat.pronto.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSRecord;

/**
 * When each cached record next needs the sweep's attention — the moment JmDNS would call it stale
 * and due for a question (80–82 % of its life, then every 5 % more), or its end — so that a sweep
 * looks only at records whose moment has come instead of at the whole cache. At 5,000 peers the
 * cache holds some 20,000 records, and a sweep every 5 s that walked them all (JmDNS's
 * {@code allValues()} takes a lock per name) was the reaper's whole share of an idle Pronto (issue 13).
 *
 * <p>JmDNS also changes records in place, without telling the cache: an answer renews a record's
 * life, a goodbye or a cache-flush bit shortens it to a second. It always looks the record up by its
 * name first ({@code getDNSEntry}), so every name looked up is touched here, and the records of a
 * touched name are looked at again by the next two sweeps (two, because the change comes just after
 * the look-up, on another thread, and may miss the first). Entries left in the queue by a record
 * whose moment moved are skipped when they come up.
 */
final class CacheSchedule {
    private record Moment(long at, DNSEntry entry) {
    }

    private final PriorityQueue<Moment> queue = new PriorityQueue<>((one, other) -> Long.compare(one.at, other.at));
    /** Each scheduled record's one current moment (by identity: JmDNS's records are equal by value). */
    private final Map<DNSEntry, Long> scheduled = new IdentityHashMap<>();
    private Set<String> touchedNames = new HashSet<>();
    private Set<String> touchedBefore = new HashSet<>();
    private final Set<DNSEntry> touchedEntries = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<DNSEntry> touchedEntriesBefore = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A record now in the cache, or one the sweep has just looked at: when to look next. */
    synchronized void schedule(DNSEntry entry) {
        if (entry instanceof DNSRecord record) {
            long at = nextMoment(record);
            scheduled.put(entry, at);
            queue.add(new Moment(at, entry));
        }
    }

    /** A record gone from the cache. */
    synchronized void forget(DNSEntry entry) {
        scheduled.remove(entry);
    }

    /** Records named {@code key} (lower case) may be changed in place now. */
    synchronized void touch(String key) {
        touchedNames.add(key);
    }

    /** This one record may be changed in place now (a PTR record: its name is shared by every peer's). */
    synchronized void touch(DNSEntry entry) {
        touchedEntries.add(entry);
    }

    /** How many records are scheduled (those in the cache). */
    synchronized int size() {
        return scheduled.size();
    }

    /**
     * The records still cached whose moment has come by {@code now}, and those touched since the
     * sweep before last, each once; {@code named} gives the cached records of a name. The caller looks
     * at each and {@link #schedule}s those it keeps.
     */
    List<DNSEntry> due(long now, Function<String, Collection<? extends DNSEntry>> named) {
        Set<DNSEntry> due = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> names = new HashSet<>();
        synchronized (this) {
            while (!queue.isEmpty() && queue.peek().at <= now) {
                Moment moment = queue.poll();
                Long current = scheduled.get(moment.entry);
                if (current != null && current == moment.at) {
                    due.add(moment.entry);
                }
            }
            names.addAll(touchedNames);
            names.addAll(touchedBefore);
            touchedBefore.clear();
            Set<String> swap = touchedBefore;
            touchedBefore = touchedNames;
            touchedNames = swap;
            for (DNSEntry entry : touchedEntries) {
                due.add(entry);
            }
            for (DNSEntry entry : touchedEntriesBefore) {
                due.add(entry);
            }
            touchedEntriesBefore.clear();
            touchedEntriesBefore.addAll(touchedEntries);
            touchedEntries.clear();
        }
        for (String name : names) {
            due.addAll(named.apply(name));
        }
        List<DNSEntry> cached = new ArrayList<>(due.size());
        synchronized (this) {
            for (DNSEntry entry : due) {
                if (scheduled.containsKey(entry)) {
                    cached.add(entry);
                }
            }
        }
        return cached;
    }

    /**
     * The first moment from which JmDNS's {@code isStaleAndShouldBeRefreshed} holds for {@code record}
     * (its share of life is private, so it is found by asking that test: it holds from one whole
     * percent of the life on, never later than the end), or its end.
     */
    static long nextMoment(DNSRecord record) {
        long created = record.getCreated();
        long lifeTenths = record.getTTL() * 10L; // a percent of the life, in milliseconds
        int low = 0;
        int high = 100;
        if (!record.isStaleAndShouldBeRefreshed(created + high * lifeTenths)) {
            return created + high * lifeTenths;
        }
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (record.isStaleAndShouldBeRefreshed(created + middle * lifeTenths)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return created + low * lifeTenths;
    }
}
