package chat.pronto.session;

import static chat.pronto.session.OnePeer.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Direction;
import chat.pronto.model.Problem;
import chat.pronto.testing.FakeStream;

/**
 * What one peer may make us store (issue 16): a peer faster than its rate is slowed, never refused; a
 * stranger over its allowance is refused with a stanza error, and the user told once.
 */
class PeerQuotaTest {
    /** Small rates, so the arithmetic below stays readable (the defaults are ten times and more these). */
    private static final SessionConfig.Quotas SMALL_RATES = SessionConfig.Quotas.defaults()
            .withRates(1000, 50, 4L << 20, 128L << 10);
    private static final SessionConfig.Quotas FIVE_A_HOUR = SessionConfig.Quotas.defaults()
            .withStrangers(Duration.ofHours(1), 5, 1 << 20);

    private static List<Message> receipts(FakeStream on) {
        return on.sent().stream().filter(Message.class::isInstance).map(Message.class::cast)
                .filter(message -> ChatStanzas.receiptFor(message).isPresent()).toList();
    }

    private static List<Message> errors(FakeStream on) {
        return on.sent().stream().filter(Message.class::isInstance).map(Message.class::cast)
                .filter(message -> message.getType() == Message.Type.error).toList();
    }

    private static long incoming(OnePeer alice) {
        return alice.history.all().stream().filter(message -> message.direction() == Direction.INCOMING).count();
    }

    private static void aliceWroteToBobBefore(OnePeer alice) throws IOException {
        alice.history.append(ChatMessage.outgoing(BOB, "earlier", "hi Bob", Instant.now()));
    }

    private static List<Problem> notices(OnePeer alice) {
        return alice.events.all(ChatEvent.Notice.class).stream().map(ChatEvent.Notice::problem).toList();
    }

    @Test
    void aReconnectFlushingAThousandQueuedMessagesIsTakenInAtOnceAndAFloodBeyondIsSlowedNotRefused()
            throws IOException {
        OnePeer alice = new OnePeer(SMALL_RATES).withBobOnline();
        aliceWroteToBobBefore(alice);
        FakeStream stream = alice.bobDials();

        for (int i = 0; i < 1000; i++) {
            alice.bobSays(stream, "q" + i, "queued while you were away " + i);
        }
        assertEquals(Duration.ZERO, alice.paused, "a reconnect's queue is taken in at full speed");

        for (int i = 0; i < 500; i++) {
            alice.bobSays(stream, "f" + i, "flood " + i);
        }
        assertEquals(1500, incoming(alice), "nothing is refused, only slowed");
        assertEquals(1500, receipts(stream).size());
        assertTrue(errors(stream).isEmpty());
        // 50 a second beyond the burst: the reader held the last 500 back for about 10 s in all.
        assertTrue(alice.paused.compareTo(Duration.ofMillis(9_900)) >= 0
                && alice.paused.compareTo(Duration.ofSeconds(11)) <= 0, "paused " + alice.paused);
    }

    @Test
    void bigMessagesAreSlowedByTheirSize() throws IOException {
        OnePeer alice = new OnePeer(SMALL_RATES).withBobOnline();
        aliceWroteToBobBefore(alice);
        FakeStream stream = alice.bobDials();
        String big = "x".repeat(200_000);

        for (int i = 0; i < 40; i++) {
            alice.bobSays(stream, "b" + i, big + i);
        }
        assertEquals(40, incoming(alice));
        assertEquals(40, receipts(stream).size());
        // 8 MB against a burst of 4 MiB, then 128 KiB a second: 29 s, less the last message's debt
        // (the next stanza would wait for it): 27.5 s of pauses.
        assertTrue(alice.paused.compareTo(Duration.ofSeconds(27)) >= 0
                && alice.paused.compareTo(Duration.ofSeconds(29)) <= 0, "paused " + alice.paused);
    }

