package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.stream.PeerMatcher.Verdict;
import chat.pronto.stream.Role;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.FakePresence;

/** The small rules sessions live by: both-dial, backoff, and who an incoming stream belongs to. */
class SessionRulesTest {
    @Test
    void bothSidesOfABothDialKeepTheSameStream() {
        // alice < bob: the stream alice opened survives, seen from either side.
        assertTrue(BothDialRule.replaces("alice@a", "bob@b", Role.RECIPIENT, Role.INITIATOR));
        assertFalse(BothDialRule.replaces("alice@a", "bob@b", Role.INITIATOR, Role.RECIPIENT));
        assertTrue(BothDialRule.replaces("bob@b", "alice@a", Role.INITIATOR, Role.RECIPIENT));
        assertFalse(BothDialRule.replaces("bob@b", "alice@a", Role.RECIPIENT, Role.INITIATOR));
    }

    @Test
    void aNewerStreamOpenedByTheSameSideReplacesAStaleOne() {
        assertTrue(BothDialRule.replaces("alice@a", "bob@b", Role.INITIATOR, Role.INITIATOR));
        assertTrue(BothDialRule.replaces("alice@a", "bob@b", Role.RECIPIENT, Role.RECIPIENT));
    }

    @Test
    void backoffDoublesWithinJitterUpToTheMaximumAndResets() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        long[] expected = {1000, 2000, 4000, 8000, 8000};
        for (long millis : expected) {
            long wait = backoff.next().toMillis();
            assertTrue(wait >= millis * 0.8 && wait <= millis * 1.2, wait + " vs " + millis);
        }
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 1200);
    }

    @Test
    void anIncomingStreamBelongsToThePeerThatPublishesItsFromAndItsAddress() throws Exception {
        FakeLink link = new FakeLink();
        FakePresence us = new FakePresence(link, InetAddress.getByName("10.0.0.9"));
        us.start(PeerId.of("me@here"), chat.pronto.model.OwnPresence.available("me"), 1);
        join(link, "alice@a", "10.0.0.1", "fe80::1");
        join(link, "bob@b", "10.0.0.2");
        join(link, "twin@c", "10.0.0.2");
        PresenceMatcher matcher = new PresenceMatcher(us);

        assertEquals(Verdict.accept("alice@a"), matcher.match("alice@a", InetAddress.getByName("10.0.0.1")));
        assertEquals(Verdict.accept("alice@a"), matcher.match("alice@a", InetAddress.getByName("fe80::1%2")),
                "the scope id only says which interface");
        assertEquals(Verdict.accept("alice@a"), matcher.match("alice@a", InetAddress.getByName("::ffff:10.0.0.1")));
        assertEquals("invalid-from", matcher.match("alice@a", InetAddress.getByName("10.0.0.2")).refusalCondition());
        assertEquals("invalid-from", matcher.match("ghost@x", InetAddress.getByName("10.0.0.1")).refusalCondition());
        assertEquals(Verdict.accept("alice@a"), matcher.match(null, InetAddress.getByName("10.0.0.1")));
        assertEquals("invalid-from", matcher.match(null, InetAddress.getByName("10.0.0.2")).refusalCondition(),
                "two peers publish it");
        assertEquals("invalid-from", matcher.match(null, InetAddress.getByName("10.0.0.7")).refusalCondition());
    }

    private static void join(FakeLink link, String name, String... addresses) throws Exception {
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = InetAddress.getByName(addresses[i]);
        }
        new FakePresence(link, resolved).start(PeerId.of(name), chat.pronto.model.OwnPresence.available(name), 5298);
    }
}
