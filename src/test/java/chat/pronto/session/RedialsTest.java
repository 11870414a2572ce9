package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.SavedPeer;
import chat.pronto.testing.MemoryHistory;

/** The saved peers that are offline are dialed with a growing wait; nobody saved, nothing done; shown ones are left alone. */
class RedialsTest {
    private static final PeerId BOB = PeerId.of("bob@subnet-b");
    private final AtomicLong now = new AtomicLong(1);
    private final FakeDialer dialer = new FakeDialer();
    private final MemoryHistory history = new MemoryHistory();
    private final Set<PeerId> discovered = new HashSet<>();
    private final DirectPeers direct = new DirectPeers(history, discovered::contains, Runnable::run);
    private final Redials redials = new Redials(direct, discovered::contains, dialer, Runnable::run, now::get,
            new RecordingSessionEvents());

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void nobodySavedMeansNoDial() {
        redials.tick();
        assertEquals(0, dialer.count());
    }

    @Test
    void anOfflineSavedPeerIsDialedAgainAfterAGrowingWait() throws Exception {
        direct.save(new SavedPeer(BOB, "127.0.0.1", 5298, SavedPeer.Origin.ADDRESS));
        redials.tick();
        assertEquals(1, dialer.count(), "at start");
        assertEquals(List.of(5298), dialer.dials().stream().map(dial -> dial.advert().port()).toList());
        dialer.answer(new DialOutcome.Failed(Problem.of(Problem.Kind.CANNOT_CONNECT, "127.0.0.1", 5298, "refused")));

        redials.tick();
        assertEquals(1, dialer.count(), "not before its wait");
        advance(Redials.FIRST_WAIT.multipliedBy(2)); // the first wait, ±20 % at the most
        redials.tick();
        assertEquals(2, dialer.count(), "after it");

        dialer.answer(new DialOutcome.Failed(Problem.of(Problem.Kind.CANNOT_CONNECT, "127.0.0.1", 5298, "refused")));
        // The second wait is twice the first (±20 %): longer than the first could ever be.
        advance(Duration.ofMillis(4_700));
        redials.tick();
        assertEquals(2, dialer.count(), "the wait grew");
        advance(Duration.ofMillis(2_700));
        redials.tick();
        assertEquals(3, dialer.count(), "and ended");
    }

    @Test
    void aSavedPeerThatDiscoveryShowsIsLeftToIt() throws Exception {
        direct.save(new SavedPeer(BOB, "127.0.0.1", 5298, SavedPeer.Origin.ADDRESS));
        discovered.add(BOB);
        redials.tick();
        assertEquals(0, dialer.count());
    }

    @Test
    void aPeerWhosePortIsNotKnownIsNotDialed() throws Exception {
        direct.save(new SavedPeer(BOB, "127.0.0.1", 0, SavedPeer.Origin.REACHED_US));
        redials.tick();
        assertEquals(0, dialer.count());
    }
}
