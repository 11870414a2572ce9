package chat.pronto.soak;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.awaitility.core.ConditionTimeoutException;

import chat.pronto.lab.NetnsLab;
import chat.pronto.threads.Threads;

/**
 * One soak, start to count: alice on host a and bob on host b start; each types its numbered
 * messages to the other while the chaos loop makes its faults; then, with both running and seeing
 * each other, the outboxes drain (bounded), both quit, and both histories are counted.
 */
final class SoakRun {
    /** What a soak found: the counts per way, the report that explains them, and what kept the harness from doing its part. */
    record Result(List<DirectionCount> counts, String report, List<String> harnessProblems, Path reportFile) {
    }

    private static final Duration START_BOUND = Duration.ofSeconds(60);
    private static final Duration MEET_BOUND = Duration.ofSeconds(60);
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(30);
    private static final Duration QUIT_BOUND = Duration.ofSeconds(15);

    private final NetnsLab lab;
    private final SoakSettings settings;
    private final PrintStream out;
    private final SoakClock clock = new SoakClock();
    private final Timeline timeline;
    private final List<String> harnessProblems = new ArrayList<>();

    SoakRun(NetnsLab lab, SoakSettings settings, PrintStream out) {
        this.lab = lab;
        this.settings = settings;
        this.out = out;
        this.timeline = new Timeline(clock, out);
    }

    Result run() throws IOException, InterruptedException {
        out.println("[soak] " + settings.describe());
        DirectionLedger aToB = new DirectionLedger("a->b");
        DirectionLedger bToA = new DirectionLedger("b->a");
        Bookkeeper bookkeeper = new Bookkeeper(Map.of("alice@hosta", aToB, "bob@hostb", bToA), timeline);
        SoakSide a = new SoakSide("alice@hosta", "bob@hostb", lab, lab.host(0), settings.window(), settings.traffic(),
                bookkeeper, clock);
        SoakSide b = new SoakSide("bob@hostb", "alice@hosta", lab, lab.host(1), settings.window(), settings.traffic(),
                bookkeeper, clock);

        Random random = new Random(settings.seed());
        List<FaultPlan.Fault> plan = FaultPlan.make(settings, random);
        plan.forEach(fault -> out.println("[soak] planned: " + fault));
        startBoth(a, b);
        bothSeeEachOther(a, b, "at the start");

        Duration origin = clock.elapsed();
        timeline.note("typing begins; the planned moments count from here");
        Typist typesAtoB = new Typist(a, "a->b", settings, new Random(random.nextLong()), aToB, clock, timeline, origin);
        Typist typesBtoA = new Typist(b, "b->a", settings, new Random(random.nextLong()), bToA, clock, timeline, origin);
        Thread typingA = Threads.start("pronto-soak-typist-a", typesAtoB);
        Thread typingB = Threads.start("pronto-soak-typist-b", typesBtoA);
        try {
            new ChaosLoop(plan, a, b, lab, clock, timeline, origin).run();
            timeline.note("chaos over (" + plan.size() + " faults)");
        } catch (IOException | RuntimeException chaosFailed) {
            // Still count what the histories hold: the report says why the run stopped short.
            harnessProblems.add("the chaos loop stopped: " + chaosFailed.getMessage());
            timeline.note("CHAOS STOPPED: " + chaosFailed.getMessage());
            typingA.interrupt();
            typingB.interrupt();
        }
        Duration typingBound = settings.typingTime().multipliedBy(3).plusSeconds(180);
        typingA.join(typingBound.toMillis());
        typingB.join(typingBound.toMillis());
        for (Typist typist : List.of(typesAtoB, typesBtoA)) {
            if (typist.failure() != null) {
                harnessProblems.add("typing stopped early: " + typist.failure());
            }
        }
        timeline.note("typing over: a->b " + aToB.typedCount() + ", b->a " + bToA.typedCount());
        for (SoakSide side : List.of(a, b)) {
            if (!side.awaitAnswers(ANSWER_BOUND)) {
                harnessProblems.add(side.name() + " did not answer every typed message within " + ANSWER_BOUND.toSeconds() + " s");
            }
        }
        bothSeeEachOther(a, b, "at the end");
        String drain = OutboxDrain.awaitDrained(List.of(aToB, bToA), settings);
        timeline.note("drain: " + drain);
        quitBoth(a, b);

        List<DirectionCount> counts = List.of(HistoryCensus.count(aToB, a, b), HistoryCensus.count(bToA, b, a));
        String took = String.format(Locale.ROOT, "%.1f s", clock.elapsed().toMillis() / 1000.0);
        String report = SoakReport.of(settings, timeline, counts, drain, harnessProblems, took,
                lab.host(0).directory().getParent().toString());
        Path file = keep(report);
        out.println(report);
        out.println("[soak] report kept in " + file.toAbsolutePath());
        return new Result(counts, report, List.copyOf(harnessProblems), file);
    }

    private void startBoth(SoakSide a, SoakSide b) throws IOException {
        RunningPronto first = a.start();
        RunningPronto second = b.start();
        for (RunningPronto started : List.of(first, second)) {
            if (!started.awaitListening(START_BOUND)) {
                throw new IOException("pid " + started.pid() + " did not listen within " + START_BOUND.toSeconds()
                        + " s (logs in " + lab.host(0).directory().getParent() + ")");
            }
        }
        timeline.note("both listen (" + first.startToListening().toMillis() + " ms, "
                + second.startToListening().toMillis() + " ms after their start)");
    }

    private void bothSeeEachOther(SoakSide a, SoakSide b, String when) {
        try {
            await().atMost(MEET_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> a.seesPeer() && b.seesPeer());
            timeline.note("both see each other " + when);
        } catch (ConditionTimeoutException e) {
            harnessProblems.add("alice and bob did not both see each other " + when + " within "
                    + MEET_BOUND.toSeconds() + " s (alice sees bob: " + a.seesPeer() + ", bob sees alice: "
                    + b.seesPeer() + ")");
        }
    }

    private void quitBoth(SoakSide a, SoakSide b) {
        List<RunningPronto> leaving = List.of(a.quit(), b.quit());
        for (RunningPronto process : leaving) {
            if (!process.awaitExit(QUIT_BOUND)) {
                harnessProblems.add("pid " + process.pid() + " still ran " + QUIT_BOUND.toSeconds()
                        + " s after quit; killed before counting");
                process.killHard();
                process.awaitExit(QUIT_BOUND);
            }
        }
    }

    /** The report also goes to target/soak/, so a long run's result outlives the console. */
    private Path keep(String report) throws IOException {
        Path folder = Files.createDirectories(Path.of("target", "soak"));
        Path file = folder.resolve("soak-seed%d-%dx%d.txt".formatted(settings.seed(), settings.messages(),
                settings.faults()));
        Files.writeString(file, report, StandardCharsets.UTF_8);
        return file;
    }
}
