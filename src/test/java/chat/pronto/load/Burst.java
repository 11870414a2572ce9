package chat.pronto.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import chat.pronto.model.StoredMessage;
import chat.pronto.testing.ChatCore;

/**
 * Every sender of a {@link Crowd} sends its messages at the same moment; measures until every one
 * is in and acknowledged, then until the streams have gone idle and closed.
 */
final class Burst {
    /** Threads that belong to streams (reader, writer) — of every core in the JVM. */
    static boolean streamThread(String name) {
        return name.startsWith("pronto-stream-") && !name.startsWith("pronto-stream-timer")
                && !name.startsWith("pronto-stream-accept");
    }

    /** The receiver's stream threads: named after the sender they read from ({@code s07@crowd}). */
    static boolean receiverStreamThread(String name) {
        return name.startsWith("pronto-stream-s") || name.startsWith("pronto-stream-127.");
    }

    record Result(int peers, int messages, long sendMillis, long allReceivedMillis, long allAcknowledgedMillis,
                  int threadsBefore, int threadsPeak, int threadsAfter, int receiverStreamThreadsPeak,
                  int receiverStreamsPeak, long heapBefore, long heapPeak, long heapAfter, int duplicates,
                  int streamThreadsAfter, java.util.Map<String, Integer> threadsAdded, String troubles,
                  long startMillis, long warmUpMillis, long settleMillis, int receivedTotal, int acknowledgedCount,
                  String grown) {
        int total() {
            return peers * messages;
        }

        void print(String arrangement) {
            System.out.printf("""
                    LOAD burst (%s): %d peers x %d messages = %d, machine: %d cores, JDK %s, max heap %s
                      crowd started in %d ms, warm-up (one message each, acknowledged, streams closed) %d ms
                      all sent (queued) after %d ms; all stored by the receiver after %d ms (%.0f msg/s); all \
                    acknowledged after %d ms (%.0f msg/s); duplicates %d
                      receiver streams at peak %d, its stream threads at peak %d
                      streams idle and closed %d ms after the last receipt
                      JVM threads: before %d, peak %d, after %d (stream threads after: %d; added: %s)
                      JVM heap: before %s (after GC), most kept by a collection %s, after %s (after GC)
                      heap grown, by class: %s
                      senders' troubles since they started (warm-up included): %s
                    """, arrangement, peers, messages, total(), Runtime.getRuntime().availableProcessors(),
                    Runtime.version(), Gauges.mib(Runtime.getRuntime().maxMemory()), startMillis, warmUpMillis, sendMillis, allReceivedMillis,
                    total() * 1000.0 / Math.max(1, allReceivedMillis), allAcknowledgedMillis,
                    total() * 1000.0 / Math.max(1, allAcknowledgedMillis), duplicates, receiverStreamsPeak,
                    receiverStreamThreadsPeak, settleMillis, threadsBefore, threadsPeak, threadsAfter, streamThreadsAfter, threadsAdded,
                    Gauges.mib(heapBefore), Gauges.mib(heapPeak), Gauges.mib(heapAfter), grown, troubles);
        }

        void assertAllStoredOnceAndAcknowledged(Crowd crowd, int perPeer) throws Exception {
            assertEquals(0, duplicates, "messages delivered twice to the receiver");
            assertEquals(total(), receivedTotal, "messages the receiver added");
            for (ChatCore sender : crowd.senders) {
                // The burst's messages and the one of the warm-up.
                List<StoredMessage> stored = crowd.receiver.chat.latest(sender.id(), perPeer * 2 + 10).get();
                long distinct = stored.stream().map(m -> m.message().body()).distinct().count();
                assertEquals(perPeer + 1, stored.size(), "messages from " + sender.id() + " in the receiver's history");
                assertEquals(perPeer + 1, distinct, "distinct messages from " + sender.id() + " in the history");
            }
            assertEquals(total(), acknowledgedCount, "messages acknowledged to their senders");
        }

        /**
         * Back to level: no stream thread left, the JVM's threads within a few of where they were (idle
         * pool threads end 30 s after their last task) and the heap within 16 MiB after GC.
         */
        void assertBackToLevel() {
            assertEquals(0, streamThreadsAfter, "stream threads left once every stream has closed");
            // Each core's session pools (workers, dialers: a few threads each, bounded) keep idle threads
            // for 30 s after their last task; any other thread must be gone.
            java.util.Map<String, Integer> others = new java.util.TreeMap<>(threadsAdded);
            others.remove("pronto-session-#");
            others.remove("pronto-session-dial-#");
            others.remove("test-load-sampler");
            assertTrue(others.values().stream().mapToInt(Integer::intValue).sum() <= 2,
                    "threads " + threadsBefore + " before, " + threadsAfter + " after; added " + threadsAdded);
            assertTrue(heapAfter <= heapBefore + 16L * 1024 * 1024,
                    "heap " + Gauges.mib(heapBefore) + " before, " + Gauges.mib(heapAfter) + " after");
        }
    }

    private Burst() {
    }

