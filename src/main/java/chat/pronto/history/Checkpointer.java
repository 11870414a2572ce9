package chat.pronto.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.threads.Threads;

/**
 * Copies the history's WAL into the database file on a thread of its own, over a connection of its
 * own, at most once per {@code every} and only after something was written. SQLite would otherwise
 * checkpoint inside whichever commit filled the WAL past 1,000 pages, syncing the disk twice there:
 * 13–17 ms on this machine, once in about 250 commits, the slowest hundredth of every message's round
 * trip. A passive checkpoint never waits for the writer, nor the writer for it. It also bounds what a
 * power cut can take back in the crash-safe mode: about {@code every}'s worth of commits.
 *
 * <p>SQLite starts the log over only at a commit that finds all of it copied. While commits keep coming
 * (a busy stream, a long burst), a passive checkpoint never catches up with them (some come in while
 * it copies), and the log grew by every commit for as long as they came: 1.8 GB after 20,000 round
 * trips. So when a round finds more than {@code walLimit} bytes in the log, it copies the rest again
 * holding the history's lock, which every commit takes: a pause of one small checkpoint (two syncs of
 * the disk), at most once per {@code every}. After every round the history starts the log over itself
 * ({@code startLogOver}: the first write after a complete checkpoint does it, and that write was the
 * next message after every pause a person makes), which also cuts the file back to {@code walLimit}.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** The header SQLite writes before each page in the log. */
    private static final int FRAME_HEADER = 24;

    private final Connection connection;
    private final ScheduledExecutorService timer;
    private final Object writeLock;
    private final long walLimit;
    private final long frameBytes;
    /** A write on the history's own connection, under its lock, that starts a copied log over. */
    private final SqlAction startLogOver;
    private final AtomicBoolean written = new AtomicBoolean();
    private volatile long checkpoints;
    /** The last round failed (timer thread only). */
    private boolean failing;

    private Checkpointer(Connection connection, ScheduledExecutorService timer, Object writeLock, long walLimit,
                         long frameBytes, SqlAction startLogOver) {
        this.connection = connection;
        this.startLogOver = startLogOver;
        this.timer = timer;
        this.writeLock = writeLock;
        this.walLimit = walLimit;
        this.frameBytes = frameBytes;
    }

    /**
     * @param writeLock the lock every commit to the history holds (held here, no commit can add to the log)
     * @param walLimit  how many bytes the log may hold before a round holds the commits to copy all of it
     * @param startLogOver a write on the history's own connection after each round, which starts the log over
     */
    static Checkpointer start(Path file, Duration every, Object writeLock, long walLimit, SqlAction startLogOver)
            throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        long frameBytes;
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout=5000");
            try (ResultSet pageSize = statement.executeQuery("PRAGMA page_size")) {
                frameBytes = (pageSize.next() ? pageSize.getLong(1) : 4096) + FRAME_HEADER;
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        Checkpointer checkpointer = new Checkpointer(connection, Threads.timer("pronto-history-checkpoint"),
                writeLock, walLimit, frameBytes, startLogOver);
        long millis = Math.max(1, every.toMillis());
        checkpointer.timer.scheduleWithFixedDelay(checkpointer::checkpointIfWritten, millis, millis,
                TimeUnit.MILLISECONDS);
        return checkpointer;
    }

    /** Something was committed: the next round copies it. */
    void written() {
        written.lazySet(true);
    }

    /** How many checkpoints ran (for tests). */
    long checkpoints() {
        return checkpoints;
    }

    private void checkpointIfWritten() {
        if (!written.getAndSet(false)) {
            return;
        }
        try {
            Progress progress = checkpoint();
            if (progress.logged() * frameBytes > walLimit) {
                synchronized (writeLock) {
                    progress = checkpoint(); // what came in during the first, and two syncs of the disk
                }
            }
            if (progress.busy()) {
                written.set(true); // blocked this time: the next round tries again
            } else {
                startLogOver.run(); // where nobody waits, rather than in the next commit
            }
            failing = false;
        } catch (SQLException e) {
            written.set(true);
            if (!failing) { // once per spell (a full disk fails every round until space is freed)
                LOG.warn("copying the history's log into its file failed (tried again each second): {}", e.getMessage());
            }
            failing = true;
        }
    }

    /** A step on the history's own connection. */
    @FunctionalInterface
    interface SqlAction {
        void run() throws SQLException;
    }

    /** Whether the round was blocked, and how many pages the log holds. */
    private record Progress(boolean busy, long logged) {
    }

    private Progress checkpoint() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            checkpoints++;
            if (!result.next()) {
                return new Progress(false, 0);
            }
            return new Progress(result.getInt(1) != 0, result.getLong(2));
        }
    }

    @Override
    public void close() {
        Threads.shutdown(timer, Duration.ofSeconds(5));
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the checkpoint connection: {}", e.getMessage());
        }
    }
}
