package chat.pronto.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;

/**
 * Conversations, messages and the outbox in one SQLite file (sqlite-jdbc), written through the WAL. A
 * change is its own transaction, or part of one made by {@link #inOneTransaction} (many messages, one
 * commit). How safe a commit is depends on the {@link Durability}: {@link Durability#CRASH_SAFE}
 * ({@code synchronous=NORMAL}, the default) survives a crash or {@code kill -9} of Pronto, and a power cut
 * can take back the commits since the last checkpoint; {@link Durability#POWER_SAFE}
 * ({@code synchronous=FULL}) syncs the disk at every commit. The schema
 * version lives in {@code PRAGMA user_version}; {@link #MIGRATIONS} bring older files up to date. The
 * WAL is copied into the file in the background ({@link Checkpointer}), never inside a commit.
 * One connection, used under this object's lock; callers keep it off the UI thread.
 */
public final class SqliteHistory implements History {
    /** Migration {@code i} takes a file from version {@code i} to {@code i + 1}. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE conversation (
              id INTEGER PRIMARY KEY,
              peer TEXT NOT NULL UNIQUE,
              last_activity INTEGER NOT NULL)""",
            """
            CREATE TABLE message (
              number INTEGER PRIMARY KEY AUTOINCREMENT,
              conversation INTEGER NOT NULL REFERENCES conversation(id),
              stanza_id TEXT NOT NULL,
              direction TEXT NOT NULL,
              body TEXT NOT NULL,
              at INTEGER NOT NULL,
              state TEXT NOT NULL,
              failure TEXT,
              UNIQUE (conversation, direction, stanza_id))""",
            "CREATE INDEX message_by_conversation ON message (conversation, number)",
            "CREATE INDEX message_by_state ON message (state, direction, number)"),
            // 1 → 2: why a message failed is stored as data (a kind and its facts), no longer as a sentence;
            // what we know of each peer's client (whether it acknowledges messages) survives a restart.
            List.of("ALTER TABLE message ADD COLUMN failure_kind TEXT",
                    "CREATE TABLE peer (name TEXT PRIMARY KEY, sends_receipts INTEGER NOT NULL)"),
            // 2 → 3: a peer's queue is read at every send; through (conversation, number) that read went
            // over the whole conversation, and a long one made every message slower to leave.
            List.of("CREATE INDEX message_queue ON message (conversation, direction, state, number)"),
            // 3 → 4: files sent and received (issue 14), kept so that an interrupted one resumes after a restart.
            List.of("""
                    CREATE TABLE transfer (
                      id TEXT PRIMARY KEY,
                      peer TEXT NOT NULL,
                      direction TEXT NOT NULL,
                      name TEXT NOT NULL,
                      size INTEGER NOT NULL,
                      sha256 TEXT NOT NULL,
                      mime_type TEXT NOT NULL,
                      state TEXT NOT NULL,
                      done INTEGER NOT NULL,
                      file TEXT NOT NULL,
                      encrypted INTEGER NOT NULL,
                      reason TEXT NOT NULL,
                      at INTEGER NOT NULL)"""),
            // 4 → 5: peers reached by address rather than over mDNS (issue 15), dialed again at start.
            List.of("""
                    CREATE TABLE saved_peer (
                      name TEXT PRIMARY KEY,
                      host TEXT NOT NULL,
                      port INTEGER NOT NULL,
                      origin TEXT NOT NULL,
                      since INTEGER NOT NULL)"""),
            // 5 → 6: the queue and the messages awaiting a receipt are partial indexes. A message is in them
            // only while it waits, so storing an incoming message, or a sent or delivered state, writes two
            // index entries fewer: each of a round trip's commits cost 7–18 µs less (13–27 %).
            List.of("DROP INDEX IF EXISTS message_by_state",
                    "DROP INDEX IF EXISTS message_queue",
                    "CREATE INDEX message_queued ON message (conversation, number)"
                            + " WHERE state = 'QUEUED' AND direction = 'OUTGOING'",
                    "CREATE INDEX message_awaiting_receipt ON message (number)"
                            + " WHERE state = 'SENT' AND direction = 'OUTGOING'"));
    public static final int SCHEMA_VERSION = MIGRATIONS.size();

    /** How much a commit survives. */
    public enum Durability {
        /**
         * Survives a crash or {@code kill -9} of Pronto (the WAL is written at each commit); a power cut or
         * a kernel crash can take back what was committed since the last checkpoint (SQLite's
         * {@code synchronous=NORMAL}).
         */
        CRASH_SAFE("NORMAL"),
        /** Also survives a power cut: the disk is synced at every commit ({@code synchronous=FULL}). */
        POWER_SAFE("FULL");

