package chat.pronto.presence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What one responder knows about instance names announced on the link that it has not resolved,
 * with a bound on everything a flood of made-up names can make it do (issue 16, finding 3: one
 * packet of 40 fake PTR records kept real peers hidden for minutes). Pure bookkeeping: the caller
 * passes the time ({@link System#nanoTime()}) and acts on the answers; every method is quick and
 * may be called on JmDNS's threads.
 *
 * <ul>
 * <li><b>Tracked</b> names: announced (a PTR record), not resolved. At most {@code maxTracked}; a
 *     newcomer beyond that evicts the name asked most often without an answer (the oldest among
 *     equals), names that answered last of all.</li>
 * <li><b>Asked</b>: a tracked name is asked for (SRV and TXT) at once, then after 1 s, 2 s, 4 s… up
 *     to {@code maxRetry}; at most {@code asksPerSecond} names a second in all, names that answered
 *     first, then those asked least.</li>
 * <li><b>Answering</b> names: a response carried an SRV or TXT record for them (what a real peer
 *     sends, unasked, when it announces). Only these, or names whose records are all cached already,
 *     get a JmDNS resolver (three queries, and a persistent listener that JmDNS calls for every
 *     record it takes in, and drops only when the name's SRV record goes).</li>
 * <li><b>Watched</b> names: those with a JmDNS resolver, one per name. At most {@code maxWatched}
 *     unresolved at a time (the oldest is given up for a newcomer, and not watched again while its
 *     records stay incomplete), and new ones for names without complete cached records at most
 *     {@code watchesPerSecond}; resolved ones (peers) are not counted. A name whose records are all
 *     cached (a real peer that announced itself) is watched at once, whatever the backlog.</li>
 * </ul>
 * While the table is {@linkplain #isFull full}, the responder drops packets that only tell of yet
 * more names nobody watches (no address for them anywhere), before JmDNS caches them. Names are compared without case (keys are lower case); the name first announced keeps its case.
 */
final class UnresolvedNames {
    /** The limits; {@link #DEFAULT} in the app. */
    record Limits(int maxTracked, int maxWatched, int asksPerSecond, int watchesPerSecond, long firstRetryMillis,
                  long maxRetryMillis, long answeringForMillis, int maxAnswering) {
    }

    static final Limits DEFAULT = new Limits(128, 32, 10, 16, 1000, 30_000, 10_000, 256);

    /** What to do about a request for a JmDNS resolver: start it or not, and a watch to give up for it. */
    record Watch(boolean start, Optional<String> drop) {
        static final Watch NO = new Watch(false, Optional.empty());
    }

    private static final class Entry {
        final String name;
        final long seq;
        int asked;
        long due;
        boolean answered;

        Entry(String name, long seq, long due) {
            this.name = name;
            this.seq = seq;
            this.due = due;
        }
    }

    /** How many given-up names are remembered. */
    private static final int GIVEN_UP_MEMORY = 1024;
    private final Limits limits;
    private final Map<String, Entry> tracked = new LinkedHashMap<>();
    /** Watched names (insertion order: the oldest first) and whether each is resolved. */
    private final Map<String, Boolean> watched = new LinkedHashMap<>();
    /** Names a response carried records for, until when that counts. */
    private final Map<String, Long> answering = new LinkedHashMap<>();
    /** Names whose watch was given up for newer ones (the oldest forgotten first). */
    private final Map<String, Boolean> givenUp = new LinkedHashMap<>();
    private final Bucket asks;
    private final Bucket watches;
    private long seq;

    UnresolvedNames(Limits limits, long now) {
        this.limits = limits;
        this.asks = new Bucket(limits.asksPerSecond(), now);
        this.watches = new Bucket(limits.watchesPerSecond(), now);
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * {@code name} was announced. Returns the name evicted to make room for it, if one was (its
     * watch, if any, is given up too: the caller drops its resolver).
     */
    synchronized Optional<String> announced(String name, long now) {
        String key = key(name);
        if (tracked.containsKey(key) || Boolean.TRUE.equals(watched.get(key))) {
            return Optional.empty();
        }
        Optional<String> evicted = Optional.empty();
        if (tracked.size() >= limits.maxTracked()) {
            Entry victim = tracked.values().stream()
                    .max(Comparator.<Entry, Boolean>comparing(entry -> !entry.answered)
                            .thenComparingInt(entry -> entry.asked)
                            .thenComparing(entry -> -entry.seq))
                    .orElseThrow();
            tracked.remove(key(victim.name));
            watched.remove(key(victim.name));
            evicted = Optional.of(victim.name);
        }
        Entry entry = new Entry(name, seq++, now);
        entry.answered = isAnswering(key, now);
        tracked.put(key, entry);
        return evicted;
    }

    /** A response carried an SRV or TXT record for {@code key}. */
    synchronized void answering(String key, long now) {
        Entry entry = tracked.get(key);
        if (entry != null && !entry.answered) {
            entry.answered = true;
            entry.due = now;
        }
        if (watched.containsKey(key) || givenUp.containsKey(key)) {
            return; // nothing more to do for it: it must not push others out
        }
        if (answering.remove(key) == null && answering.size() >= limits.maxAnswering()) {
            Iterator<String> oldest = answering.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        answering.put(key, now + TimeUnit.MILLISECONDS.toNanos(limits.answeringForMillis()));
    }

    synchronized boolean isAnswering(String key, long now) {
        Long until = answering.get(key);
        return until != null && until - now > 0;
    }

    /** Whether {@code key} has a JmDNS resolver. */
    synchronized boolean isWatched(String key) {
        return watched.containsKey(key);
    }

    /**
     * JmDNS is about to start a resolver for {@code key} ({@code hasData}: all its records are
     * cached). Started only for a name not watched yet whose records are cached or that answers,
     * within the rate; the oldest unresolved watch may have to go for it.
     */
    synchronized Watch watch(String key, boolean hasData, long now) {
        if (watched.containsKey(key)) {
            return Watch.NO;
        }
        if (!hasData && (givenUp.containsKey(key) || !isAnswering(key, now) || !watches.take(now))) {
            return Watch.NO;
        }
        Optional<String> drop = Optional.empty();
        if (!hasData && unresolvedWatches() >= limits.maxWatched()) {
            for (Map.Entry<String, Boolean> oldest : watched.entrySet()) {
                if (!oldest.getValue()) {
                    drop = Optional.of(oldest.getKey());
                    watched.remove(oldest.getKey());
                    giveUp(oldest.getKey());
                    break;
                }
            }
        }
        givenUp.remove(key);
        watched.put(key, hasData);
        return new Watch(true, drop);
    }

    private void giveUp(String key) {
        answering.remove(key);
        if (givenUp.size() >= GIVEN_UP_MEMORY) {
            Iterator<String> oldest = givenUp.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        givenUp.put(key, true);
    }

    private int unresolvedWatches() {
        int count = 0;
        for (boolean resolved : watched.values()) {
            count += resolved ? 0 : 1;
        }
        return count;
    }

    /** {@code key} resolved (addresses and a port): no longer chased. */
    synchronized void resolved(String key) {
        tracked.remove(key);
        watched.computeIfPresent(key, (name, wasResolved) -> true);
        answering.remove(key);
        givenUp.remove(key);
    }

    /** {@code key} is gone from the link (or its resolver was dropped): forget it entirely. */
    synchronized void gone(String key) {
        tracked.remove(key);
        watched.remove(key);
        answering.remove(key);
        givenUp.remove(key);
    }

    /**
     * At most {@code max} names that answered (tracked ones first) without a resolver yet, and not
     * given up: the caller starts one where their records are cached. Those returned go to the back
     * of the line, so that each gets its turn.
     */
    synchronized List<String> answeringUnwatched(long now, int max) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Entry> entry : tracked.entrySet()) {
            if (names.size() < max && entry.getValue().answered && !watched.containsKey(entry.getKey())
                    && !givenUp.containsKey(entry.getKey())) {
                names.add(entry.getKey());
            }
        }
        answering.entrySet().removeIf(entry -> entry.getValue() - now <= 0);
        List<String> fromAnswering = new ArrayList<>();
        for (String key : answering.keySet()) {
            if (names.size() + fromAnswering.size() >= max) {
                break;
            }
            if (!watched.containsKey(key) && !tracked.containsKey(key)) {
                fromAnswering.add(key);
            }
        }
        for (String key : names) {
            tracked.put(key, tracked.remove(key));
        }
        for (String key : fromAnswering) {
            answering.put(key, answering.remove(key));
        }
        names.addAll(fromAnswering);
        return names;
    }

    /**
     * The names to ask the link for now: due, within the rate, answering ones first, then the ones
     * asked least; each is due again after its next wait.
     */
    synchronized List<String> due(long now) {
        List<Entry> candidates = new ArrayList<>();
        for (Entry entry : tracked.values()) {
            if (entry.due - now <= 0) {
                candidates.add(entry);
            }
        }
        candidates.sort(Comparator.<Entry, Boolean>comparing(entry -> !entry.answered)
                .thenComparingInt(entry -> entry.asked).thenComparingLong(entry -> entry.seq));
        List<String> names = new ArrayList<>();
        for (Entry entry : candidates) {
            if (!asks.take(now)) {
                break;
            }
            long wait = Math.min(limits.maxRetryMillis(), limits.firstRetryMillis() << Math.min(entry.asked, 20));
            entry.asked++;
            entry.due = now + TimeUnit.MILLISECONDS.toNanos(wait);
            names.add(entry.name);
        }
        return names;
    }

    /** As many names tracked as there may be: more are only taken by evicting one. */
    synchronized boolean isFull() {
        return tracked.size() >= limits.maxTracked();
    }

    synchronized int trackedCount() {
        return tracked.size();
    }

    synchronized int unresolvedWatchCount() {
        return unresolvedWatches();
    }

    /** A token bucket: {@code perSecond} tokens a second, at most {@code perSecond} saved up. */
    private static final class Bucket {
        private final int perSecond;
        private double tokens;
        private long last;

        Bucket(int perSecond, long now) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
            this.last = now;
        }

        boolean take(long now) {
            long elapsed = Math.max(0, now - last);
            last = now;
            tokens = Math.min(perSecond, tokens + elapsed * perSecond / 1e9);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
