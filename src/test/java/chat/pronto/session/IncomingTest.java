package chat.pronto.session;

import static chat.pronto.session.OnePeer.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Problem;
import chat.pronto.model.TypingState;
import chat.pronto.stream.StreamEnd;
import chat.pronto.testing.FakeStream;

/** What the peer sends: messages stored before they are acknowledged, receipts, chat states, IQs. */
class IncomingTest {
    private final OnePeer alice = new OnePeer().withBobOnline();
    private final FakeStream stream = alice.bobDials();

    private List<Message> receipts(FakeStream on) {
        return on.sent().stream().filter(Message.class::isInstance).map(Message.class::cast)
                .filter(message -> ChatStanzas.receiptFor(message).isPresent()).toList();
    }

    @Test
    void aMessageIsStoredBeforeItsReceiptGoesOut() {
        stream.beforeEachWrite(stanza -> {
            if (stanza instanceof Message message && ChatStanzas.receiptFor(message).isPresent()) {
                assertTrue(alice.history.find(BOB, "m1").isPresent(), "acknowledged before it was stored");
            }
        });
        alice.bobSays(stream, "m1", "hello Alice");
        assertEquals("m1", ChatStanzas.receiptFor(receipts(stream).get(0)).orElseThrow());
        assertEquals("hello Alice", alice.events.all(ChatEvent.MessageAdded.class).get(0).message().body());
    }

    @Test
    void aDuplicateIsAcknowledgedAgainButShownOnce() {
        alice.bobSays(stream, "m1", "hello");
        alice.bobSays(stream, "m1", "hello");
        assertEquals(2, receipts(stream).size(), "its sender did not get the first receipt: it needs one");
        assertEquals(1, alice.events.all(ChatEvent.MessageAdded.class).size());
        assertEquals(1, alice.history.all().size());
    }

    @Test
    void anIdReusedForOtherWordsIsANewMessage() {
        alice.bobSays(stream, "1", "first life");
        alice.bobSays(stream, "1", "second life");
        assertEquals(List.of("first life", "second life"), alice.history.all().stream().map(ChatMessage::body).toList());
    }

    @Test
    void aMessageThatCannotBeStoredIsNotAcknowledgedSoItsSenderKeepsItAndTheUserIsTold() {
        alice.history.failWith(new IOException("disk full"));
        alice.bobSays(stream, "m1", "hello");
        assertTrue(receipts(stream).isEmpty());
        assertEquals(Problem.of(Problem.Kind.INCOMING_NOT_SAVED, BOB.name(), "disk full"),
                alice.events.all(ChatEvent.Notice.class).get(0).problem());
    }

    @Test
    void aMessageWithoutAnIdOrWithoutARequestGetsNoReceiptButIsKept() {
        alice.session.onMessage(stream, StanzaBuilder.buildMessage().ofType(Message.Type.chat).setBody("no id").build());
        alice.session.onMessage(stream, StanzaBuilder.buildMessage("x1").ofType(Message.Type.chat)
                .setBody("no request").build());
        assertTrue(receipts(stream).isEmpty());
        assertEquals(2, alice.history.all().size());
    }

    @Test
    void aReceiptForAMessageOnALosingStreamGoesOnTheStreamThatIsKept() {
        FakeStream ours = FakeStream.encrypted(chat.pronto.stream.Role.INITIATOR, OnePeer.ME.name(), BOB.name());
        alice.session.onEstablished(ours, ours.streamInfo()); // alice@hosta sorts first: her stream wins
        assertTrue(stream.closedByUs(), "Bob's stream lost and is closing");

        alice.bobSays(stream, "late", "still arriving on the closing stream");
        assertTrue(receipts(stream).isEmpty());
        assertEquals("late", ChatStanzas.receiptFor(receipts(ours).get(0)).orElseThrow());
    }

    @Test
    void chatStatesBecomeTypingAndTellUsThePeerUnderstandsThem() {
        alice.session.setTyping(TypingState.COMPOSING);
        assertTrue(stream.sent().stream().noneMatch(s -> s.hasExtension(ChatStateExtension.NAMESPACE)),
                "not before the peer showed it knows chat states");

        alice.session.onMessage(stream, StanzaBuilder.buildMessage("t1").ofType(Message.Type.chat)
                .addExtension(new ChatStateExtension(ChatState.composing)).build());
        assertEquals(TypingState.COMPOSING, alice.events.all(ChatEvent.Typing.class).get(0).state());
        alice.session.setTyping(TypingState.PAUSED);
        assertTrue(stream.sent().stream().anyMatch(s -> s.hasExtension("paused", ChatStateExtension.NAMESPACE)));
    }

    @Test
    void aRequestIsAnsweredOnItsStreamAndAnAnswerTeachesUsThePeersFeatures() {
        Ping ping = new Ping();
        ping.setStanzaId("p1");
        alice.session.onIq(stream, ping);
        IQ pong = stream.iqs().stream().filter(iq -> "p1".equals(iq.getStanzaId())).findFirst().orElseThrow();
        assertEquals(IQ.Type.result, pong.getType());
        assertEquals(BOB.name(), pong.getTo().toString());
    }
}
