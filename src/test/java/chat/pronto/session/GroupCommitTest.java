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

    /**
     * A read waits for the commit, not for what is done after it: the lane that a continuation wakes
     * reads the queue while that continuation is still running.
     */
    @Test
    void aReadWaitsForTheCommitNotForTheContinuationsAfterIt() throws Exception {
        try (SqliteHistory sqlite = SqliteHistory.open(folder.resolve("h.db"))) {
            GroupCommit store = GroupCommit.threaded(sqlite, "pronto-test-store");
            CountDownLatch readDone = new CountDownLatch(1);
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            ChatMessage message = ChatMessage.outgoing(BOB, "c1", "read me", Instant.now());
            store.submit(h -> h.append(message), stored -> {
                Thread reader = new Thread(() -> {
                    store.awaitCommitted();
                    try {
                        seen.add(sqlite.outbox(BOB).size());
                    } catch (IOException e) {
                        seen.add(-1);
                    }
                    readDone.countDown();
                }, "pronto-test-reader");
                reader.start();
                awaitQuietly(readDone); // the continuation is still running while the read happens
            }, e -> { });
            assertTrue(readDone.await(5, TimeUnit.SECONDS), "the read did not wait for the continuation");
            assertEquals(List.of(1), seen);
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

    /**
     * A write handed in on a reader's thread while the store is idle is stored and acted on right
     * there, before the call returns: no other thread is woken for it.
     */
    @Test
    void anIdleStoreCommitsAWriteOnTheThreadThatHandsItIn() throws Exception {
        try (SqliteHistory sqlite = SqliteHistory.open(folder.resolve("h.db"))) {
            GroupCommit store = GroupCommit.threaded(sqlite, "pronto-test-store");
            List<String> where = new ArrayList<>();
            ChatMessage message = ChatMessage.outgoing(BOB, "here", "stored here", Instant.now());
            store.submitHere(h -> {
                where.add("applied on " + Thread.currentThread().getName());
                return h.append(message);
            }, stored -> where.add("told on " + Thread.currentThread().getName()), e -> where.add(e.getMessage()));
            String caller = Thread.currentThread().getName();
            assertEquals(List.of("applied on " + caller, "told on " + caller), where);
            assertTrue(visibleFromAnotherConnection("here"), "committed before it was told");
            store.stop(Duration.ofSeconds(5));
        }
    }

    /**
     * While the store is busy, a write handed in with {@link GroupCommit#submitHere} does not wait for
     * it: it joins the queue, and everything is still stored and told in the order it was handed in.
     */
    @Test
    void aBusyStoreQueuesAWriteHandedInHereAndKeepsTheOrder() throws Exception {
        try (SqliteHistory sqlite = SqliteHistory.open(folder.resolve("h.db"))) {
            GroupCommit store = GroupCommit.threaded(sqlite, "pronto-test-store");
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            List<String> told = Collections.synchronizedList(new ArrayList<>());
            store.submit(h -> {
                holding.countDown();
                awaitQuietly(hold);
                return null;
            }, nothing -> told.add("held"), e -> { });
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            CountDownLatch done = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                ChatMessage message = ChatMessage.outgoing(BOB, "q" + i, "queued " + i, Instant.now());
                GroupCommit.Write<Boolean> write = h -> h.append(message);
                java.util.function.Consumer<Boolean> then = ok -> {
                    told.add(message.id() + " on " + Thread.currentThread().getName());
                    done.countDown();
                };
                if (i % 2 == 0) {
                    store.submitHere(write, then, e -> { });
                } else {
                    store.submit(write, then, e -> { });
                }
            }
            assertEquals(List.of(), told, "nothing waited for the busy store");
            hold.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("held", "q0 on pronto-test-store", "q1 on pronto-test-store",
                    "q2 on pronto-test-store", "q3 on pronto-test-store"), told);
            store.stop(Duration.ofSeconds(5));
        }
    }

    /** Many threads handing in both ways at once: each thread's writes are told in its order, none lost. */
    @Test
    void writesHandedInBothWaysFromManyThreadsAreAllStoredEachThreadInOrder() throws Exception {
        try (SqliteHistory sqlite = SqliteHistory.open(folder.resolve("h.db"))) {
            GroupCommit store = GroupCommit.threaded(sqlite, "pronto-test-store");
            int threads = 4;
            int each = 300;
            java.util.Map<Integer, List<Integer>> told = new java.util.concurrent.ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(threads * each);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                told.put(writer, Collections.synchronizedList(new ArrayList<>()));
                writers.add(new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        int number = i;
                        ChatMessage message = ChatMessage.outgoing(BOB, writer + "-" + i, "m", Instant.now());
                        GroupCommit.Write<Boolean> write = h -> h.append(message);
                        java.util.function.Consumer<Boolean> then = ok -> {
                            told.get(writer).add(number);
                            done.countDown();
                        };
                        if ((i + writer) % 3 == 0) {
                            store.submit(write, then, e -> { });
                        } else {
                            store.submitHere(write, then, e -> { });
                        }
                    }
                }, "pronto-test-writer-" + t));
            }
            writers.forEach(Thread::start);
            assertTrue(done.await(60, TimeUnit.SECONDS), "all told");
            for (int t = 0; t < threads; t++) {
                List<Integer> order = told.get(t);
                List<Integer> sorted = new ArrayList<>(order);
                Collections.sort(sorted);
                assertEquals(sorted, order, "writer " + t + " told in its order");
                assertEquals(each, order.size());
            }
            store.awaitCommitted();
            assertEquals(threads * each, sqlite.latest(BOB, threads * each + 10).size());
            store.stop(Duration.ofSeconds(5));
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
