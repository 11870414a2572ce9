package chat.pronto.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Timing samples of interleaved benchmark variants: warm-up rounds are dropped, percentiles reported. */
public final class Samples {
    private Samples() {
    }

    public interface Measured {
        long nanos() throws Exception;
    }

    public static void record(String what, int round, Map<String, List<Long>> samples, Measured measured)
            throws Exception {
        long nanos = measured.nanos();
        if (round >= 0) {
            samples.computeIfAbsent(what, key -> new ArrayList<>()).add(nanos);
        }
    }

    public static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }

    /** The results as a Markdown table of median, p10 and p90 per variant, as the README shows them. */
    public static void printTable(Map<String, List<Long>> samples, int rounds, int warmup) {
        System.out.printf("%nwarm medians over %d rounds after %d warm-up rounds (Java %s, %d cores)%n%n",
                rounds, warmup, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("| what | median | p10 | p90 |");
        System.out.println("|---|---|---|---|");
        samples.forEach((what, values) -> System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", what,
                format(percentile(values, 50)), format(percentile(values, 10)), format(percentile(values, 90))));
    }

    public static String format(long nanos) {
        return nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
    }
}
