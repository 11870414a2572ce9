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
