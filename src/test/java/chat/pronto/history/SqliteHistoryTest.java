package chat.pronto.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.StoredMessage;
import chat.pronto.testing.Scratch;

class SqliteHistoryTest {
    private static final PeerId BOB = PeerId.of("bob@hostb");
    private static final PeerId CAROL = PeerId.of("carol@hostc");
    private static final Set<DeliveryState> QUEUED = Set.of(DeliveryState.QUEUED);
    private static final Instant NOON = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path data;

    private Path file() {
        return data.resolve("history.db");
    }

    private static List<String> bodies(List<StoredMessage> messages) {
        return messages.stream().map(stored -> stored.message().body()).toList();
    }

    @Test
    void keepsEachConversationInOrder() throws IOException {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            history.append(ChatMessage.outgoing(BOB, "o1", "hello bob", NOON));
            history.append(ChatMessage.incoming(CAROL, "c1", "hi from carol", NOON.plusSeconds(1)));
            history.append(ChatMessage.incoming(BOB, "b1", "hello ☃", NOON.plusSeconds(2)));

            assertEquals(List.of("hello bob", "hello ☃"), bodies(history.latest(BOB, 10)));
            assertEquals(List.of(CAROL, BOB).size(), history.conversations().size());
            assertEquals(BOB, history.conversations().get(0), "most recent conversation first");
        }
    }

    @Test
    void storesAnIncomingDuplicateOnce() throws IOException {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            assertTrue(history.append(ChatMessage.incoming(BOB, "b1", "once", NOON)));
            assertFalse(history.append(ChatMessage.incoming(BOB, "b1", "once", NOON.plusSeconds(30))));

            assertEquals(List.of("once"), bodies(history.latest(BOB, 10)));
        }
    }

    @Test
    void followsAMessageFromQueuedToDeliveredOrFailed() throws IOException {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            history.append(ChatMessage.outgoing(BOB, "o1", "first", NOON));
            history.append(ChatMessage.outgoing(BOB, "o2", "second", NOON));

            Problem refused = Problem.of(Problem.Kind.REFUSED_BY_PEER, "not-acceptable", "no thanks");
            assertTrue(history.transition(BOB, "o1", QUEUED, DeliveryState.SENT, null).isPresent());
            assertTrue(history.transition(BOB, "o1", Set.of(DeliveryState.SENT), DeliveryState.DELIVERED, null)
                    .isPresent());
            assertEquals(refused, history.transition(BOB, "o2", QUEUED, DeliveryState.FAILED, refused).orElseThrow()
                    .failure());
            assertTrue(history.transition(BOB, "nope", QUEUED, DeliveryState.SENT, null).isEmpty());
            assertTrue(history.transition(BOB, "o1", Set.of(DeliveryState.SENT), DeliveryState.SENT, null).isEmpty(),
                    "a delivered message does not go back to sent");

            List<StoredMessage> messages = history.latest(BOB, 10);
            assertEquals(DeliveryState.DELIVERED, messages.get(0).message().state());
            assertEquals(refused, messages.get(1).message().failure(), "why it failed is kept as data");
        }
    }

    @Test
    void keepsTheOutboxAcrossARestart() throws IOException {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            history.append(ChatMessage.outgoing(BOB, "o1", "for later", NOON));
            history.append(ChatMessage.outgoing(CAROL, "o2", "sent already", NOON));
            history.transition(CAROL, "o2", QUEUED, DeliveryState.SENT, null);
        }

        try (SqliteHistory reopened = SqliteHistory.open(file())) {
            List<StoredMessage> outbox = reopened.outbox();
            assertEquals(1, outbox.size());
            assertEquals(BOB, outbox.get(0).message().peer());
            assertEquals("for later", outbox.get(0).message().body());
        }
    }

    /** Schema 1 kept why a message failed as a sentence: it still shows, as words from an older Pronto. */
    @Test
    void aFailureStoredAsASentenceByAnOlderProntoReadsAsOther() throws Exception {
        Path file = file();
        try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = old.createStatement()) {
            statement.execute("CREATE TABLE conversation (id INTEGER PRIMARY KEY, peer TEXT NOT NULL UNIQUE,"
                    + " last_activity INTEGER NOT NULL)");
            statement.execute("CREATE TABLE message (number INTEGER PRIMARY KEY AUTOINCREMENT, conversation INTEGER"
                    + " NOT NULL REFERENCES conversation(id), stanza_id TEXT NOT NULL, direction TEXT NOT NULL,"
                    + " body TEXT NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL, failure TEXT,"
                    + " UNIQUE (conversation, direction, stanza_id))");
            statement.execute("INSERT INTO conversation VALUES (1, 'bob@hostb', 0)");
            statement.execute("INSERT INTO message VALUES (1, 1, 'o1', 'OUTGOING', 'hi', 0, 'FAILED',"
                    + " 'bob presented a different key')");
            statement.execute("PRAGMA user_version=1");
        }
        try (SqliteHistory history = SqliteHistory.open(file)) {
            ChatMessage failed = history.latest(BOB, 1).get(0).message();
            assertEquals(Problem.of(Problem.Kind.OTHER, "bob presented a different key"), failed.failure());
        }
    }

    @Test
    void pagesBackThroughALongConversation() throws IOException {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            for (int i = 0; i < 25; i++) {
                history.append(ChatMessage.incoming(BOB, "b" + i, "message " + i, NOON.plusSeconds(i)));
            }

            List<StoredMessage> last = history.latest(BOB, 10);
            List<StoredMessage> earlier = history.before(BOB, last.get(0).number(), 10);
            List<StoredMessage> first = history.before(BOB, earlier.get(0).number(), 10);

            assertEquals("message 15", last.get(0).message().body());
            assertEquals("message 24", last.get(9).message().body());
            assertEquals("message 5", earlier.get(0).message().body());
            assertEquals(List.of("message 0", "message 1", "message 2", "message 3", "message 4"), bodies(first));
        }
    }

    @Test
    void refusesAFileFromANewerProntoAndLeavesItAlone() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version=" + (SqliteHistory.SCHEMA_VERSION + 1));
        }

        IOException error = assertThrows(IOException.class, () -> SqliteHistory.open(file()));
        assertTrue(error.getMessage().contains("newer Pronto"), error.getMessage());
    }

    @Test
    void loosesNothingItStoredWhenTheProcessIsKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(Scratch.childOptions()); // killed: what it unpacked in its temporary folder goes with ours
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HistoryWriterMain.class.getName(),
                file().toString()));
        Process writer = new ProcessBuilder(command).redirectErrorStream(true).start();
        int confirmed = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("stored ")) {
                    confirmed = Integer.parseInt(line.substring(7));
                    if (confirmed >= 200) {
                        writer.destroyForcibly(); // kill -9 in the middle of writing
                        break;
                    }
                }
            }
        } finally {
            writer.destroyForcibly().waitFor();
        }

        try (SqliteHistory reopened = SqliteHistory.open(file())) {
            List<StoredMessage> stored = reopened.latest(BOB, 100_000);
            assertTrue(stored.size() >= confirmed + 1, "confirmed " + (confirmed + 1) + ", found " + stored.size());
            for (int i = 0; i <= confirmed; i++) {
                assertEquals("message " + i, stored.get(i).message().body());
            }
        }
    }

    /** Conversations are the user's alone: the file is made 0600, and an older one (umask 0644) tightened. */
    @Test
    void theHistoryFileIsReadableByTheUserAlone() throws Exception {
        java.nio.file.Files.createFile(file(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
        try (SqliteHistory history = SqliteHistory.open(file())) {
            history.append(ChatMessage.outgoing(BOB, "o1", "private", NOON));
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file())));
    }

    /** Crash-safe by default (WAL, synchronous=NORMAL: no disk sync per commit); power-safe on request. */
    @Test
    void commitsAreCrashSafeByDefaultAndSyncedToTheDiskWhenAskedTo() throws Exception {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            assertEquals(1, pragma(history, "synchronous"), "NORMAL");
        }
        try (SqliteHistory history = SqliteHistory.open(file(), SqliteHistory.Durability.POWER_SAFE)) {
            assertEquals(2, pragma(history, "synchronous"), "FULL");
        }
    }

    /** Many changes, one commit: all of them, or (when one fails) none of them. */
    @Test
    void changesMadeTogetherAreStoredTogetherOrNotAtAll() throws Exception {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            history.inOneTransaction(() -> {
                history.append(ChatMessage.outgoing(BOB, "t1", "one", NOON));
                history.append(ChatMessage.outgoing(BOB, "t2", "two", NOON));
            });
            IOException failed = assertThrows(IOException.class, () -> history.inOneTransaction(() -> {
                history.append(ChatMessage.outgoing(BOB, "t3", "three", NOON));
                throw new IOException("the disk is full");
            }));
            assertEquals("the disk is full", failed.getMessage());
            assertEquals(List.of("one", "two"), history.latest(BOB, 10).stream().map(m -> m.message().body()).toList());
            history.append(ChatMessage.outgoing(BOB, "t4", "four", NOON)); // and it goes on as before
            assertEquals(3, history.latest(BOB, 10).size());
        }
    }

    /**
     * A peer's queue is read at every send: SQLite finds it through an index on the state, never by
     * reading the whole conversation (which made each message of a long one slower to leave).
     */
    @Test
    void findsAPeersQueueWithoutReadingTheConversation() throws Exception {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            for (int i = 0; i < 50; i++) {
                history.append(ChatMessage.outgoing(BOB, "d" + i, "old", NOON));
                history.transition(BOB, "d" + i, QUEUED, DeliveryState.DELIVERED, null);
            }
            history.append(ChatMessage.outgoing(BOB, "q1", "waiting", NOON));
            assertEquals(List.of("waiting"), bodies(history.outbox(BOB)));
            List<String> plan = plan(history, SqliteHistory.OUTBOX_OF_PEER.replace("?", "'bob@hostb'"));
            assertTrue(plan.stream().anyMatch(step -> step.startsWith("SEARCH m USING ") && step.contains("message_queued")),
                    "the queue is looked up in the index of waiting messages: " + plan);
            List<String> awaiting = plan(history, """
                    SELECT m.number FROM message m JOIN conversation c ON c.id = m.conversation
                    WHERE m.state = 'SENT' AND m.direction = 'OUTGOING' ORDER BY m.number""");
            assertTrue(awaiting.stream().anyMatch(step -> step.contains("message_awaiting_receipt")),
                    "the messages awaiting a receipt have their own index: " + awaiting);
        }
    }

    /**
     * Only messages that wait (queued, or sent and not yet acknowledged) are indexed by their state:
     * storing an incoming message, or a sent or delivered state, writes no entry of an index on the
     * state that no query needs (every commit of a round trip did: 13–27 % of its cost).
     */
    @Test
    void onlyWaitingMessagesAreIndexedByTheirState() throws Exception {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            List<List<String>> indexes = indexes(history);
            for (List<String> index : indexes) {
                boolean onState = index.subList(2, index.size()).contains("state");
                boolean partial = index.get(1).equals("1");
                assertFalse(onState && !partial, "an index on the state holds every message: " + indexes);
            }
            assertTrue(indexes.stream().anyMatch(index -> index.get(0).equals("message_queued") && index.get(1).equals("1")),
                    "the queue is a partial index: " + indexes);
        }
    }

    /** A history written by the last schema keeps its queue and its unacknowledged messages. */
    @Test
    void aHistoryOfTheLastSchemaKeepsItsQueueAndItsUnacknowledgedMessages() throws Exception {
        Path file = file();
        try (SqliteHistory made = SqliteHistory.open(file)) {
            made.append(ChatMessage.outgoing(BOB, "o1", "delivered", NOON));
            made.transition(BOB, "o1", QUEUED, DeliveryState.SENT, null);
            made.transition(BOB, "o1", Set.of(DeliveryState.SENT), DeliveryState.DELIVERED, null);
            made.append(ChatMessage.outgoing(BOB, "o2", "awaiting its receipt", NOON));
            made.transition(BOB, "o2", QUEUED, DeliveryState.SENT, null);
            made.append(ChatMessage.outgoing(CAROL, "o3", "waiting", NOON));
            made.append(ChatMessage.incoming(CAROL, "i1", "hello", NOON));
        }
        // Back to schema 5 as it was: the same tables, the state indexed in full.
        try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = old.createStatement()) {
            statement.execute("DROP INDEX message_queued");
            statement.execute("DROP INDEX message_awaiting_receipt");
            statement.execute("CREATE INDEX message_by_state ON message (state, direction, number)");
            statement.execute("CREATE INDEX message_queue ON message (conversation, direction, state, number)");
            statement.execute("PRAGMA user_version=5");
        }
        try (SqliteHistory history = SqliteHistory.open(file)) {
            assertEquals(List.of("waiting"), bodies(history.outbox()));
            assertEquals(List.of("waiting"), bodies(history.outbox(CAROL)));
            assertEquals(List.of("awaiting its receipt"), bodies(history.sentUnacknowledged()));
            assertEquals(List.of("delivered", "awaiting its receipt"), bodies(history.latest(BOB, 10)));
            assertTrue(indexes(history).stream().noneMatch(index -> index.get(0).equals("message_by_state")
                    || index.get(0).equals("message_queue")), "the full indexes are gone");
        }
    }

    /** The message table's indexes: name, whether partial (1/0), then their columns. */
    private static List<List<String>> indexes(SqliteHistory history) throws Exception {
        java.lang.reflect.Field field = SqliteHistory.class.getDeclaredField("connection");
        field.setAccessible(true);
        Connection connection = (Connection) field.get(history);
        List<List<String>> indexes = new java.util.ArrayList<>();
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet list = statement.executeQuery("PRAGMA index_list(message)")) {
            while (list.next()) {
                indexes.add(new java.util.ArrayList<>(List.of(list.getString("name"), list.getString("partial"))));
            }
        }
        for (List<String> index : indexes) {
            try (Statement statement = connection.createStatement();
                 java.sql.ResultSet columns = statement.executeQuery("PRAGMA index_info(" + index.get(0) + ")")) {
                while (columns.next()) {
                    index.add(columns.getString("name"));
                }
            }
        }
        return indexes;
    }

    /**
     * A commit never copies the WAL into the file (SQLite's own checkpoint, inside whichever commit
     * filled the log, synced the disk twice and took 13–17 ms): the background does it, soon after.
     */
    @Test
    void theLogIsCopiedIntoTheFileInTheBackgroundNeverInACommit() throws Exception {
        try (SqliteHistory history = SqliteHistory.open(file())) {
            assertEquals(0, pragma(history, "wal_autocheckpoint"), "commits never checkpoint");
            for (int i = 0; i < 300; i++) {
                history.append(ChatMessage.outgoing(BOB, "w" + i, "message " + i, NOON));
            }
            // The database file alone (a copy without its log) holds all of them once the background ran.
            Path copy = data.resolve("copy.db");
            long deadline = System.nanoTime() + 10_000_000_000L;
            int inFile = -1;
            while ((inFile != 300 || history.checkpointsForTests() == 0) && System.nanoTime() - deadline < 0) {
                java.nio.file.Files.copy(file(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (Connection alone = DriverManager.getConnection("jdbc:sqlite:" + copy);
                     Statement statement = alone.createStatement();
                     java.sql.ResultSet result = statement.executeQuery("SELECT count(*) FROM message")) {
                    inFile = result.getInt(1);
                } catch (java.sql.SQLException halfCopied) {
                    inFile = -1; // copied while a checkpoint wrote it: look again
                }
                java.nio.file.Files.deleteIfExists(copy);
            }
            assertEquals(300, inFile, "the file itself holds every message");
            assertTrue(history.checkpointsForTests() > 0, "copied by the background");
        }
    }

    /**
     * Messages that keep coming (a stream busy for minutes) still let the log start over: a background
     * checkpoint that ran while commits went on never copied everything, so SQLite never restarted the
     * WAL, and it grew by every commit: 1.8 GB after 20,000 round trips in the benchmark.
     */
    @Test
    void theLogStartsOverWhileMessagesKeepComing() throws Exception {
        Path wal = data.resolve("history.db-wal");
        long limit = 256 << 10;
        try (SqliteHistory history = SqliteHistory.open(file(), SqliteHistory.Durability.CRASH_SAFE,
                java.time.Duration.ofMillis(50), limit)) {
            long largest = 0;
            boolean startedOver = false;
            int written = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!startedOver && System.nanoTime() - deadline < 0) {
                // One commit at a time, never a pause long enough for a checkpoint to copy everything.
                history.append(ChatMessage.outgoing(BOB, "w" + written, "message " + written, NOON));
                written++;
                long size = java.nio.file.Files.size(wal);
                startedOver = largest > limit && size < largest;
                largest = Math.max(largest, size);
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            assertTrue(startedOver, "the log grew to " + largest + " bytes over " + written
                    + " commits and never started over");
            assertEquals(written, history.latest(BOB, written + 1).size(), "every message is kept");
        }
    }

    /**
     * After a checkpoint the background starts the log over itself: SQLite does it at the first write
     * after a checkpoint that copied everything, syncing the new log's header there, and that write
     * was the first message after every pause (0.26 against 0.055 ms a commit here in isolation).
     */
    @Test
    void theBackgroundStartsTheLogOverSoThatTheNextMessageNeedNot() throws Exception {
        Path wal = data.resolve("history.db-wal");
        try (SqliteHistory history = SqliteHistory.open(file(), SqliteHistory.Durability.CRASH_SAFE,
                java.time.Duration.ofMillis(50), SqliteHistory.WAL_LIMIT)) {
            for (int i = 0; i < 20; i++) {
                history.append(ChatMessage.outgoing(BOB, "m" + i, "message " + i, NOON));
            }
            int before = checkpointSequence(wal);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (checkpointSequence(wal) == before && System.nanoTime() - deadline < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // no commit meanwhile: only the background can
            }
            assertTrue(checkpointSequence(wal) != before, "the log was started over without a commit");

            int started = checkpointSequence(wal);
            history.append(ChatMessage.outgoing(BOB, "after", "after the pause", NOON));
            assertEquals(started, checkpointSequence(wal), "the next message is added to the log started for it");
            assertEquals(21, history.latest(BOB, 50).size());
            assertEquals(SqliteHistory.SCHEMA_VERSION, pragma(history, "user_version"));
        }
    }

    /** The WAL header's checkpoint sequence number: it changes each time the log starts over. */
    private static int checkpointSequence(Path wal) throws IOException {
        byte[] header = new byte[32];
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(wal)) {
            if (in.readNBytes(header, 0, 32) < 32) {
                return -1;
            }
        }
        return java.nio.ByteBuffer.wrap(header, 12, 4).getInt();
    }

    private static List<String> plan(SqliteHistory history, String query) throws Exception {
        java.lang.reflect.Field field = SqliteHistory.class.getDeclaredField("connection");
        field.setAccessible(true);
        List<String> steps = new java.util.ArrayList<>();
        try (Statement statement = ((Connection) field.get(history)).createStatement();
             java.sql.ResultSet result = statement.executeQuery("EXPLAIN QUERY PLAN " + query)) {
            while (result.next()) {
                steps.add(result.getString(4));
            }
        }
        return steps;
    }

    private static int pragma(SqliteHistory history, String name) throws Exception {
        java.lang.reflect.Field field = SqliteHistory.class.getDeclaredField("connection");
        field.setAccessible(true);
        try (Statement statement = ((Connection) field.get(history)).createStatement();
             java.sql.ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            return result.getInt(1);
        }
    }
}
