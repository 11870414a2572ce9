package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.history.History;
import chat.pronto.history.SqliteHistory;
import chat.pronto.model.ChatMessage;
import chat.pronto.model.PeerId;
import chat.pronto.testing.BreakableHistory;

class GroupCommitTest {
    private static final PeerId BOB = PeerId.of("bob@hostb");

    @TempDir
    Path folder;

    /** Counts the transactions the store makes. */
    private static final class Counting extends BreakableHistory {
        final AtomicInteger transactions = new AtomicInteger();

        Counting(History inner) {
            super(inner);
        }

        @Override
        public void inOneTransaction(Changes changes) throws IOException {
            transactions.incrementAndGet();
            super.inOneTransaction(changes);
        }
    }

    /** A burst is stored in far fewer commits than messages, each acted on after its commit, in order. */
    @Test
    void aBurstIsStoredInFewCommitsAndEachIsActedOnAfterItsCommitInOrder() throws Exception {
        try (SqliteHistory sqlite = SqliteHistory.open(folder.resolve("h.db"))) {
            Counting history = new Counting(sqlite);
            GroupCommit store = GroupCommit.threaded(history, "pronto-test-store");
            int count = 2000;
            List<Integer> told = Collections.synchronizedList(new ArrayList<>());
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(count);
            for (int i = 0; i < count; i++) {
                int number = i;
                ChatMessage message = ChatMessage.outgoing(BOB, "m" + i, "message " + i, Instant.now());
                store.submit(h -> h.append(message), stored -> {
                    try {
                        // After its commit: a fresh connection, outside any transaction, sees it.
                        if (number % 500 == 0 && !visibleFromAnotherConnection("m" + number)) {
                            problems.add("m" + number + " acted on before its commit");
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                    told.add(number);
                    all.countDown();
                }, e -> problems.add(e.getMessage()));
            }
            assertTrue(all.await(30, TimeUnit.SECONDS), "all stored");
            store.stop(Duration.ofSeconds(5));
            assertEquals(List.of(), problems);
            List<Integer> inOrder = new ArrayList<>(told);
            Collections.sort(inOrder);
            assertEquals(inOrder, told, "acted on in the order handed in");
            assertTrue(history.transactions.get() < count / 10,
                    count + " messages in " + history.transactions.get() + " commits");
            assertEquals(count, sqlite.latest(BOB, count + 10).size());
        }
    }

    /** One write that fails in a group fails alone: the others in its group are stored and acted on. */
    @Test
    void aWriteThatFailsInAGroupFailsAloneAndTheRestAreStored() throws Exception {
        try (SqliteHistory sqlite = SqliteHistory.open(folder.resolve("h.db"))) {
            GroupCommit grouped = GroupCommit.threaded(sqlite, "pronto-test-store");
            CountDownLatch hold = new CountDownLatch(1);
            // Holds the committing thread so the next writes gather into one group.
            grouped.submit(h -> {
                awaitQuietly(hold);
                return null;
            }, nothing -> { }, e -> { });
            List<String> stored = Collections.synchronizedList(new ArrayList<>());
            List<String> failed = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(5);
            for (int i = 0; i < 5; i++) {
                String id = "g" + i;
                grouped.submit(h -> {
                    if (id.equals("g2")) {
                        throw new IOException("cannot store " + id);
                    }
                    return h.append(ChatMessage.outgoing(BOB, id, id, Instant.now()));
                }, ok -> {
                    stored.add(id);
                    done.countDown();
                }, e -> {
                    failed.add(e.getMessage());
                    done.countDown();
                });
            }
            hold.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            grouped.stop(Duration.ofSeconds(5));
            assertEquals(List.of("g0", "g1", "g3", "g4"), stored);
            assertEquals(List.of("cannot store g2"), failed);
            assertEquals(4, sqlite.latest(BOB, 10).size());
        }
    }

    /** A read after {@link GroupCommit#awaitCommitted} sees every change handed in before it. */
    @Test
    void aReadAfterAwaitingTheStoreSeesEveryChangeHandedInBefore() throws Exception {
        try (SqliteHistory sqlite = SqliteHistory.open(folder.resolve("h.db"))) {
            GroupCommit store = GroupCommit.threaded(sqlite, "pronto-test-store");
            handIn(store, "r", 500);
            store.awaitCommitted();
            assertEquals(500, sqlite.outbox(BOB).size());
            store.stop(Duration.ofSeconds(5));
        }
    }

    /** Closing: what was handed in is still stored; nothing new is taken. */
    @Test
    void stoppingStoresWhatWaitsAndTakesNothingMore() throws Exception {
        try (SqliteHistory sqlite = SqliteHistory.open(folder.resolve("h.db"))) {
            GroupCommit store = GroupCommit.threaded(sqlite, "pronto-test-store");
            handIn(store, "s", 300);
            store.stop(Duration.ofSeconds(10));
            assertEquals(300, sqlite.outbox(BOB).size());
            assertThrows(RejectedExecutionException.class, () -> store.submit(h -> null, ok -> { }, e -> { }));
        }
    }

    /** Hands {@code count} outgoing messages to {@code store}, ids {@code prefix0}, {@code prefix1}… */
    private static void handIn(GroupCommit store, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            ChatMessage message = ChatMessage.outgoing(BOB, prefix + i, "message " + i, Instant.now());
            store.submit(h -> h.append(message), ok -> { }, e -> { });
        }
    }

    private boolean visibleFromAnotherConnection(String id) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("h.db"));
             var query = connection.prepareStatement("SELECT 1 FROM message WHERE stanza_id = ?")) {
            query.setString(1, id);
            try (var result = query.executeQuery()) {
                return result.next();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
