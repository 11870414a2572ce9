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
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final Connection connection;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean written = new AtomicBoolean();
    private volatile long checkpoints;
    /** The last round failed (timer thread only). */
    private boolean failing;

    private Checkpointer(Connection connection, ScheduledExecutorService timer) {
        this.connection = connection;
        this.timer = timer;
    }

    static Checkpointer start(Path file, Duration every) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout=5000");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        Checkpointer checkpointer = new Checkpointer(connection, Threads.timer("pronto-history-checkpoint"));
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
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            checkpoints++;
            if (result.next() && result.getInt(1) != 0) {
                written.set(true); // blocked this time: the next round tries again
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
