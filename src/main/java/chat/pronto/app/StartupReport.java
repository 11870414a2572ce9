package chat.pronto.app;

import java.time.Duration;

import chat.pronto.threads.Threads;
import chat.pronto.ui.DesktopApp;
import chat.pronto.ui.StartupMoments;

/**
 * Start-up measurements: with {@code PRONTO_STARTUP_REPORT=1} in the environment (works for the
 * installed launcher and {@code java -jar} alike) Pronto prints one line when the window's first
 * frame with the people list has been painted:
 * {@code startup<TAB>first-frame<TAB>EPOCH_MS<TAB>MS_SINCE_PROCESS_START}.
 */
final class StartupReport {
    static final String VARIABLE = "PRONTO_STARTUP_REPORT";
    /** The training run stays this long after the first frame, so the network's start is in the archive too. */
    private static final Duration TRAINING_STAY = Duration.ofMillis(2500);

    private StartupReport() {
    }

    static boolean wanted() {
        return "1".equals(System.getenv(VARIABLE));
    }

    /**
     * {@code startup<TAB>moments<TAB>NAME=EPOCH_MS…}: when each moment the first frame depends on passed
     * (main called, the toolkit up, the core made, the window built and shown), as the clock read then: a
     * benchmark subtracts its launch time (the process's own start time is known only to the second).
     */
    static String moments() {
        StringBuilder line = new StringBuilder("startup\tmoments");
        for (StartupMoments.Moment moment : StartupMoments.all()) {
            line.append('\t').append(moment.name()).append('=').append(moment.epochMillis());
        }
        return line.toString();
    }

    /** What the window does at its first frame: report it if asked, and quit if this is a training run. */
    static DesktopApp.FirstFrameListener firstFrame(boolean exitAfterwards) {
        boolean report = wanted();
        return closeWindow -> {
            if (report) {
                long now = System.currentTimeMillis();
                long sinceStart = ProcessHandle.current().info().startInstant()
                        .map(start -> now - start.toEpochMilli()).orElse(-1L);
                System.out.println("startup\tfirst-frame\t" + now + "\t" + sinceStart);
                System.out.println(moments());
                System.out.flush();
            }
            if (exitAfterwards) {
                Threads.start("pronto-training-exit", () -> {
                    try {
                        Thread.sleep(TRAINING_STAY.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    closeWindow.run();
                });
            }
        };
    }
}
