package chat.pronto.session;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.history.History;
import chat.pronto.threads.Threads;

/**
 * Stores in groups. Writes handed in from any thread are applied in the order they came, as many as
 * have gathered in one transaction (one commit), and each write's continuation runs after the commit
 * that holds it, in the same order. So a busy stream stores every message before its receipt goes out
 * without a disk write per message, and the front ends hear of changes in the order they were stored.
 * A group that fails is tried again one write at a time: one bad write (a full disk mid-group) fails
 * only itself and what came after it while the disk stayed full.
 *
 * <p>Continuations run on the committing thread: they must be quick and never wait for this object
 * (they may hand in new writes: those never wait either). That thread is the store's own, or, for a
 * write handed in by {@link #submitHere} while nothing else is being stored, the caller's: a message
 * read from a stream is then stored and acknowledged without waking another thread (one hand-off less
 * on every round trip), while a busy store still gathers everything into groups.
 */
final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** The most writes in one transaction (keeps one commit, and the wait of a read behind it, short). */
    static final int MAX_GROUP = 4096;
    /** Writers wait beyond this many: a disk slower than the network holds the streams back (TCP), not memory. */
    static final int MAX_WAITING = 65_536;

    /** A change (or read) of the history, applied inside a transaction. */
    @FunctionalInterface
    interface Write<T> {
        T apply(History history) throws IOException;
    }

    private record Pending<T>(Write<T> write, Consumer<? super T> then, Consumer<IOException> failed) {
        Outcome<T> apply(History history) throws IOException {
            return new Outcome<>(this, write.apply(history));
        }
    }

    private record Outcome<T>(Pending<T> pending, T result) {
        void tell() {
            pending.then().accept(result);
        }
    }

    private final History history;
    private final boolean inline;
    private final ArrayDeque<Pending<?>> waiting = new ArrayDeque<>();
    private Thread thread;
    private boolean stopped;
    /** A group is being committed and told, by the store's thread or by a caller ({@link #submitHere}). */
    private boolean committing;
    /** Writes handed in, and writes committed (or failed), since the start: reads wait for the first to reach the second. */
    private long submitted;
    private long committed;

    private GroupCommit(History history, boolean inline) {
        this.history = history;
        this.inline = inline;
    }

    /** Commits on a thread of its own, {@code name}. */
    static GroupCommit threaded(History history, String name) {
        GroupCommit commit = new GroupCommit(history, false);
        commit.thread = Threads.start(name, commit::run);
        return commit;
    }

    /** Each write is its own transaction, applied at once on the thread that hands it in (for tests). */
    static GroupCommit inline(History history) {
        return new GroupCommit(history, true);
    }

    /**
     * Applies {@code write} in a coming transaction; after its commit, {@code then} gets its result, or
     * {@code failed} the reason it was not stored. Waits while very many writes are waiting already.
     *
     * @throws RejectedExecutionException once stopped (Pronto is closing)
     */
    <T> void submit(Write<T> write, Consumer<? super T> then, Consumer<IOException> failed) {
        Pending<T> pending = new Pending<>(write, then, failed);
        if (inline) {
            synchronized (this) {
                if (stopped) {
                    throw new RejectedExecutionException("closing");
                }
            }
            commit(List.of(pending));
            return;
        }
        synchronized (this) {
            boolean mayWait = Thread.currentThread() != thread;
            while (mayWait && waiting.size() >= MAX_WAITING && !stopped) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (stopped) {
                throw new RejectedExecutionException("closing");
            }
            waiting.add(pending);
            submitted++;
            notifyAll();
        }
    }

    /**
     * {@link #submit}, but when nothing else is waiting or being stored, {@code write} is applied and
     * committed at once on the calling thread, and {@code then} (or {@code failed}) runs there before
     * this returns. Only for threads that may wait for a commit (a stream's reader, a peer's lane): never
     * the UI's.
     *
     * @throws RejectedExecutionException once stopped (Pronto is closing)
     */
    <T> void submitHere(Write<T> write, Consumer<? super T> then, Consumer<IOException> failed) {
        boolean idle;
        synchronized (this) {
            idle = !inline && !committing && waiting.isEmpty() && !stopped && Thread.currentThread() != thread;
            if (idle) {
                committing = true;
                submitted++;
            }
        }
        if (!idle) {
            submit(write, then, failed);
            return;
        }
        try {
            commit(List.of(new Pending<>(write, then, failed)));
        } finally {
            synchronized (this) {
                committing = false;
                notifyAll();
            }
        }
    }

    /**
     * Waits until every write handed in before this call is committed (or failed): a read of the history
     * after it sees them all. Returns at once on the committing thread itself and once stopped.
     */
    void awaitCommitted() {
        if (inline || Thread.currentThread() == thread) {
            return;
        }
        synchronized (this) {
            long target = submitted;
            while (committed < target && thread.isAlive()) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Takes no more writes; what waits is still stored, for up to {@code finishWithin}. */
    void stop(Duration finishWithin) {
        long deadline = System.nanoTime() + finishWithin.toNanos();
        synchronized (this) {
            stopped = true;
            notifyAll();
            // A caller's commit (submitHere) finishes before the history may be closed under it.
            while (committing && thread != Thread.currentThread() && System.nanoTime() - deadline < 0) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(finishWithin.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("the history did not finish storing within {}", finishWithin);
                thread.interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            List<Pending<?>> group = new ArrayList<>();
            synchronized (this) {
                while (committing || waiting.isEmpty() && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (waiting.isEmpty()) {
                    return; // stopped, and everything stored
                }
                while (!waiting.isEmpty() && group.size() < MAX_GROUP) {
                    group.add(waiting.poll());
                }
                committing = true;
                notifyAll(); // writers waiting for room
            }
            try {
                commit(group);
            } finally {
                synchronized (this) {
                    committing = false;
                    notifyAll();
                }
            }
        }
    }

    /**
     * One transaction for the whole group; if it fails, each write alone. Each is counted as committed
     * as soon as its transaction ends, before the continuations run, in order: a read waiting in
     * {@link #awaitCommitted} (the lane a continuation just woke) need not wait for them too.
     */
    private void commit(List<Pending<?>> group) {
        List<Outcome<?>> outcomes = new ArrayList<>(group.size());
        try {
            history.inOneTransaction(() -> {
                for (Pending<?> pending : group) {
                    outcomes.add(pending.apply(history));
                }
            });
        } catch (IOException | RuntimeException e) {
            if (group.size() == 1) {
                counted(1);
                fail(group.get(0), e);
                return;
            }
            for (Pending<?> pending : group) {
                commit(List.of(pending));
            }
            return;
        }
        counted(group.size());
        for (Outcome<?> outcome : outcomes) {
            try {
                outcome.tell();
            } catch (RuntimeException e) {
                LOG.error("acting on a stored change failed", e);
            }
        }
    }

    private synchronized void counted(int writes) {
        committed += writes;
        notifyAll();
    }

    private static void fail(Pending<?> pending, Exception e) {
        IOException why = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        if (e instanceof RuntimeException) {
            LOG.error("a change of the history failed", e);
        }
        try {
            pending.failed().accept(why);
        } catch (RuntimeException again) {
            LOG.error("acting on a failed change failed", again);
        }
    }
}
