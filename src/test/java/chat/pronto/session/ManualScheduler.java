package chat.pronto.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler whose clock moves only when the test says so: retries and grace periods without waiting. */
final class ManualScheduler implements Scheduler {
    private final class Task implements Scheduled {
        final long due;
        final Runnable work;
        boolean cancelled;

        Task(long due, Runnable work) {
            this.due = due;
            this.work = work;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now;

    @Override
    public synchronized Scheduled schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(now + delay.toMillis(), task);
        tasks.add(scheduled);
        return scheduled;
    }

    /** Moves the clock on, running what falls due in order (including what those tasks schedule). */
    void advance(Duration by) {
        long until;
        synchronized (this) {
            until = now + by.toMillis();
        }
        while (true) {
            Task due;
            synchronized (this) {
                due = tasks.stream().filter(task -> !task.cancelled && task.due <= until)
                        .min(Comparator.comparingLong(task -> task.due)).orElse(null);
                if (due == null) {
                    now = until;
                    return;
                }
                tasks.remove(due);
                now = due.due;
            }
            due.work.run();
        }
    }

    /** The test's clock, in nanoseconds (it starts at an arbitrary point, as System.nanoTime does). */
    synchronized long nanoTime() {
        return 7_000_000_000L + now * 1_000_000L;
    }

    /** Waits of the tasks not yet run or cancelled, from now. */
    synchronized List<Duration> pending() {
        return tasks.stream().filter(task -> !task.cancelled).map(task -> Duration.ofMillis(task.due - now)).toList();
    }
}
