package chat.pronto.soak;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.awaitility.core.ConditionTimeoutException;

import chat.pronto.lab.NetnsLab;

/**
 * Makes the planned faults, one after the other: kills and restarts a side, takes the link down and
 * up, restarts both. Each begins at its planned moment, but never before the two sides see each other
 * again after the fault before (bounded; how long it took is noted) and the conversation has gone on
 * for the fault's settling time, so that every fault hits messages on their way rather than a
 * conversation still recovering.
 */
final class ChaosLoop {
    private static final Duration START_BOUND = Duration.ofSeconds(60);
    private static final Duration QUIT_BOUND = Duration.ofSeconds(10);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

    private final List<FaultPlan.Fault> plan;
    private final SoakSide a;
    private final SoakSide b;
    private final NetnsLab lab;
    private final SoakClock clock;
    private final Timeline timeline;
    private final Duration origin;

    /** {@code origin}: when typing began, on the soak's clock; the plan's moments count from there. */
    ChaosLoop(List<FaultPlan.Fault> plan, SoakSide a, SoakSide b, NetnsLab lab, SoakClock clock, Timeline timeline,
              Duration origin) {
        this.plan = plan;
        this.a = a;
        this.b = b;
        this.lab = lab;
        this.clock = clock;
        this.timeline = timeline;
        this.origin = origin;
    }

    void run() throws IOException, InterruptedException {
        for (FaultPlan.Fault fault : plan) {
            awaitRecovery();
            Duration settled = clock.elapsed().plus(fault.settle());
            Duration planned = origin.plus(fault.at());
            clock.sleepUntil(settled.compareTo(planned) > 0 ? settled : planned);
            switch (fault.kind()) {
                case KILL_A -> killAndRestart(a, fault.lasting());
                case KILL_B -> killAndRestart(b, fault.lasting());
                case LINK_DOWN_UP -> linkDownAndUp(fault.sideA() ? a : b, fault.lasting());
                case RESTART_BOTH -> restartBoth(fault.lasting());
            }
        }
    }

    /** Waits until both sides see each other (at once when they still do), noting how long it took. */
    private void awaitRecovery() {
        long begin = System.nanoTime();
        if (a.seesPeer() && b.seesPeer()) {
            return;
        }
        try {
            await().atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> a.seesPeer() && b.seesPeer());
            timeline.note("both see each other again, " + seconds(Duration.ofNanos(System.nanoTime() - begin))
                    + " after the fault was over");
        } catch (ConditionTimeoutException e) {
            timeline.note("NOT SEEING EACH OTHER " + RECOVERY_BOUND.toSeconds() + " s after the fault was over ("
                    + a.name() + " sees " + b.name() + ": " + a.seesPeer() + ", " + b.name() + " sees " + a.name()
                    + ": " + b.seesPeer() + "); going on");
        }
    }

    private void killAndRestart(SoakSide side, Duration dead) throws IOException, InterruptedException {
        RunningPronto victim = side.current();
        timeline.faultBegins("kill -9 " + side.name() + " g" + victim.generation() + " (pid " + victim.pid()
                + "), restart after " + seconds(dead));
        side.killHard();
        Thread.sleep(dead.toMillis());
        startAndAwait(side);
    }

    private void linkDownAndUp(SoakSide side, Duration down) throws IOException, InterruptedException {
        timeline.faultBegins("link down at " + side.host().device() + " (" + side.name() + "'s end) for "
                + seconds(down));
        lab.setLink(side.host(), false);
        try {
            Thread.sleep(down.toMillis());
        } finally {
            lab.setLink(side.host(), true);
        }
        timeline.note("link up at " + side.host().device());
    }

    private void restartBoth(Duration stopped) throws IOException, InterruptedException {
        RunningPronto first = a.current();
        RunningPronto second = b.current();
        timeline.faultBegins("quit both (" + a.name() + " g" + first.generation() + ", " + b.name() + " g"
                + second.generation() + "), restart after " + seconds(stopped));
        a.quit();
        b.quit();
        for (RunningPronto leaving : List.of(first, second)) {
            if (!leaving.awaitExit(QUIT_BOUND)) {
                timeline.note("pid " + leaving.pid() + " still ran " + QUIT_BOUND.toSeconds() + " s after quit: killed");
                leaving.killHard();
                leaving.awaitExit(QUIT_BOUND);
            }
        }
        Thread.sleep(stopped.toMillis());
        RunningPronto startedA = a.start();
        RunningPronto startedB = b.start();
        awaitListening(a, startedA);
        awaitListening(b, startedB);
    }

    private void startAndAwait(SoakSide side) throws IOException {
        awaitListening(side, side.start());
    }

    private void awaitListening(SoakSide side, RunningPronto started) throws IOException {
        if (!started.awaitListening(START_BOUND)) {
            throw new IOException(side.name() + " g" + started.generation() + " did not listen within "
                    + START_BOUND.toSeconds() + " s of its start (see its log in " + side.host().directory() + ")");
        }
        timeline.note(side.name() + " g" + started.generation() + " (pid " + started.pid() + ") listens, "
                + seconds(started.startToListening()) + " after its start");
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
    }
}
