package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.model.AvatarHash;
import chat.pronto.model.PeerId;
import chat.pronto.threads.Threads;

/** Fetching peers' pictures, bounded (real timer, short waits; every wait has a deadline). */
class AvatarQueriesTest {
    private static final PeerId ALICE = PeerId.of("alice@hosta");
    private static final byte[] PICTURE = "alice's face".getBytes();
    private static final String HASH = AvatarHash.of(PICTURE);

    private final ScheduledExecutorService timer = Threads.timer("pronto-test-avatar-queries");
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private AvatarQueries queries(int tries, long firstRetryMillis, int maxActive) {
        return new AvatarQueries(asked::add, timer, new AvatarQueries.Limits(tries, Duration.ofMillis(firstRetryMillis),
                maxActive));
    }

    private static MdnsMessage answer(String instance, byte[] picture) {
        byte[] packet = AvatarRecords.response(instance, picture, AvatarRecords.TTL);
        return MdnsMessage.parse(packet, 0, packet.length).orElseThrow();
    }

    private static <T> T within(CompletableFuture<T> future, long seconds) throws Exception {
        return future.get(seconds, TimeUnit.SECONDS);
    }

    private void awaitAsked(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (asked.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("asked " + asked + ", expected " + count + " queries");
            }
            Thread.sleep(5); // polling a condition with a deadline
        }
    }

    @Test
    void anAnswerWhosePictureMatchesThePhshCompletesTheFetch() throws Exception {
        AvatarQueries queries = queries(4, 10_000, 4);
        CompletableFuture<Optional<byte[]>> fetch = queries.fetch(ALICE, HASH);
        awaitAsked(1);
        assertEquals(List.of("alice@hosta"), asked);
        queries.heard(answer("Alice@HostA", PICTURE));
        assertArrayEquals(PICTURE, within(fetch, 5).orElseThrow());
        assertFalse(queries.busy());
    }

    @Test
    void theWrongPictureAnEmptyOneAndOneForANameNobodyAskedAboutAreIgnored() throws Exception {
        AvatarQueries queries = queries(4, 10_000, 4);
        CompletableFuture<Optional<byte[]>> fetch = queries.fetch(ALICE, HASH);
        queries.heard(answer("alice@hosta", "somebody else's face".getBytes()));
        queries.heard(answer("alice@hosta", new byte[0]));
        queries.heard(answer("mallory@hostm", PICTURE));
        assertFalse(fetch.isDone());
        assertEquals(1, queries.ignoredAnswers());
        queries.heard(answer("alice@hosta", PICTURE));
        assertArrayEquals(PICTURE, within(fetch, 5).orElseThrow());
    }

    @Test
    void oneQueryPerPeerIsInFlightAndASecondAskJoinsIt() throws Exception {
        AvatarQueries queries = queries(4, 10_000, 4);
        CompletableFuture<Optional<byte[]>> first = queries.fetch(ALICE, HASH);
        CompletableFuture<Optional<byte[]>> second = queries.fetch(ALICE, HASH.toUpperCase());
        assertSame(first, second);
        awaitAsked(1);
        assertEquals(1, asked.size());
    }

    @Test
    void noAnswerMeansAskingAgainWithGrowingWaitsThenGivingUp() throws Exception {
        AvatarQueries queries = queries(3, 20, 4);
        long start = System.nanoTime();
        CompletableFuture<Optional<byte[]>> fetch = queries.fetch(ALICE, HASH);
        assertTrue(within(fetch, 5).isEmpty(), "given up");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(3, asked.size(), "three tries");
        assertTrue(took >= 20 + 40 + 80, "waits of 20, 40 and 80 ms, took " + took);
        queries.heard(answer("alice@hosta", PICTURE)); // too late: nobody asks any more
        assertFalse(queries.busy());
    }

    @Test
    void onlySoManyPeersAreAskedAtOnceTheOthersWaitTheirTurn() throws Exception {
        AvatarQueries queries = queries(1, 10_000, 2);
        PeerId bob = PeerId.of("bob@hostb");
        PeerId carol = PeerId.of("carol@hostc");
        byte[] carolsFace = "carol".getBytes();
        CompletableFuture<Optional<byte[]>> alices = queries.fetch(ALICE, HASH);
        queries.fetch(bob, AvatarHash.of("bob".getBytes()));
        CompletableFuture<Optional<byte[]>> carols = queries.fetch(carol, AvatarHash.of(carolsFace));
        awaitAsked(2);
        assertEquals(List.of("alice@hosta", "bob@hostb"), asked);
        queries.heard(answer("carol@hostc", carolsFace)); // not asked yet: its answer would still do
        assertArrayEquals(carolsFace, within(carols, 5).orElseThrow());
        queries.cancel(bob);
        queries.heard(answer("alice@hosta", PICTURE));
        assertTrue(within(alices, 5).isPresent());
        assertEquals(2, asked.size(), "carol's came before her turn: never asked");
    }

    @Test
    void aNewHashReplacesTheFetchOfTheOldOne() throws Exception {
        AvatarQueries queries = queries(4, 10_000, 4);
        CompletableFuture<Optional<byte[]>> old = queries.fetch(ALICE, AvatarHash.of("old".getBytes()));
        CompletableFuture<Optional<byte[]>> now = queries.fetch(ALICE, HASH);
        assertTrue(within(old, 5).isEmpty());
        queries.heard(answer("alice@hosta", "old".getBytes()));
        assertFalse(now.isDone());
        queries.heard(answer("alice@hosta", PICTURE));
        assertTrue(within(now, 5).isPresent());
    }

    @Test
    void aMalformedHashIsNotFetchedAndClosingEndsEveryFetch() throws Exception {
        AvatarQueries queries = queries(4, 10_000, 4);
        assertTrue(within(queries.fetch(ALICE, "not a hash"), 1).isEmpty());
        CompletableFuture<Optional<byte[]>> pending = queries.fetch(PeerId.of("bob@hostb"), HASH);
        queries.close();
        assertTrue(within(pending, 5).isEmpty());
        assertTrue(within(queries.fetch(ALICE, HASH), 1).isEmpty());
    }
}
