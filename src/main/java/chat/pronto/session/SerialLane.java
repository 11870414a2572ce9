package chat.pronto.session;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one peer's work in order, one task at a time, on threads borrowed from a shared pool: a
 * slow or blocked peer holds up only its own lane, never the other conversations.
 */
final class SerialLane implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialLane.class);

    private final Executor pool;
    private final String name;
    private final Deque<Runnable> tasks = new ArrayDeque<>();
    private boolean draining;

    SerialLane(Executor pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException shuttingDown) {
            synchronized (tasks) {
                tasks.clear();
                draining = false;
            }
        }
    }

    private void drain() {
        boolean emptied = false;
        try {
            while (true) {
                Runnable task;
                synchronized (tasks) {
                    task = tasks.poll();
                    if (task == null) {
                        draining = false;
                        emptied = true;
                        return;
                    }
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("a task for {} failed", name, e);
                }
            }
        } finally {
            if (!emptied) {
                // An Error escaped a task: hand what is left to a fresh thread, so the lane lives on.
                boolean more;
                synchronized (tasks) {
                    draining = false;
                    more = !tasks.isEmpty();
                }
                if (more) {
                    execute(() -> { });
                }
            }
        }
    }
}
