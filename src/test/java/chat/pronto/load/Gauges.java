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

    /** Samples the JVM's threads, heap and a count of the caller's every {@code periodMillis} until closed. */
    static final class Sampler implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile int peakThreads;
        private volatile long peakHeap;
        private volatile int peakCount;

        Sampler(long periodMillis, IntSupplier count) {
            thread = new Thread(() -> {
                while (running.get()) {
                    peakThreads = Math.max(peakThreads, threads());
                    peakHeap = Math.max(peakHeap, heapUsed());
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

        long peakHeap() {
            return peakHeap;
        }

        int peakCount() {
            return peakCount;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(2000);
        }
    }
}