        private final String pragma;

        Durability(String pragma) {
            this.pragma = pragma;
        }
    }

    /** How often the background copies the WAL into the file (when something was written). */
    static final java.time.Duration CHECKPOINT_EVERY = java.time.Duration.ofSeconds(1);
    /** What the log may keep between checkpoints (SQLite's {@code journal_size_limit}). */
    static final long WAL_LIMIT = 8 << 20;

    private final Connection connection;
    private final Checkpointer checkpointer;
    /** The statements of every message, prepared once (parsing the SQL cost more than running it). */
    private final java.util.Map<String, PreparedStatement> prepared = new java.util.HashMap<>();
    /** Inside {@link #inOneTransaction}: the changes commit at its end, not one by one. */
    private boolean inTransaction;

    private SqliteHistory(Connection connection, Path file, java.time.Duration checkpointEvery, long walLimit)
            throws SQLException {
        this.connection = connection;
        // Its rounds run no sooner than checkpointEvery from now; a long log's rest is copied under our lock.
        this.checkpointer = Checkpointer.start(file, checkpointEvery, this, walLimit, this::startLogOver);
    }

    /**
     * Loads SQLite's native library on a thread of its own, now: about 0.1 s at a start that the window's
     * start can use instead (issue 13). Whatever goes wrong is left for {@link #open} to report.
     */
    public static void loadLibraryAhead() {
        chat.pronto.threads.Threads.start("pronto-history-library", () -> {
            // Through JDBC like everything here: an empty database in memory loads the driver and its library.
            try (Connection loaded = DriverManager.getConnection("jdbc:sqlite::memory:")) {
                loaded.isValid(0);
            } catch (SQLException | RuntimeException | LinkageError e) {
                // open() loads it again and says what is wrong
            }
        });
    }

    /** Opens (or creates) the history in {@code file}, crash-safe ({@link Durability#CRASH_SAFE}). */
    public static SqliteHistory open(Path file) throws IOException {
        return open(file, Durability.CRASH_SAFE);
    }

    /** Opens (or creates) the history in {@code file}, migrating it to the current schema. */
    public static SqliteHistory open(Path file, Durability durability) throws IOException {
        return open(file, durability, CHECKPOINT_EVERY, WAL_LIMIT);
    }