    static Result run(Crowd crowd, int perPeer, Duration wait) throws Exception {
        long warmUpStart = System.nanoTime();
        warmUp(crowd, wait);
        long warmUpMillis = millisSince(warmUpStart);
        int threadsBefore = Gauges.threads();
        java.util.Map<String, Integer> censusBefore = Gauges.census();
        long heapBefore = Gauges.heapAfterGc();
        java.util.Map<String, Long> histogramBefore = Gauges.histogram();

        int peers = crowd.senders.size();
        int total = peers * perPeer;
        crowd.expectedEach = perPeer;
        ExecutorService senders = Executors.newFixedThreadPool(peers, runnable -> {
            Thread thread = new Thread(runnable, "test-load-send");
            thread.setDaemon(true);
            return thread;
        });
        try (Gauges.Sampler sampler = new Gauges.Sampler(50, crowd::receiverStreams);
             Gauges.Sampler receiverThreads = new Gauges.Sampler(100,
                     () -> Gauges.threads(Burst::receiverStreamThread))) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (ChatCore sender : crowd.senders) {
                sent.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                        List<CompletableFuture<?>> own = new ArrayList<>();
                        for (int i = 0; i < perPeer; i++) {
                            own.add(sender.chat.send(crowd.receiver.id(), sender.id().user() + " #" + i));
                        }
                        CompletableFuture.allOf(own.toArray(CompletableFuture[]::new)).join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, senders));
            }
            long start = System.nanoTime();
            go.countDown();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(wait.toSeconds(), TimeUnit.SECONDS);
            long sendMillis = millisSince(start);
            awaitOrExplain(wait, () -> crowd.receivedTotal.get() >= total, crowd, total);
            long receivedMillis = millisSince(start);
            awaitOrExplain(wait, () -> crowd.acknowledged.size() >= total, crowd, total);
            long acknowledgedMillis = millisSince(start);
            senders.shutdown(); // its threads are the test's, not the cores'
            int receiverStreamsPeak = sampler.peakCount();
            int receiverThreadsPeak = receiverThreads.peakCount();
            int threadsPeak = sampler.peakThreads();
            long heapPeak = sampler.peakHeap();

            // Every stream goes idle and closes; then its threads are gone.
            Awaitility.await().atMost(wait).pollInterval(Duration.ofMillis(100))
                    .until(() -> crowd.receiverStreams() == 0 && Gauges.threads(Burst::streamThread) == 0
                            && senders.awaitTermination(0, TimeUnit.SECONDS));
            long settleMillis = millisSince(start) - acknowledgedMillis;
            // What the test itself recorded (every event of every core, the tallies) is not the cores'
            // memory: counted, then let go before the heap is measured.
            int receivedTotal = crowd.receivedTotal.get();
            int acknowledgedCount = crowd.acknowledged.size();
            crowd.acknowledged.clear();
            crowd.states.clear();
            crowd.received.clear();
            crowd.receiver.events.clear();
            crowd.senders.forEach(sender -> sender.events.clear());
            String grown = Gauges.grown(histogramBefore, Gauges.histogram(), 10);
            int streamThreadsAfter = Gauges.threads(Burst::streamThread);
            return new Result(peers, perPeer, sendMillis, receivedMillis, acknowledgedMillis, threadsBefore,
                    threadsPeak, Gauges.threads(), receiverThreadsPeak, receiverStreamsPeak, heapBefore, heapPeak,
                    Gauges.heapAfterGc(), crowd.duplicates.get(), streamThreadsAfter,
                    Gauges.added(censusBefore, Gauges.census()), crowd.troubleCounts(), crowd.startMillis,
                    warmUpMillis, settleMillis, receivedTotal, acknowledgedCount, grown);
        } finally {
            senders.shutdownNow();
        }
    }

    /**
     * One message from every sender, acknowledged, then every stream idle and closed: classes loaded,
     * keys pinned, pools started — what is measured after is the burst, not the first use.
     */
    private static void warmUp(Crowd crowd, Duration wait) {
        for (ChatCore sender : crowd.senders) {
            sender.chat.send(crowd.receiver.id(), "warm-up from " + sender.id());
        }
        int peers = crowd.senders.size();
        crowd.expectedEach = 1;
        awaitOrExplain(wait, () -> crowd.receivedTotal.get() >= peers && crowd.acknowledged.size() >= peers,
                crowd, peers);
        Awaitility.await().atMost(wait).pollInterval(Duration.ofMillis(100))
                .until(() -> crowd.receiverStreams() == 0 && Gauges.threads(Burst::streamThread) == 0);
        crowd.received.clear();
        crowd.receivedTotal.set(0);
        crowd.acknowledged.clear();
        crowd.states.clear();
    }

    private static void awaitOrExplain(Duration wait, java.util.concurrent.Callable<Boolean> done, Crowd crowd,
                                       int total) {
        try {
            Awaitility.await().atMost(wait).pollInterval(Duration.ofMillis(20)).until(done);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("after " + wait.toSeconds() + " s: received " + crowd.receivedTotal.get()
                    + " of " + total + ", acknowledged " + crowd.acknowledged.size() + ", duplicates "
                    + crowd.duplicates.get() + ", receiver streams " + crowd.receiverStreams() + "; "
                    + crowd.story(), e);
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
