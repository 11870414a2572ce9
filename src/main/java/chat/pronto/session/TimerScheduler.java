package chat.pronto.session;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A {@link Scheduler} on a timer thread. */
final class TimerScheduler implements Scheduler {
    private static final Scheduled NOTHING = () -> { };

    private final ScheduledExecutorService timer;

    TimerScheduler(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        try {
            ScheduledFuture<?> future = timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException shuttingDown) {
            return NOTHING;
        }
    }
}
