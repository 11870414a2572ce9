package chat.pronto.session;

import static chat.pronto.model.DeliveryState.DELIVERED;
import static chat.pronto.model.DeliveryState.QUEUED;
import static chat.pronto.model.DeliveryState.SENT;
import static chat.pronto.session.OnePeer.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.stream.Role;
import chat.pronto.stream.StreamEnd;
import chat.pronto.testing.FakeStream;

/** A peer that fell silent (cut cable, frozen machine) is noticed: pings, and the end of its stream. */
class LinkWatchTest {
    private final OnePeer alice = new OnePeer().withBobOnline();

    private void after(Duration time) {
        alice.scheduler.advance(time);
        alice.session.checkLink();
    }

    private static List<Ping> pings(FakeStream stream) {
        return stream.iqs().stream().filter(Ping.class::isInstance).map(Ping.class::cast).toList();
    }

    private void bobAnswers(FakeStream stream, Ping ping) {
        alice.session.onIq(stream, IQ.createResultIQ(ping));
    }

    @Test
    void aStreamQuietForTheKeepaliveTimeIsPingedAndAnAnswerKeepsItOpen() {
        FakeStream stream = alice.bobDials();
        after(Duration.ofSeconds(29));
        assertTrue(pings(stream).isEmpty(), "not before the keepalive time");
        after(Duration.ofSeconds(2));
        assertEquals(1, pings(stream).size());
        assertEquals(BOB.name(), pings(stream).get(0).getTo().toString());

        bobAnswers(stream, pings(stream).get(0));
        after(Duration.ofSeconds(15));
        assertTrue(stream.isOpen());
        assertNull(stream.failedWith());
    }

    @Test
    void aPingNotAnsweredInTimeEndsTheStreamItsMessagesGoBackAndThePeerIsOffline() {
        ChatMessage hello = alice.send("are you still there?");
        FakeStream stream = alice.dialSucceeds();
        after(Duration.ofSeconds(31));
        assertEquals(1, pings(stream).size());
        after(Duration.ofSeconds(9));
        assertTrue(stream.isOpen(), "the ping timeout has not passed yet");
        after(Duration.ofSeconds(2));
        assertEquals(Condition.connection_timeout, stream.failedWith());

        // What the stream engine reports for a stream we ended with that error:
        alice.session.onEnded(stream, new StreamEnd.ErrorSent("connection-timeout", "no answer to a ping"));
        assertEquals(List.of(SENT, QUEUED), alice.events.statesOf(hello.id()));
        assertTrue(alice.presence.peer(BOB).isEmpty(), "marked offline at once, before mDNS notices");
    }

    @Test
    void aMessageOwedItsReceiptTooLongBringsAPingEvenWhileThePeerTalks() {
        alice.send("hello");
        FakeStream stream = alice.dialSucceeds();
        for (int second = 10; second <= 30; second += 10) {
            alice.scheduler.advance(Duration.ofSeconds(10));
            alice.bobSays(stream, "b" + second, "chatting along");
            alice.session.checkLink();
        }
        assertTrue(pings(stream).isEmpty(), "the stream is not quiet and the receipt is not late yet");
        after(Duration.ofSeconds(2));
        assertEquals(1, pings(stream).size());
    }

    @Test
    void whenThePeerAnswersButAReceiptNeverCameTheMessageGoesOutAgainUnderTheSameId() {
        ChatMessage first = alice.send("first");
        FakeStream stream = alice.dialSucceeds();
        alice.receipt(stream, first.id()); // Bob acknowledges messages
        ChatMessage lost = alice.send("lost on the way"); // (his disk was full, say)
        after(Duration.ofSeconds(31));
        bobAnswers(stream, pings(stream).get(0));
        after(Duration.ofSeconds(1));

        assertEquals(List.of(SENT, QUEUED, SENT), alice.events.statesOf(lost.id()));
        assertEquals(2, stream.chatMessages().stream().filter(m -> m.getStanzaId().equals(lost.id())).count());
        alice.receipt(stream, lost.id());
        assertEquals(chat.pronto.model.DeliveryState.DELIVERED, alice.history.find(BOB, lost.id()).orElseThrow().state());
    }

    /**
     * A peer that is busy (a backlog, a slow disk) acknowledges late, but in order: its answer to the
     * ping comes after the receipts for everything written before it. Until that answer nothing is
     * in doubt; talking meanwhile only shows it is there. (Any stanza used to count as the answer: the
     * long soak saw thousands of messages sent again and again to a peer that was merely slow.)
     */
    @Test
    void aPeerSlowToAcknowledgeIsNotSentItsMessagesAgainBeforeItAnswersThePing() {
        ChatMessage first = alice.send("first");
        FakeStream stream = alice.dialSucceeds();
        alice.receipt(stream, first.id()); // Bob acknowledges messages
        ChatMessage late = alice.send("acknowledged late");
        after(Duration.ofSeconds(31));
        Ping ping = pings(stream).get(0);
        for (int second = 0; second < 15; second += 5) {
            alice.bobSays(stream, "busy" + second, "still working through my backlog");
            after(Duration.ofSeconds(5));
        }
        assertTrue(stream.isOpen(), "a peer that keeps talking is there, answer or not");
        assertEquals(List.of(SENT), alice.events.statesOf(late.id()));

        alice.receipt(stream, late.id());
        bobAnswers(stream, ping);
        after(Duration.ofSeconds(1));
        assertEquals(1, stream.chatMessages().stream().filter(m -> m.getStanzaId().equals(late.id())).count(),
                "sent once");
        assertEquals(List.of(SENT, DELIVERED), alice.events.statesOf(late.id()));
    }

    @Test
    void aPeerNotKnownToAcknowledgeIsNotSentAnythingTwice() {
        ChatMessage hello = alice.send("hello");
        FakeStream stream = alice.dialSucceeds();
        after(Duration.ofSeconds(31));
        bobAnswers(stream, pings(stream).get(0));
        after(Duration.ofSeconds(1));
        assertEquals(List.of(SENT), alice.events.statesOf(hello.id()));
    }

    @Test
    void aLegacyPeerIsNeverPingedItWouldNotAnswer() {
        FakeStream pidgin = FakeStream.legacy(Role.RECIPIENT, OnePeer.ME.name(), BOB.name());
        alice.session.onEstablished(pidgin, pidgin.streamInfo());
        after(Duration.ofMinutes(2));
        assertTrue(pidgin.iqs().isEmpty());
        assertTrue(pidgin.isOpen());
    }
}
