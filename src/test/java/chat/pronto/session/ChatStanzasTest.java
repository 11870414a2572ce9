package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.Test;

import chat.pronto.model.PeerId;
import chat.pronto.model.TypingState;

class ChatStanzasTest {
    private static final PeerId ALICE = PeerId.of("alice@hosta");
    private static final PeerId BOB = PeerId.of("bob@hostb");

    private static Message parse(String xml) throws Exception {
        return PacketParserUtils.parseStanza(xml);
    }

    @Test
    void aChatMessageAsksForAReceiptAndSaysActive() throws Exception {
        String xml = ChatStanzas.chat(ALICE, BOB, "m1", "hi <there> & co").toXML().toString();
        Message back = parse(xml);
        assertEquals("m1", back.getStanzaId());
        assertEquals("alice@hosta", back.getFrom().toString());
        assertEquals("bob@hostb", back.getTo().toString());
        assertEquals(Message.Type.chat, back.getType());
        assertEquals(Optional.of("hi <there> & co"), ChatStanzas.text(back));
        assertTrue(ChatStanzas.wantsReceipt(back));
        assertEquals(Optional.of(TypingState.ACTIVE), ChatStanzas.typing(back));
    }

    @Test
    void aReceiptNamesTheMessageItAcknowledges() throws Exception {
        Message receipt = parse(ChatStanzas.receipt(BOB, ALICE, "r1", "m1").toXML().toString());
        assertEquals(Optional.of("m1"), ChatStanzas.receiptFor(receipt));
        assertEquals(Optional.empty(), ChatStanzas.text(receipt));
        assertFalse(ChatStanzas.wantsReceipt(receipt));
    }

    @Test
    void everyChatStateSurvivesTheRoundTrip() throws Exception {
        for (TypingState state : TypingState.values()) {
            Message typing = parse(ChatStanzas.typing(ALICE, BOB, "t", state).toXML().toString());
            assertEquals(Optional.of(state), ChatStanzas.typing(typing));
            assertTrue(ChatStanzas.hasChatState(typing));
            assertEquals(Optional.empty(), ChatStanzas.text(typing));
        }
    }

    @Test
    void legacyMessageEventsMapToTypingOnlyWithoutABody() throws Exception {
        Message request = parse("<message xmlns='jabber:client' type='chat'><body>hi</body><x xmlns='jabber:x:event'><composing/></x></message>");
        assertEquals(Optional.empty(), ChatStanzas.typing(request));
        Message composing = parse("<message xmlns='jabber:client' type='chat'><x xmlns='jabber:x:event'><composing/><id>1</id></x></message>");
        assertEquals(Optional.of(TypingState.COMPOSING), ChatStanzas.typing(composing));
        Message stopped = parse("<message xmlns='jabber:client' type='chat'><x xmlns='jabber:x:event'><id>1</id></x></message>");
        assertEquals(Optional.of(TypingState.PAUSED), ChatStanzas.typing(stopped));
        assertFalse(ChatStanzas.hasChatState(composing));
    }

    /** iChat and Adium send their typing notices with an empty body: typing, not an empty message. */
    @Test
    void anEmptyBodyWithMessageEventsIsTypingNotAMessage() throws Exception {
        Message composing = parse("<message xmlns='jabber:client' type='chat'><body/><x xmlns='jabber:x:event'>"
                + "<composing/><id>1</id></x></message>");
        assertEquals(Optional.of(TypingState.COMPOSING), ChatStanzas.typing(composing));
        assertEquals(Optional.empty(), ChatStanzas.text(composing));
        Message stopped = parse("<message xmlns='jabber:client' type='chat'><body></body><x xmlns='jabber:x:event'>"
                + "<id>1</id></x></message>");
        assertEquals(Optional.of(TypingState.PAUSED), ChatStanzas.typing(stopped));
    }

    @Test
    void theXhtmlCopyIsUsedOnlyWhenThereIsNoPlainBody() throws Exception {
        Message both = parse("<message xmlns='jabber:client'><body>plain</body><html xmlns='http://www.w3.org/1999/xhtml'><body>"
                + "<b>rich</b></body></html></message>");
        assertEquals(Optional.of("plain"), ChatStanzas.text(both));
        Message htmlOnly = parse("<message xmlns='jabber:client'><html xmlns='http://www.w3.org/1999/xhtml'><body><p>only rich text</p>"
                + "</body></html></message>");
        assertEquals(Optional.of("only rich text"), ChatStanzas.text(htmlOnly));
    }

    @Test
    void namesThatAreNoJidsAreLeftOutOfTheAddress() {
        assertNull(ChatStanzas.jid(PeerId.of("x@y (2)")));
        Message message = ChatStanzas.chat(ALICE, PeerId.of("x@y (2)"), "m", "hi");
        assertNull(message.getTo());
    }
}
