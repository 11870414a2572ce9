package chat.pronto.threads;

import java.time.Duration;
import java.util.Timer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place Pronto makes threads and executors (ArchUnit keeps it so). Every thread is named
 * {@code pronto-…}, so a thread dump says whose it is, and is a daemon, so no forgotten thread keeps
 * Pronto running after it quit: whoever owns an executor shuts it down with {@link #shutdown}.
 */
public final class Threads {
    private static final String PREFIX = "pronto-";
    /** Idle pool threads end after this long and come back with the next task: an idle app holds few threads. */
    private static final long KEEP_ALIVE_SECONDS = 30;

    private Threads() {
    }

    /** Daemon threads that all bear exactly {@code name} (for executors that only ever have one). */
    public static ThreadFactory named(String name) {
        checkName(name);
        return runnable -> daemon(name, runnable);
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, … in the order they are made. */
    public static ThreadFactory numbered(String prefix) {
        checkName(prefix);
        if (prefix.endsWith("-")) {
            throw new IllegalArgumentException("the number is added with its own '-': " + prefix);
        }
        AtomicInteger count = new AtomicInteger();
        return runnable -> daemon(prefix + "-" + count.incrementAndGet(), runnable);
    }

    /**
     * At most {@code threads} threads ({@code prefix-N}) taking tasks in order from a queue without a
     * bound: for work whose amount its callers already limit (one task per user action or per peer).
     */
    public static ExecutorService pool(String prefix, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), numbered(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * At most {@code threads} threads and {@code waiting} queued tasks; when both are full the oldest
     * waiting task is dropped for the new one: for work that goes stale (notifications), where a burst
     * must neither pile up threads nor memory.
     */
    public static ExecutorService droppingPool(String prefix, int threads, int waiting) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(waiting), numbered(prefix), new ThreadPoolExecutor.DiscardOldestPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** One thread called {@code name} running tasks one at a time, in the order they came. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }

    /**
     * One thread called {@code name} running delayed and periodic tasks (timeouts, watches). A
     * cancelled task leaves the queue at once, so timeouts that never fire do not pile up.
     */
    public static ScheduledExecutorService timer(String name) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named(name));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** A {@link java.util.Timer} on a daemon thread called {@code name}, for libraries whose tasks need one (JmDNS). */
    public static Timer taskTimer(String name) {
        checkName(name);
        return new Timer(name, true);
    }

    /** Starts {@code body} on a dedicated daemon thread called {@code name} (a stream's reader, the acceptor). */
    public static Thread start(String name, Runnable body) {
        Thread thread = unstarted(name, body);
        thread.start();
        return thread;
    }

    /**
     * A daemon thread called {@code name} that is not started yet: for a shutdown hook, or for an owner
     * that must know its thread before the thread runs.
     */
    public static Thread unstarted(String name, Runnable body) {
        checkName(name);
        return daemon(name, body);
    }

    /**
     * Threads for work that lasts as long as a connection (a stream's reader and its writer), kept when
     * that work ends, for the next connection's: making a thread here costs 0.4–0.5 ms (its stack mapped,
     * a clone), taking a kept one 0.05–0.1 ms, and a first message waits for four of them (the reader and
     * the writer at both ends). Up to {@code keep} threads wait for work as long as the pool lives; more,
     * up to {@code most} in all, come when many connections run at once and end after {@code extrasFor}
     * without work (a burst of connections leaves no crowd of threads behind); beyond {@code most} a task
     * gets a thread of its own, as {@link #start} gives. Each task runs under the name it is given; a
     * kept thread waits as {@code prefix-N}. Whoever owns it shuts it down ({@link Kept#shutdown}).
     */
    public static Kept kept(String prefix, int keep, int most, Duration extrasFor) {
        return new Kept(prefix, keep, most, extrasFor);
    }

    /** See {@link #kept}. */
    public static final class Kept {
        private final ThreadPoolExecutor pool;

        private Kept(String prefix, int keep, int most, Duration extrasFor) {
            pool = new ThreadPoolExecutor(keep, Math.max(keep, most), extrasFor.toNanos(), TimeUnit.NANOSECONDS,
                    new java.util.concurrent.SynchronousQueue<>(), numbered(prefix));
            // Made now: a pool that is not full yet makes a new thread for each task even while others wait.
            pool.prestartAllCoreThreads();
        }

        /** Runs {@code body} on a kept thread (or a new one) called {@code name} while it runs. */
        public void start(String name, Runnable body) {
            checkName(name);
            Runnable named = () -> {
                Thread thread = Thread.currentThread();
                String waiting = thread.getName();
                thread.setName(name);
                try {
                    body.run();
                } finally {
                    thread.setName(waiting);
                }
            };
            try {
                pool.execute(named);
            } catch (java.util.concurrent.RejectedExecutionException busyOrClosed) {
                Threads.start(name, body);
            }
        }

        /** Ends the kept threads (after the work they still do, for at most {@code wait}). */
        public boolean shutdown(Duration wait) {
            return Threads.shutdown(pool, wait);
        }
    }

    /**
     * Stops taking tasks, lets those already given finish for at most {@code wait}, then interrupts
     * what still runs and drops what still waits. Returns whether every task ended in time.
     */
    public static boolean shutdown(ExecutorService executor, Duration wait) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        return false;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void checkName(String name) {
        if (name == null || !name.startsWith(PREFIX) || name.length() == PREFIX.length()) {
            throw new IllegalArgumentException("Pronto's threads are named " + PREFIX + "…, not " + name);
        }
    }
}
