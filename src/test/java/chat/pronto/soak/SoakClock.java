package chat.pronto.soak;

import java.time.Duration;

/** The soak's own time line: everything it prints says how long after the start it happened. */
final class SoakClock {
    private final long startNanos = System.nanoTime();

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Waits until {@code offset} after the start: the workload's pacing, not a wait for a result. */
    void sleepUntil(Duration offset) throws InterruptedException {
        long nanos = offset.minus(elapsed()).toNanos();
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    String now() {
        return format(elapsed());
    }

    static String format(Duration offset) {
        return String.format(java.util.Locale.ROOT, "%s%.3fs", offset.isNegative() ? "-" : "+",
                Math.abs(offset.toMillis()) / 1000.0);
    }
}
