package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.stream.Role;
import chat.pronto.testing.FakeStream;

/** Which stream carries a conversation: the both-dial rule, fall-back, idle close. */
class PeerStreamsTest {
    private static final String ALICE = "alice@hosta";
    private static final String BOB = "bob@hostb";

    /** Alice's view of her streams with Bob. */
    private final PeerStreams alicesView = new PeerStreams(PeerId.of(BOB));
    /** Bob's view of his streams with Alice. */
    private final PeerStreams bobsView = new PeerStreams(PeerId.of(ALICE));

    @Test
    void whenBothDialAtOnceBothSidesKeepTheStreamOpenedByTheSmallerNameWhateverTheOrder() {
        // Alice's side: her own dial and Bob's arrive in either order.
        FakeStream hers = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        FakeStream his = FakeStream.encrypted(Role.RECIPIENT, ALICE, BOB);
        alicesView.adopt(his);
        alicesView.adopt(hers);
        assertSame(hers, alicesView.usable());
        assertTrue(his.closedByUs() && !hers.closedByUs());

        PeerStreams otherOrder = new PeerStreams(PeerId.of(BOB));
        FakeStream hers2 = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        FakeStream his2 = FakeStream.encrypted(Role.RECIPIENT, ALICE, BOB);
        otherOrder.adopt(hers2);
        otherOrder.adopt(his2);
        assertSame(hers2, otherOrder.usable());
        assertTrue(his2.closedByUs());

        // Bob's side: the same stream, which he sees as the one Alice opened.
        FakeStream bobsOwn = FakeStream.encrypted(Role.INITIATOR, BOB, ALICE);
        FakeStream fromAlice = FakeStream.encrypted(Role.RECIPIENT, BOB, ALICE);
        bobsView.adopt(bobsOwn);
        bobsView.adopt(fromAlice);
        assertSame(fromAlice, bobsView.usable());
        assertTrue(bobsOwn.closedByUs());
    }

    @Test
    void aNewerStreamOpenedByTheSameSideReplacesAStaleOne() {
        FakeStream stale = FakeStream.encrypted(Role.RECIPIENT, ALICE, BOB);
        FakeStream fresh = FakeStream.encrypted(Role.RECIPIENT, ALICE, BOB);
        alicesView.adopt(stale);
        alicesView.adopt(fresh);
        assertSame(fresh, alicesView.usable());
        assertTrue(stale.closedByUs(), "Bob restarted or redialed: his old stream is stale");
    }

    @Test
    void whenTheStreamInUseEndsAnotherOpenOneCarriesOn() {
        FakeStream first = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        alicesView.adopt(first);
        FakeStream closing = FakeStream.encrypted(Role.RECIPIENT, ALICE, BOB);
        alicesView.adopt(closing); // loses, is closed
        FakeStream spare = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        alicesView.adopt(spare); // replaces first (same side, newer)

        assertSame(spare, alicesView.ended(first));
        assertNull(alicesView.ended(spare), "the closed loser is not taken back");
        assertEquals(LinkSecurity.NONE, alicesView.link());
    }

    @Test
    void theLinkSaysHowTheConversationTravelsNow() {
        assertEquals(LinkSecurity.NONE, alicesView.link());
        FakeStream pidgin = FakeStream.legacy(Role.RECIPIENT, ALICE, BOB);
        alicesView.adopt(pidgin);
        assertEquals(LinkSecurity.LEGACY, alicesView.link());
        alicesView.ended(pidgin);
        assertEquals(LinkSecurity.NONE, alicesView.link());
        alicesView.adopt(FakeStream.encrypted(Role.INITIATOR, ALICE, BOB));
        assertEquals(LinkSecurity.ENCRYPTED, alicesView.link());
    }

    @Test
    void aClosedStreamOrOneAlreadyKnownIsNotAdoptedAgain() {
        FakeStream stream = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        assertTrue(alicesView.adopt(stream));
        assertFalse(alicesView.adopt(stream));
        FakeStream gone = FakeStream.encrypted(Role.RECIPIENT, ALICE, BOB);
        gone.drop();
        assertFalse(alicesView.adopt(gone));
        assertSame(stream, alicesView.usable());
    }

    @Test
    void idleStreamsCloseButNeverOneAReceiptIsAwaitedOn() {
        FakeStream idle = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        FakeStream awaited = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        PeerStreams alicesWithCarol = new PeerStreams(PeerId.of("carol@hostc"));
        alicesView.adopt(idle);
        alicesWithCarol.adopt(awaited);
        long idleNanos = Duration.ofSeconds(180).toNanos();
        long muchLater = System.nanoTime() + 2 * idleNanos;

        alicesView.closeIdle(System.nanoTime(), idleNanos, stream -> false);
        assertFalse(idle.closedByUs(), "just used");
        alicesView.closeIdle(muchLater, idleNanos, stream -> false);
        assertTrue(idle.closedByUs());
        alicesWithCarol.closeIdle(muchLater, idleNanos, stream -> stream == awaited);
        assertFalse(awaited.closedByUs());
    }

    /**
     * The peer wrote to the replaced stream first; we read both streams side by side. A message on
     * the new one waits until the old one has been read out (found by the soak: 150 out of order).
     */
    @Test
    void aReaderOfTheNewStreamWaitsUntilTheReplacedOneHasBeenReadOut() throws Exception {
        FakeStream old = FakeStream.encrypted(Role.RECIPIENT, ALICE, BOB);
        FakeStream fresh = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        alicesView.adopt(old);
        alicesView.adopt(fresh); // replaces the old one, which closes
        java.util.concurrent.atomic.AtomicBoolean oldEnded = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean sawItEnded = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            alicesView.awaitOlderStream(fresh, 20_000);
            sawItEnded.set(oldEnded.get());
        }, "test-reader-of-the-new-stream");
        reader.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> reader.getState() == Thread.State.TIMED_WAITING);
        oldEnded.set(true);
        alicesView.ended(old);
        reader.join(10_000);
        assertTrue(sawItEnded.get(), "it went on only after the old stream had ended");

        alicesView.awaitOlderStream(old, 20_000); // (and the old stream's own reader never waits)
    }

    /**
     * The peer's own dial lost the both-dial here (we keep ours), but it may have written to it
     * before it learned that: our stream's reader waits until the loser has been read out.
     */
    @Test
    void aReaderOfTheKeptStreamWaitsUntilTheLoserHasBeenReadOut() throws Exception {
        FakeStream ours = FakeStream.encrypted(Role.INITIATOR, ALICE, BOB);
        FakeStream his = FakeStream.encrypted(Role.RECIPIENT, ALICE, BOB);
        alicesView.adopt(ours);
        alicesView.adopt(his); // loses, is closed; Bob may have written to it first
        java.util.concurrent.atomic.AtomicBoolean loserEnded = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean sawItEnded = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            alicesView.awaitOlderStream(ours, 20_000);
            sawItEnded.set(loserEnded.get());
        }, "test-reader-of-the-kept-stream");
        reader.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> reader.getState() == Thread.State.TIMED_WAITING);
        loserEnded.set(true);
        alicesView.ended(his);
        reader.join(10_000);
        assertTrue(sawItEnded.get());
    }
}