    @Test
    void aStrangerOverItsAllowanceIsRefusedWithResourceConstraintAndTheUserIsToldOnce() {
        OnePeer alice = new OnePeer(FIVE_A_HOUR).withBobOnline();
        FakeStream stream = alice.bobDials();

        for (int i = 1; i <= 8; i++) {
            alice.bobSays(stream, "m" + i, "buy now " + i);
        }
        assertEquals(5, incoming(alice));
        assertEquals(5, receipts(stream).size());
        List<Message> refused = errors(stream);
        assertEquals(List.of("m6", "m7", "m8"), refused.stream().map(Message::getStanzaId).toList());
        StanzaError error = refused.get(0).getError();
        assertEquals(StanzaError.Condition.resource_constraint, error.getCondition());
        assertEquals(StanzaError.Type.WAIT, error.getType());
        assertTrue(error.getDescriptiveText().contains("60 min"), error.getDescriptiveText());
        assertEquals(List.of(Problem.of(Problem.Kind.PEER_MUTED, BOB.name(), 60, 5, 5 * "buy now 1".length(), 60)),
                notices(alice));
        assertEquals(5, alice.events.all(ChatEvent.MessageAdded.class).size());
    }

    @Test
    void aStrangerIsMutedByTheBytesItWouldHaveStoredToo() {
        OnePeer alice = new OnePeer(SessionConfig.Quotas.defaults().withStrangers(Duration.ofHours(1), 500, 1000))
                .withBobOnline();
        FakeStream stream = alice.bobDials();
        String words = "é".repeat(150); // 300 bytes of UTF-8

        for (int i = 1; i <= 5; i++) {
            alice.bobSays(stream, "m" + i, words);
        }
        assertEquals(3, incoming(alice));
        assertEquals(List.of("m4", "m5"), errors(stream).stream().map(Message::getStanzaId).toList());
        assertEquals(Problem.Kind.PEER_MUTED, notices(alice).get(0).kind());
    }

    @Test
    void aPeerTheUserWroteToInAnEarlierRunIsNoStranger() throws IOException {
        OnePeer alice = new OnePeer(FIVE_A_HOUR).withBobOnline();
        aliceWroteToBobBefore(alice);
        FakeStream stream = alice.bobDials();

        for (int i = 1; i <= 8; i++) {
            alice.bobSays(stream, "m" + i, "hello " + i);
        }
        assertEquals(8, incoming(alice));
        assertTrue(errors(stream).isEmpty());
        assertTrue(notices(alice).isEmpty());
    }

    @Test
    void writingToAMutedStrangerLetsItThroughForGood() {
        OnePeer alice = new OnePeer(FIVE_A_HOUR).withBobOnline();
        FakeStream stream = alice.bobDials();
        for (int i = 1; i <= 6; i++) {
            alice.bobSays(stream, "m" + i, "hello " + i);
        }
        assertEquals(1, errors(stream).size(), "muted");

        alice.send("who are you?");
        for (int i = 7; i <= 20; i++) {
            alice.bobSays(stream, "m" + i, "hello " + i);
        }
        assertEquals(5 + 14, incoming(alice));
        assertEquals(1, errors(stream).size());
    }

    @Test
    void theMuteEndsWithItsWindowAndANewAllowanceBegins() {
        OnePeer alice = new OnePeer(FIVE_A_HOUR).withBobOnline();
        FakeStream stream = alice.bobDials();
        for (int i = 1; i <= 6; i++) {
            alice.bobSays(stream, "m" + i, "hello " + i);
        }
        alice.scheduler.advance(Duration.ofMinutes(59));
        alice.bobSays(stream, "m7", "still there?");
        assertEquals(2, errors(stream).size(), "muted for the rest of the hour");
        assertEquals(1, notices(alice).size(), "told once");

        alice.scheduler.advance(Duration.ofMinutes(1));
        for (int i = 8; i <= 13; i++) {
            alice.bobSays(stream, "m" + i, "hello " + i);
        }
        assertEquals(10, incoming(alice));
        assertEquals(3, errors(stream).size());
        assertEquals(2, notices(alice).size(), "a new mute is told again");
    }

    @Test
    void aResendOfAMessageAlreadyStoredIsAcknowledgedEvenWhileMuted() {
        OnePeer alice = new OnePeer(FIVE_A_HOUR).withBobOnline();
        FakeStream stream = alice.bobDials();
        for (int i = 1; i <= 6; i++) {
            alice.bobSays(stream, "m" + i, "hello " + i);
        }

        alice.bobSays(stream, "m3", "hello 3"); // its receipt was lost with the old stream: Bob sends it again
        assertEquals("m3", ChatStanzas.receiptFor(receipts(stream).get(5)).orElseThrow());
        assertEquals(1, errors(stream).size());
    }
}
