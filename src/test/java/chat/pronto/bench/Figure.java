package chat.pronto.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One measured figure of the benchmark suite: a latency (every sample kept, shown as p50 and p99),
 * a rate (messages over the time they took), or a figure that could not be measured here and why.
 */
public record Figure(String key, String what, Kind kind, List<Long> nanos, long count, long elapsedNanos,
                     String note) {
    public enum Kind { LATENCY, RATE, SKIPPED }

    public Figure {
        nanos = List.copyOf(nanos);
    }

    public static Figure latency(String key, String what, List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return new Figure(key, what, Kind.LATENCY, sorted, sorted.size(), 0, "");
    }

    /** {@code count} messages (or events) in {@code elapsedNanos}. */
    public static Figure rate(String key, String what, long count, long elapsedNanos) {
        return new Figure(key, what, Kind.RATE, List.of(), count, elapsedNanos, "");
    }

    public static Figure skipped(String key, String what, String why) {
        return new Figure(key, what, Kind.SKIPPED, List.of(), 0, 0, why);
    }

    public Figure withNote(String text) {
        return new Figure(key, what, kind, nanos, count, elapsedNanos, text);
    }

    public boolean measured() {
        return kind != Kind.SKIPPED && (kind == Kind.RATE ? elapsedNanos > 0 : !nanos.isEmpty());
    }

    /** The sample at {@code percent} (nearest rank) of a latency. */
    public long percentile(int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * nanos.size());
        return nanos.get(Math.max(0, Math.min(nanos.size() - 1, rank - 1)));
    }

    public double perSecond() {
        return count * 1e9 / elapsedNanos;
    }

    /** How the table shows it: "p50 263 µs · p99 1.70 ms (n = 10,000)", or "7,526 msg/s (20,000 in 2.66 s)". */
    public String shown() {
        return switch (kind) {
            case LATENCY -> nanos.isEmpty() ? "no samples"
                    : "p50 " + time(percentile(50)) + " · p99 " + time(percentile(99))
                            + String.format(Locale.ROOT, " (n = %,d)", nanos.size());
            case RATE -> String.format(Locale.ROOT, "%,.0f msg/s (%,d in %.2f s)", perSecond(), count,
                    elapsedNanos / 1e9);
            case SKIPPED -> "not measured: " + note;
        };
    }

    public static String time(long nanos) {
        if (nanos >= 10_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
}