    /** {@link #open(Path, Durability)}, checkpointing every {@code checkpointEvery}, the log cut back to {@code walLimit} bytes. */
    static SqliteHistory open(Path file, Durability durability, java.time.Duration checkpointEvery, long walLimit)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            createPrivately(file);
            java.util.Properties options = new java.util.Properties();
            // The driver would otherwise ask SQLite for the new row's key after every insert; we never use it.
            options.setProperty("jdbc.get_generated_keys", "false");
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), options);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=" + durability.pragma);
                statement.execute("PRAGMA foreign_keys=ON");
                statement.execute("PRAGMA busy_timeout=5000");
                // Never inside a commit (the Checkpointer does it); a log grown by a burst is cut back.
                statement.execute("PRAGMA wal_autocheckpoint=0");
                statement.execute("PRAGMA journal_size_limit=" + walLimit);
            }
            migrate(connection, file);
            try {
                return new SqliteHistory(connection, file, checkpointEvery, walLimit);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("open the history in " + file, e);
        }
    }

    /**
     * Conversations are nobody else's business: the file is made readable by the user only (SQLite
     * gives its -wal and -shm files the same permissions), and an older one is tightened.
     */
    private static void createPrivately(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        if (Files.notExists(file)) {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(owner));
        } else if (!Files.getPosixFilePermissions(file).equals(owner)) {
            Files.setPosixFilePermissions(file, owner);
        }
    }

    private static void migrate(Connection connection, Path file) throws SQLException, IOException {
        int version;
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            version = result.next() ? result.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            connection.close();
            throw new IOException("the history in " + file + " was written by a newer Pronto (schema " + version
                    + ", this one knows " + SCHEMA_VERSION + "); it is left untouched");
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (int step = version; step < SCHEMA_VERSION; step++) {
                for (String sql : MIGRATIONS.get(step)) {
                    statement.execute(sql);
                }
            }
            statement.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public synchronized void inOneTransaction(Changes changes) throws IOException {
        if (inTransaction) {
            changes.apply(); // already inside one: part of it
            return;
        }
        try {
            connection.setAutoCommit(false);
            inTransaction = true;
            try {
                changes.apply();
                connection.commit();
                checkpointer.written();
            } catch (IOException | RuntimeException | SQLException e) {
                rollbackQuietly();
                throw e;
            } finally {
                inTransaction = false;
                backToAutoCommit();
            }
        } catch (SQLException e) {
            throw failure("store messages", e);
        }
    }

    /**
     * Ends the transaction mode without letting its own failure hide the first one: after a full disk
     * SQLite has rolled back by itself, and the driver's closing commit finds no transaction.
     */
    private void backToAutoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException noTransaction) {
            try {
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException stillNot) {
                // The next change reports the connection's state; nothing was kept of this one.
            }
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException alreadyGone) {
            // SQLite rolled back by itself (a full disk at commit): nothing of it is kept either way.
        }
    }

    /**
     * Stores a message. Returns false, storing nothing, when that peer's message with that id and
     * direction is already there: a duplicate after a reconnect is shown once.
     */
    @Override
    public synchronized boolean append(ChatMessage message) throws IOException {
        try {
            long conversation = conversation(message.peer(), message.at());
            PreparedStatement insert = prepared("""
                INSERT OR IGNORE INTO message (conversation, stanza_id, direction, body, at, state, failure,
                                               failure_kind)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""");
            insert.setLong(1, conversation);
            insert.setString(2, message.id());
            insert.setString(3, message.direction().name());
            insert.setString(4, message.body());
            insert.setLong(5, message.at().toEpochMilli());
            insert.setString(6, message.state().name());
            insert.setString(7, facts(message.failure()));
            insert.setString(8, kind(message.failure()));
            boolean added = insert.executeUpdate() == 1;
            checkpointer.written(); // after the write: a checkpoint that starts now must see it
            return added;
        } catch (SQLException e) {
            forgetPrepared();
            throw failure("store a message for " + message.peer(), e);
        }
    }

    /**
     * Moves an outgoing message to {@code state} only when it is now in one of {@code from}, so that
     * states only go forward even when a receipt overtakes the write that sent the message. Returns
     * the message as it is afterwards, or empty when nothing changed.
     */
    @Override
    public synchronized Optional<ChatMessage> transition(PeerId peer, String id, Set<DeliveryState> from,
                                                         DeliveryState state, Problem failure) throws IOException {
        String allowed = String.join(",", Collections.nCopies(from.size(), "?"));
        try {
            PreparedStatement update = prepared("""
                UPDATE message SET state = ?, failure = ?, failure_kind = ?
                WHERE stanza_id = ? AND direction = 'OUTGOING' AND state IN (%s)
                  AND conversation = (SELECT id FROM conversation WHERE peer = ?)
                RETURNING number, stanza_id, direction, body, at, state, failure, failure_kind""".formatted(allowed));
            int index = 1;
            update.setString(index++, state.name());
            update.setString(index++, facts(failure));
            update.setString(index++, kind(failure));
            update.setString(index++, id);
            for (DeliveryState before : from) {
                update.setString(index++, before.name());
            }
            update.setString(index, peer.name());
            List<StoredMessage> changed = read(update, peer);
            checkpointer.written();
            return changed.isEmpty() ? Optional.empty() : Optional.of(changed.get(0).message());
        } catch (SQLException e) {
            forgetPrepared();
            throw failure("update message " + id, e);
        }
    }

    /**
     * Whether {@code peer}'s message {@code id} is stored with exactly {@code body} (a true duplicate),
     * also under the {@code id~…} form a reused id is stored under.
     */
    @Override
    public synchronized boolean sameIncoming(PeerId peer, String id, String body) throws IOException {
        try {
            PreparedStatement query = prepared("""
                SELECT 1 FROM message m JOIN conversation c ON c.id = m.conversation
                WHERE c.peer = ? AND m.direction = 'INCOMING' AND m.body = ?
                  AND (m.stanza_id = ? OR substr(m.stanza_id, 1, length(?) + 1) = ? || '~')
                LIMIT 1""");
            query.setString(1, peer.name());
            query.setString(2, body);
            query.setString(3, id);
            query.setString(4, id);
            query.setString(5, id);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        } catch (SQLException e) {
            forgetPrepared();
            throw failure("read message " + id, e);
        }
    }

    @Override
    public synchronized boolean wroteTo(PeerId peer) throws IOException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT 1 FROM message m JOIN conversation c ON c.id = m.conversation
                WHERE c.peer = ? AND m.direction = 'OUTGOING'
                LIMIT 1""")) {
            query.setString(1, peer.name());
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        } catch (SQLException e) {
            throw failure("read the conversation with " + peer.name(), e);
        }
    }

    /** The last {@code limit} messages with {@code peer}, oldest first. */
    @Override
    public synchronized List<StoredMessage> latest(PeerId peer, int limit) throws IOException {
        return page(peer, Long.MAX_VALUE, limit);
    }

    /** The {@code limit} messages before message number {@code before}, oldest first (scrolling back). */
    @Override
    public synchronized List<StoredMessage> before(PeerId peer, long before, int limit) throws IOException {
        return page(peer, before, limit);
    }

    private List<StoredMessage> page(PeerId peer, long before, int limit) throws IOException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT m.number, m.stanza_id, m.direction, m.body, m.at, m.state, m.failure, m.failure_kind
                FROM message m JOIN conversation c ON c.id = m.conversation
                WHERE c.peer = ? AND m.number < ?
                ORDER BY m.number DESC LIMIT ?""")) {
            query.setString(1, peer.name());
            query.setLong(2, before);
            query.setInt(3, limit);
            List<StoredMessage> messages = read(query, peer);
            Collections.reverse(messages);
            return messages;
        } catch (SQLException e) {
            throw failure("read the conversation with " + peer, e);
        }
    }

    /** Outgoing messages still waiting for a stream (the outbox), oldest first, every peer. */
    @Override
    public synchronized List<StoredMessage> outbox() throws IOException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT m.number, m.stanza_id, m.direction, m.body, m.at, m.state, m.failure, m.failure_kind, c.peer
                FROM message m JOIN conversation c ON c.id = m.conversation
                WHERE m.state = 'QUEUED' AND m.direction = 'OUTGOING'
                ORDER BY m.number""")) {
            return read(query, null);
        } catch (SQLException e) {
            throw failure("read the outbox", e);
        }
    }

    @Override
    public synchronized List<StoredMessage> sentUnacknowledged() throws IOException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT m.number, m.stanza_id, m.direction, m.body, m.at, m.state, m.failure, m.failure_kind, c.peer
                FROM message m JOIN conversation c ON c.id = m.conversation
                WHERE m.state = 'SENT' AND m.direction = 'OUTGOING'
                ORDER BY m.number""")) {
            return read(query, null);
        } catch (SQLException e) {
            throw failure("read the messages waiting for a receipt", e);
        }
    }

    @Override
    public synchronized Optional<Boolean> sendsReceipts(PeerId peer) throws IOException {
        try (PreparedStatement query = connection.prepareStatement("SELECT sends_receipts FROM peer WHERE name = ?")) {
            query.setString(1, peer.name());
            try (ResultSet result = query.executeQuery()) {
                return result.next() ? Optional.of(result.getInt(1) != 0) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read what we know of " + peer, e);
        }
    }

    @Override
    public synchronized void rememberReceipts(PeerId peer, boolean sends) throws IOException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO peer (name, sends_receipts) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET sends_receipts = excluded.sends_receipts""")) {
            upsert.setString(1, peer.name());
            upsert.setInt(2, sends ? 1 : 0);
            upsert.executeUpdate();
            checkpointer.written();
        } catch (SQLException e) {
            throw failure("remember what we know of " + peer, e);
        }
    }

    @Override
    public synchronized void saveTransfer(Transfer transfer) throws IOException {
        try {
            PreparedStatement upsert = prepared("""
                    INSERT INTO transfer (id, peer, direction, name, size, sha256, mime_type, state, done, file,
                                          encrypted, reason, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET state = excluded.state, done = excluded.done,
                      file = excluded.file, encrypted = excluded.encrypted, reason = excluded.reason,
                      sha256 = excluded.sha256""");
            upsert.setString(1, transfer.id());
            upsert.setString(2, transfer.peer().name());
            upsert.setString(3, transfer.direction().name());
            upsert.setString(4, transfer.name());
            upsert.setLong(5, transfer.size());
            upsert.setString(6, transfer.sha256());
            upsert.setString(7, transfer.mimeType());
            upsert.setString(8, transfer.state().name());
            upsert.setLong(9, transfer.done());
            upsert.setString(10, transfer.file());
            upsert.setInt(11, transfer.encrypted() ? 1 : 0);
            upsert.setString(12, transfer.reason());
            upsert.setLong(13, transfer.at().toEpochMilli());
            upsert.executeUpdate();
            if (!inTransaction) {
                checkpointer.written();
            }
        } catch (SQLException e) {
            forgetPrepared();
            throw failure("keep the transfer of " + transfer.name(), e);
        }
    }

    @Override
    public synchronized List<Transfer> transfers() throws IOException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT id, peer, direction, name, size, sha256, mime_type, state, done, file, encrypted, reason, at
                FROM transfer ORDER BY at, id""");
             ResultSet row = query.executeQuery()) {
            List<Transfer> all = new java.util.ArrayList<>();
            while (row.next()) {
                all.add(new Transfer(row.getString(1), PeerId.of(row.getString(2)), Direction.valueOf(row.getString(3)),
                        row.getString(4), row.getLong(5), row.getString(6), row.getString(7),
                        TransferState.valueOf(row.getString(8)), row.getLong(9), row.getString(10), row.getInt(11) != 0,
                        row.getString(12), java.time.Instant.ofEpochMilli(row.getLong(13))));
            }
            return all;
        } catch (SQLException | IllegalArgumentException e) {
            throw failure("read the file transfers", e instanceof SQLException sql ? sql : new SQLException(e));
        }
    }

    @Override
    public synchronized void savePeer(chat.pronto.model.SavedPeer peer) throws IOException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO saved_peer (name, host, port, origin, since) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET host = excluded.host, port = excluded.port,
                  origin = excluded.origin""")) {
            upsert.setString(1, peer.id().name());
            upsert.setString(2, peer.host());
            upsert.setInt(3, peer.port());
            upsert.setString(4, peer.origin().name());
            upsert.setLong(5, System.currentTimeMillis());
            upsert.executeUpdate();
            if (!inTransaction) {
                checkpointer.written();
            }
        } catch (SQLException e) {
            throw failure("keep " + peer.id() + " among the saved peers", e);
        }
    }

    @Override
    public synchronized List<chat.pronto.model.SavedPeer> savedPeers() throws IOException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT name, host, port, origin FROM saved_peer ORDER BY since, name");
             ResultSet row = query.executeQuery()) {
            List<chat.pronto.model.SavedPeer> all = new ArrayList<>();
            while (row.next()) {
                try {
                    all.add(new chat.pronto.model.SavedPeer(PeerId.of(row.getString(1)), row.getString(2),
                            row.getInt(3), chat.pronto.model.SavedPeer.Origin.valueOf(row.getString(4))));
                } catch (IllegalArgumentException damaged) {
                    // One damaged row costs that peer only: it is added again when it shows up.
                }
            }
            return all;
        } catch (SQLException e) {
            throw failure("read the saved peers", e);
        }
    }

    @Override
    public synchronized boolean forgetSavedPeer(PeerId peer) throws IOException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM saved_peer WHERE name = ?")) {
            delete.setString(1, peer.name());
            boolean removed = delete.executeUpdate() > 0;
            if (!inTransaction) {
                checkpointer.written();
            }
            return removed;
        } catch (SQLException e) {
            throw failure("forget the saved peer " + peer, e);
        }
    }

    /** {@code peer}'s part of the outbox, oldest first. */
    @Override
    public synchronized List<StoredMessage> outbox(PeerId peer) throws IOException {
        try {
            PreparedStatement query = prepared(OUTBOX_OF_PEER);
            query.setString(1, peer.name());
            return read(query, peer);
        } catch (SQLException e) {
            forgetPrepared();
            throw failure("read the outbox for " + peer, e);
        }
    }

    /** A peer's queue: read before every send, so it must not cost more as the conversation grows. */
    static final String OUTBOX_OF_PEER = """
            SELECT m.number, m.stanza_id, m.direction, m.body, m.at, m.state, m.failure, m.failure_kind
            FROM message m JOIN conversation c ON c.id = m.conversation
            WHERE c.peer = ? AND m.state = 'QUEUED' AND m.direction = 'OUTGOING'
            ORDER BY m.number""";

    /** Peers we have talked with, most recent first. */
    @Override
    public synchronized List<PeerId> conversations() throws IOException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT peer FROM conversation ORDER BY last_activity DESC")) {
            List<PeerId> peers = new ArrayList<>();
            while (result.next()) {
                peers.add(PeerId.of(result.getString(1)));
            }
            return peers;
        } catch (SQLException e) {
            throw failure("list the conversations", e);
        }
    }

    /**
     * Writes what the file already holds (its schema version: one page, nothing changes), for the
     * {@link Checkpointer} after a round: the first write after a checkpoint that copied everything
     * starts the log over, which is work (a synced header, pages read again) the next message need not
     * wait for. On this connection, whose cached pages stay good (a write over the checkpointer's own
     * connection made the next commit read them again).
     */
    synchronized void startLogOver() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        }
    }

    @Override
    public void close() throws IOException {
        checkpointer.close(); // outside our lock: a round that waits for it finishes first
        synchronized (this) {
            try {
                for (PreparedStatement statement : prepared.values()) {
                    statement.close();
                }
                prepared.clear();
                connection.close();
            } catch (SQLException e) {
                throw failure("close the history", e);
            }
        }
    }

    /** How many times the background copied the WAL into the file. */
    long checkpointsForTests() {
        return checkpointer.checkpoints();
    }

    /** After a failure the driver may have let go of a statement without closing it: all are prepared anew. */
    private void forgetPrepared() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException alreadyGone) {
                // (it is dropped either way)
            }
        }
        prepared.clear();
    }

    /** {@code sql}, prepared the first time and kept (this object's lock is held: one user at a time). */
    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    private long conversation(PeerId peer, Instant at) throws SQLException {
        PreparedStatement upsert = prepared("""
            INSERT INTO conversation (peer, last_activity) VALUES (?, ?)
            ON CONFLICT (peer) DO UPDATE SET last_activity = max(last_activity, excluded.last_activity)
            RETURNING id""");
        upsert.setString(1, peer.name());
        upsert.setLong(2, at.toEpochMilli());
        try (ResultSet result = upsert.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private static List<StoredMessage> read(PreparedStatement query, PeerId peer) throws SQLException {
        List<StoredMessage> messages = new ArrayList<>();
        try (ResultSet result = query.executeQuery()) {
            while (result.next()) {
                PeerId who = peer != null ? peer : PeerId.of(result.getString(9));
                messages.add(new StoredMessage(result.getLong(1), new ChatMessage(who, result.getString(2),
                        Direction.valueOf(result.getString(3)), result.getString(4),
                        Instant.ofEpochMilli(result.getLong(5)), DeliveryState.valueOf(result.getString(6)),
                        failure(result.getString(8), result.getString(7)))));
            }
        }
        return messages;
    }

    /** Facts are kept in the old {@code failure} column, separated by U+001F (no sentence contains it). */
    private static final String FACT_SEPARATOR = "\u001f";

    private static String kind(Problem failure) {
        return failure == null ? null : failure.kind().name();
    }

    private static String facts(Problem failure) {
        return failure == null ? null : String.join(FACT_SEPARATOR, failure.facts());
    }

    /** A row written before failures were data holds only a sentence: it reads as {@link Problem.Kind#OTHER}. */
    private static Problem failure(String kind, String facts) {
        if (kind == null) {
            return facts == null ? null : Problem.of(Problem.Kind.OTHER, facts);
        }
        Problem.Kind known;
        try {
            known = Problem.Kind.valueOf(kind);
        } catch (IllegalArgumentException newer) {
            known = Problem.Kind.OTHER;
        }
        return new Problem(known, facts == null || facts.isEmpty() ? List.of() : List.of(facts.split(FACT_SEPARATOR, -1)));
    }

    /** SQLite's errors in words a user can act on (a full disk above all); nothing is half-written. */
    private static IOException failure(String what, SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("SQLITE_FULL") || message.contains("disk is full")) {
            return new IOException("Could not " + what + ": the disk is full. Nothing was lost; free some space.", e);
        }
        return new IOException("Could not " + what + ": " + message, e);
    }
}
