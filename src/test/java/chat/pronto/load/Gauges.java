package chat.pronto.load;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/** Threads and heap of this JVM, measured now or sampled while something runs. */
final class Gauges {
    private Gauges() {
    }

    static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static int threads(Predicate<String> named) {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && named.test(thread.getName())).count();
    }

    /** Live threads by name, numbers folded ({@code pronto-pool-#}): a census to compare before and after. */
    static java.util.Map<String, Integer> census() {
        java.util.Map<String, Integer> census = new java.util.TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive()) {
                census.merge(thread.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
            }
        }
        return census;
    }

    /** What {@code after} has more of than {@code before}. */
    static java.util.Map<String, Integer> added(java.util.Map<String, Integer> before, java.util.Map<String, Integer> after) {
        java.util.Map<String, Integer> added = new java.util.TreeMap<>();
        after.forEach((name, count) -> {
            int more = count - before.getOrDefault(name, 0);
            if (more > 0) {
                added.put(name, more);
            }
        });
        return added;
    }

    /** Live objects per class (a full GC first): bytes by class name. */
    static java.util.Map<String, Long> histogram() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            java.util.Map<String, Long> bytes = new java.util.HashMap<>();
            for (String line : text.split("\n")) {
                String[] cells = line.trim().split("\\s+");
                if (cells.length >= 4 && cells[0].endsWith(":")) {
                    bytes.put(cells[3], Long.parseLong(cells[2]));
                }
            }
            return bytes;
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classes that grew most from {@code before} to {@code after}, largest first. */
    static String grown(java.util.Map<String, Long> before, java.util.Map<String, Long> after, int top) {
        return after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top).map(e -> e.getKey() + " +" + mib(e.getValue())).toList().toString();
    }

    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Heap in use once the garbage is collected (a few full collections, until it stops shrinking). */
    static long heapAfterGc() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = heapUsed();
            if (now >= last - 256 * 1024) {
                return Math.min(now, last);
            }
            last = now;
        }
        return last;
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** Milliseconds at percentile {@code p} (0–100) of {@code values}. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /**
     * Samples the JVM's threads and a count of the caller's every {@code periodMillis} until closed, and the
     * heap each garbage collection left in use. The heap is taken after collections, not sampled: what is in
     * use between two collections includes garbage, as much as the collector lets pile up, and that depends
     * on the machine's memory (the default heap is a quarter of it), not on what Pronto keeps.
     */
    static final class Sampler implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private final RetainedHeap retained = new RetainedHeap();
        private volatile int peakThreads;
        private volatile int peakCount;

        Sampler(long periodMillis, IntSupplier count) {
            thread = new Thread(() -> {
                while (running.get()) {
                    peakThreads = Math.max(peakThreads, threads());
                    peakCount = Math.max(peakCount, count.getAsInt());
                    try {
                        Thread.sleep(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "test-load-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        int peakThreads() {
            return peakThreads;
        }

        /**
         * The most heap any collection during the sampling left in use; when none ran, the heap in use now
         * (garbage included, so never less than what was kept).
         */
        long peakHeap() {
            return retained.peak().orElseGet(Gauges::heapUsed);
        }

        int peakCount() {
            return peakCount;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(2000);
            retained.close();
        }
    }

    /** The heap left in use after each garbage collection, from the collectors' notifications. */
    private static final class RetainedHeap implements javax.management.NotificationListener, AutoCloseable {
        private final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong(-1);

        RetainedHeap() {
            for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (collector instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener(this, null, null);
                    emitters.add(emitter);
                }
            }
        }

        @Override
        public void handleNotification(javax.management.Notification notification, Object handback) {
            if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                    .equals(notification.getType())) {
                return;
            }
            var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                    (javax.management.openmbean.CompositeData) notification.getUserData());
            long after = 0;
            for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                var usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                if (usage != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
                    after += usage.getUsed();
                }
            }
            peak.accumulateAndGet(after, Math::max);
        }

        java.util.OptionalLong peak() {
            long value = peak.get();
            return value < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(value);
        }

        @Override
        public void close() {
            for (var emitter : emitters) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (javax.management.ListenerNotFoundException e) {
                    // never added: nothing to remove
                }
            }
        }
    }
}
