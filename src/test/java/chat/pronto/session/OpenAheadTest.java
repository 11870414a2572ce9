package chat.pronto.session;

import static chat.pronto.model.DeliveryState.QUEUED;
import static chat.pronto.model.DeliveryState.SENT;
import static chat.pronto.session.OnePeer.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Problem;
import chat.pronto.model.Problem.Kind;
import chat.pronto.model.TypingState;
import chat.pronto.security.Fingerprint;
import chat.pronto.stream.StreamEnd;
import chat.pronto.testing.FakeStream;

/**
 * The stream opens as the user starts writing to a peer we have no stream with, so that the message
 * finds it ready instead of waiting for a dial, a TLS handshake and the stream's negotiation (or for an
 * advertised address that does not answer). Quietly: nothing is reported while nothing waits for it.
 */
class OpenAheadTest {
    private static final Problem REFUSED = Problem.of(Kind.CANNOT_CONNECT, "127.0.0.1", 5299, "Connection refused");
    private final OnePeer alice = new OnePeer().withBobOnline();

    @Test
    void typingToAPeerWithNoStreamOpensOneAndTheMessageGoesOutOnItWithoutAnotherDial() {
        alice.session.setTyping(TypingState.COMPOSING);
        assertEquals(1, alice.dialer.count(), "typing opened a stream");
        FakeStream stream = alice.dialSucceeds();

        ChatMessage hello = alice.send("hello");
        assertEquals(1, alice.dialer.count(), "the message found the stream open");
        assertEquals(hello.id(), stream.chatMessages().get(0).getStanzaId());
        assertEquals(List.of(SENT), alice.events.statesOf(hello.id()));
    }

    @Test
    void aMessageSentWhileTheStreamIsStillOpeningGoesOutWhenItIsThere() {
        alice.session.setTyping(TypingState.COMPOSING);
        ChatMessage hello = alice.send("hello");
        assertEquals(1, alice.dialer.count(), "one dial for both");

        FakeStream stream = alice.dialSucceeds();
        assertEquals(hello.id(), stream.chatMessages().get(0).getStanzaId());
    }

    @Test
    void anOpeningThatFailsWhileNothingWaitsSaysNothingAndTypingTriesAgainOnlyAfterAWhile() {
        alice.session.setTyping(TypingState.COMPOSING);
        alice.dialer.answer(new DialOutcome.Failed(REFUSED));
        assertTrue(alice.events.all(ChatEvent.Unreachable.class).isEmpty(), "nobody sent anything: nothing to report");
        assertTrue(alice.scheduler.pending().isEmpty(), "and nothing to retry");

        typesAgain();
        assertEquals(1, alice.dialer.count(), "typing again right after a failure opens nothing");
        alice.scheduler.advance(Duration.ofSeconds(31));
        typesAgain();
        assertEquals(2, alice.dialer.count(), "after a while it does");
    }

    @Test
    void aPeerThatRefusesTheStreamIsNotDialedAgainByTypingForAWhileAndAChangedKeyIsShownAtOnce() {
        alice.session.setTyping(TypingState.COMPOSING);
        Fingerprint pinned = Fingerprint.parse("00".repeat(32));
        Fingerprint presented = Fingerprint.parse("ff".repeat(32));
        alice.dialer.answer(new DialOutcome.Refused(new StreamEnd.KeyChanged(BOB.name(), pinned, presented)));
        assertEquals(1, alice.events.keyChanges.size(), "the user learns it before sending");

        typesAgain();
        assertEquals(1, alice.dialer.count(), "typing does not knock again at once");
    }

    /**
     * A message that waited for the stream is on it before the front ends hear the stream is up: telling
     * them (the contact built anew) took 0.5–1.4 ms of a first message's path.
     */
    @Test
    void aMessageThatWaitedIsWrittenBeforeTheFrontEndsHearTheStreamIsUp() {
        ChatMessage hello = alice.send("hello");
        FakeStream stream = FakeStream.encrypted(chat.pronto.stream.Role.INITIATOR, OnePeer.ME.name(), BOB.name());
        List<Integer> writtenWhenTold = new java.util.ArrayList<>();
        alice.events.whenLinkChanged = () -> writtenWhenTold.add(stream.chatMessages().size());
        alice.dialer.answer(new DialOutcome.Connected(stream, stream.streamInfo()));

        assertEquals(hello.id(), stream.chatMessages().get(0).getStanzaId());
        assertEquals(List.of(1), writtenWhenTold, "told once, with the message already written");
    }

    /** The draft emptied and the user writes again: the window says ACTIVE, then COMPOSING. */
    private void typesAgain() {
        alice.session.setTyping(TypingState.ACTIVE);
        alice.session.setTyping(TypingState.COMPOSING);
    }

    @Test
    void whenTheOpeningFailsAfterAMessageWasQueuedTheMessageIsRetriedAndReportedAsAlways() {
        alice.session.setTyping(TypingState.COMPOSING);
        ChatMessage hello = alice.send("hello");
        alice.dialer.answer(new DialOutcome.Failed(REFUSED));

        ChatEvent.Unreachable report = alice.events.all(ChatEvent.Unreachable.class).get(0);
        assertEquals(REFUSED, report.problem());
        assertTrue(report.retryIn().isPresent());
        assertEquals(QUEUED, alice.history.find(BOB, hello.id()).orElseThrow().state());
        alice.scheduler.advance(report.retryIn().orElseThrow());
        assertEquals(2, alice.dialer.count(), "dialed again when the wait was over");
    }

    @Test
    void typingToAPeerThatIsNotOnTheNetworkDialsNothingAndSaysNothing() {
        OnePeer lonely = new OnePeer();
        lonely.session.setTyping(TypingState.COMPOSING);
        assertEquals(0, lonely.dialer.count());
        assertTrue(lonely.events.all(ChatEvent.Unreachable.class).isEmpty());
    }

    @Test
    void typingOnAnOpenStreamOpensNoOther() {
        alice.bobDials();
        alice.session.setTyping(TypingState.COMPOSING);
        assertEquals(0, alice.dialer.count());
    }
}
