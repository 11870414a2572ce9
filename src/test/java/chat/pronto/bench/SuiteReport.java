package chat.pronto.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * What one run of the suite measured: every figure, the comparisons the issue asks for (a Pronto
 * figure over its baseline from the same run, as a ratio), rows that other benchmarks hand in, and
 * the machine; printed and written as the Markdown file the README shows.
 */
public final class SuiteReport {
    /**
     * One line of the main table: Pronto's figure over a baseline's. {@code met} judges the goal, or is
     * null where the goal is not a plain comparison.
     */
    public record Comparison(String figure, String prontoKey, String baselineKey, String goal,
                             BiPredicate<Figure, Figure> met) {
    }

    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final List<Comparison> comparisons = new ArrayList<>();
    /** Ready-made rows of the main table from other benchmarks: figure, Pronto, baseline, ratio, goal. */
    private final List<List<String>> handedIn = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> sections = new LinkedHashMap<>();
    private final MachineInfo machine;
    private final String mode;

    public SuiteReport(MachineInfo machine, String mode) {
        this.machine = machine;
        this.mode = mode;
    }

    public synchronized void add(Figure figure) {
        figures.put(figure.key(), figure);
        System.out.println("  " + figure.what() + ": " + figure.shown());
    }

    /** The figures that could not be measured in this run. */
    public synchronized java.util.List<Figure> skipped() {
        return figures.values().stream().filter(figure -> !figure.measured()).toList();
    }

    public synchronized void compare(Comparison comparison) {
        comparisons.add(comparison);
    }

    public synchronized void handIn(List<String> row) {
        handedIn.add(List.copyOf(row));
    }

    public synchronized void note(String text) {
        notes.add(text);
        System.out.println("  note: " + text);
    }

    /** A whole section of Markdown (another benchmark's own output). */
    public synchronized void section(String title, String markdown) {
        sections.put(title, markdown);
    }

    public synchronized String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(machine.date()).append(" on ").append(machine.describe()).append(" — ")
                .append(mode).append(".\n\n");
        md.append("| figure | Pronto | baseline (same run) | Pronto ÷ baseline | goal |\n");
        md.append("|---|---|---|---|---|\n");
        for (Comparison comparison : comparisons) {
            Figure pronto = figures.get(comparison.prontoKey());
            Figure baseline = figures.get(comparison.baselineKey());
            md.append("| ").append(comparison.figure())
                    .append(" | ").append(cell(pronto))
                    .append(" | ").append(baseline == null ? "—" : baseline.what() + ": " + cell(baseline))
                    .append(" | ").append(ratio(pronto, baseline))
                    .append(" | ").append(goal(comparison, pronto, baseline)).append(" |\n");
        }
        for (List<String> row : handedIn) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append("\nEvery figure of the run:\n\n| what | figure | note |\n|---|---|---|\n");
        figures.values().forEach(figure -> md.append("| ").append(figure.what()).append(" | ").append(figure.shown())
                .append(" | ").append(figure.kind() == Figure.Kind.SKIPPED ? "" : figure.note()).append(" |\n"));
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        sections.forEach((title, body) -> md.append("\n#### ").append(title).append("\n\n").append(body.strip())
                .append('\n'));
        return md.toString();
    }

    private static String cell(Figure figure) {
        return figure == null ? "—" : figure.shown();
    }

    /** Pronto over the baseline: p50 and p99 for latencies (above 1 is slower), the rate for rates (above 1 is faster). */
    static String ratio(Figure pronto, Figure baseline) {
        if (pronto == null || baseline == null || !pronto.measured() || !baseline.measured()) {
            return "—";
        }
        if (pronto.kind() == Figure.Kind.RATE && baseline.kind() == Figure.Kind.RATE) {
            return String.format(Locale.ROOT, "%.2f×", pronto.perSecond() / baseline.perSecond());
        }
        if (pronto.kind() == Figure.Kind.LATENCY && baseline.kind() == Figure.Kind.LATENCY) {
            return String.format(Locale.ROOT, "%.2f× (p50) · %.2f× (p99)",
                    (double) pronto.percentile(50) / baseline.percentile(50),
                    (double) pronto.percentile(99) / baseline.percentile(99));
        }
        return "—";
    }

    private static String goal(Comparison comparison, Figure pronto, Figure baseline) {
        if (comparison.met() == null || pronto == null || baseline == null || !pronto.measured()
                || !baseline.measured()) {
            return comparison.goal();
        }
        return comparison.goal() + (comparison.met().test(pronto, baseline) ? " — **met**" : " — not met");
    }

    public Path write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
        return file;
    }
}
