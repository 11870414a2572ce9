package chat.pronto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The suite's arithmetic: nearest-rank percentiles, ratios over the baseline, and the goal's verdict. */
class SuiteReportTest {
    private static List<Long> oneToHundredMicros() {
        List<Long> samples = new ArrayList<>();
        for (long i = 100; i >= 1; i--) {
            samples.add(i * 1000);
        }
        return samples;
    }

    @Test
    void percentilesAreNearestRankOverSortedSamples() {
        Figure figure = Figure.latency("k", "what", oneToHundredMicros());
        assertEquals(50_000, figure.percentile(50));
        assertEquals(99_000, figure.percentile(99));
        assertEquals(100_000, figure.percentile(100));
        assertEquals("p50 50.0 µs · p99 99.0 µs (n = 100)", figure.shown());
    }

    @Test
    void ratiosAreProntoOverBaseline() {
        Figure pronto = Figure.latency("p", "pronto", List.of(2_000L, 4_000L));
        Figure baseline = Figure.latency("b", "baseline", List.of(1_000L, 1_000L));
        assertEquals("2.00× (p50) · 4.00× (p99)", SuiteReport.ratio(pronto, baseline));
        assertEquals("0.50×", SuiteReport.ratio(Figure.rate("p", "pronto", 1_000, 2_000_000_000L),
                Figure.rate("b", "baseline", 1_000, 1_000_000_000L)));
        assertEquals("—", SuiteReport.ratio(pronto, Figure.skipped("b", "baseline", "not here")));
    }

    @Test
    void theTableJudgesTheGoalAndNamesWhatWasSkipped() {
        SuiteReport report = new SuiteReport(new MachineInfo("today", 2, "cpu", "jdk", "linux", "0 0 0", "abc"), "test");
        report.add(Figure.latency("p", "pronto", List.of(500L)));
        report.add(Figure.latency("b", "baseline", List.of(1_000L)));
        report.add(Figure.skipped("s", "other", "no prosody"));
        report.compare(new SuiteReport.Comparison("rtt", "p", "b", "≤ 1×",
                (p, b) -> p.percentile(50) <= b.percentile(50)));
        String markdown = report.markdown();
        assertTrue(markdown.startsWith("Measured today on 2 cores (nproc), cpu, JDK jdk"), markdown);
        assertTrue(markdown.contains("| rtt | p50 0.5 µs · p99 0.5 µs (n = 1) | baseline: p50 1.0 µs · p99 1.0 µs (n = 1) "
                + "| 0.50× (p50) · 0.50× (p99) | ≤ 1× — **met** |"), markdown);
        assertEquals(List.of("s"), report.skipped().stream().map(Figure::key).toList());
    }
}
