package chat.pronto.presence;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.AvatarHash;
import chat.pronto.model.PeerId;

/**
 * Fetches peers' pictures (XEP-0174 §"Buddy Icons"), bounded: one query in flight per peer, asked
 * again after 1 s, 2 s, 4 s… and given up after a few tries; at most a few peers asked at once,
 * the others wait their turn. An answer counts only for a name being fetched, and only when its data
 * is the picture {@code phsh} named (its SHA-1 matches): anything else (a record for a name nobody
 * asked about, the wrong picture, an empty one) is ignored, and the fetch goes on. Thread-safe:
 * answers arrive on the responders' listener threads; asking and timing run on {@code timer}.
 */
final class AvatarQueries {
    private static final Logger LOG = LoggerFactory.getLogger(AvatarQueries.class);

    /**
     * @param tries      queries per picture before giving up
     * @param firstRetry the wait after the first query; it doubles after each
     * @param maxActive  peers being asked at once
     */
    record Limits(int tries, Duration firstRetry, int maxActive) {
        static final Limits DEFAULT = new Limits(4, Duration.ofSeconds(1), 4);

        Limits {
            if (tries < 1 || maxActive < 1 || firstRetry.isNegative() || firstRetry.isZero()) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private static final class Fetch {
        final PeerId peer;
        final String name;
        final String hash;
        final CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
        int tries;
        boolean active;
        ScheduledFuture<?> timeout;

        Fetch(PeerId peer, String hash) {
            this.peer = peer;
            this.name = AvatarRecords.nameOf(peer.name());
            this.hash = hash;
        }
    }

    private final Consumer<String> ask;
    private final ScheduledExecutorService timer;
    private final Limits limits;
    // Guarded by this.
    private final Map<PeerId, Fetch> fetches = new HashMap<>();
    private final Map<String, Fetch> byName = new HashMap<>();
    private final Deque<Fetch> waiting = new ArrayDeque<>();
    private int active;
    private boolean closed;
    private long ignored;

    /** @param ask sends one query for an instance's picture (on every interface); called on {@code timer} */
    AvatarQueries(Consumer<String> ask, ScheduledExecutorService timer, Limits limits) {
        this.ask = ask;
        this.timer = timer;
        this.limits = limits;
    }

    /**
     * {@code peer}'s picture whose SHA-1 is {@code hash}: completes with the verified bytes, or empty
     * when no such picture came (given up, superseded by another hash, the peer gone, closing). A
     * second call for the same peer and hash joins the first.
     */
    CompletableFuture<Optional<byte[]>> fetch(PeerId peer, String hash) {
        Optional<String> wanted = AvatarHash.parse(hash);
        if (wanted.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<Optional<byte[]>> result;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            Fetch existing = fetches.get(peer);
            if (existing != null && existing.hash.equals(wanted.get())) {
                return existing.result;
            }
            if (existing != null) {
                end(existing, Optional.empty(), after); // its picture changed meanwhile
            }
            Fetch fetch = new Fetch(peer, wanted.get());
            fetches.put(peer, fetch);
            byName.put(fetch.name, fetch);
            waiting.addLast(fetch);
            startWaiting(after);
            result = fetch.result;
        }
        after.forEach(Runnable::run);
        return result;
    }

    /** The peer is gone: its fetch ends (empty). */
    void cancel(PeerId peer) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            Fetch fetch = fetches.get(peer);
            if (fetch != null) {
                end(fetch, Optional.empty(), after);
                startWaiting(after);
            }
        }
        after.forEach(Runnable::run);
    }

    /** Whether any fetch waits for an answer (a quick test before looking at a response). */
    synchronized boolean busy() {
        return !fetches.isEmpty();
    }

    /** A response heard on some interface: its NULL records for names being fetched are looked at. */
    void heard(MdnsMessage response) {
        for (MdnsMessage.Record record : response.asserted()) {
            if (record.type() != MdnsMessage.TYPE_NULL || record.ttl() == 0) {
                continue;
            }
            String hash;
            synchronized (this) {
                Fetch fetch = byName.get(record.name());
                if (fetch == null) {
                    ignored++;
                    continue; // nobody asked for it
                }
                hash = fetch.hash;
            }
            byte[] data = record.rdata();
            if (data.length == 0 || data.length > AvatarHash.MAX_RECORD_BYTES || !AvatarHash.of(data).equals(hash)) {
                LOG.debug("a picture for {} that is not the one its phsh names ({} bytes): ignored", record.name(),
                        data.length);
                continue;
            }
            List<Runnable> after = new ArrayList<>();
            synchronized (this) {
                Fetch fetch = byName.get(record.name());
                if (fetch != null && fetch.hash.equals(hash)) {
                    LOG.debug("picture {} of {} is here ({} bytes, try {})", hash, fetch.peer, data.length, fetch.tries);
                    end(fetch, Optional.of(data), after);
                    startWaiting(after);
                }
            }
            after.forEach(Runnable::run);
        }
    }

    /** Ends every fetch (empty). */
    void close() {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Fetch fetch : List.copyOf(fetches.values())) {
                end(fetch, Optional.empty(), after);
            }
        }
        after.forEach(Runnable::run);
    }

    /** Answers ignored because nobody asked for their name (for tests and diagnostics). */
    synchronized long ignoredAnswers() {
        return ignored;
    }

    /** Starts waiting fetches while there is room. Holding the lock; what must not run under it goes to {@code after}. */
    private void startWaiting(List<Runnable> after) {
        while (active < limits.maxActive() && !waiting.isEmpty()) {
            Fetch next = waiting.pollFirst();
            next.active = true;
            active++;
            askNow(next, after);
        }
    }

    private void askNow(Fetch fetch, List<Runnable> after) {
        fetch.tries++;
        long wait = limits.firstRetry().toMillis() << Math.min(fetch.tries - 1, 16);
        try {
            timer.execute(() -> send(fetch));
            fetch.timeout = timer.schedule(() -> timedOut(fetch), wait, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            end(fetch, Optional.empty(), after);
        }
    }

    private void send(Fetch fetch) {
        synchronized (this) {
            if (fetches.get(fetch.peer) != fetch) {
                return; // answered or ended meanwhile
            }
        }
        try {
            ask.accept(fetch.peer.name());
        } catch (RuntimeException e) {
            LOG.debug("asking for the picture of {}: {}", fetch.peer, e.getMessage());
        }
    }

    private void timedOut(Fetch fetch) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (fetches.get(fetch.peer) != fetch) {
                return;
            }
            if (fetch.tries >= limits.tries()) {
                LOG.debug("no picture {} from {} after {} queries: given up", fetch.hash, fetch.peer, fetch.tries);
                end(fetch, Optional.empty(), after);
                startWaiting(after);
            } else {
                askNow(fetch, after);
            }
        }
        after.forEach(Runnable::run);
    }

    /** Holding the lock: forgets {@code fetch}, frees its slot; its future completes after the lock is let go. */
    private void end(Fetch fetch, Optional<byte[]> picture, List<Runnable> after) {
        if (fetches.get(fetch.peer) == fetch) {
            fetches.remove(fetch.peer);
        }
        byName.remove(fetch.name, fetch);
        waiting.remove(fetch);
        if (fetch.active) {
            fetch.active = false;
            active--;
        }
        if (fetch.timeout != null) {
            fetch.timeout.cancel(false);
        }
        after.add(() -> fetch.result.complete(picture));
    }
}
