package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.junit.jupiter.api.Test;

class RawStanzaTest {
    private static String refused(String xml) {
        return assertThrows(RawStanza.Invalid.class, () -> RawStanza.parse(xml)).getMessage();
    }

    @Test
    void aHandWrittenMessageBecomesAStanzaInTheClientNamespace() throws Exception {
        Stanza stanza = RawStanza.parse("<message to='bob@b' type='chat'>\n  <body>hi &amp; bye</body>\n</message>");
        Message message = (Message) stanza;
        assertEquals("hi & bye", message.getBody());
        assertEquals("bob@b", message.getTo().toString());
        assertTrue(RawStanza.parse("<iq type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>") instanceof IQ);
    }

    @Test
    void malformedXmlIsRefusedWithItsLineAndColumn() {
        RawStanza.Invalid invalid = assertThrows(RawStanza.Invalid.class,
                () -> RawStanza.parse("<message>\n  <body>unclosed\n</message>"));
        assertTrue(invalid.getMessage().startsWith("not well-formed"), invalid.getMessage());
        assertEquals(3, invalid.line());
        assertTrue(invalid.column() > 0);
    }

    @Test
    void exactlyOneStanzaAndNothingElse() {
        assertTrue(refused("<message/><message/>").contains("one stanza at a time"));
        assertTrue(refused("<body>hi</body>").contains("is no stanza"));
        assertTrue(refused("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'/>").contains("is no stanza"));
        assertTrue(refused("   ").contains("nothing to send"));
    }

    /** Found by the long fuzzing run: the checker took a name a peer's stream refuses as not well-formed. */
    @Test
    void whatAPeersStreamCouldNotReadIsRefused() {
        assertTrue(refused("<iq type='get' id='p1'><ping :xPrens='urn:x'/></iq>").contains("a peer's stream would not read it"));
        assertTrue(refused("<iq type='get' id='p2'><query xmlns=''/></iq>").contains("no namespace"));
    }

    @Test
    void restrictedXmlIsRefused() {
        assertTrue(refused("<!DOCTYPE message [<!ENTITY x 'boom'>]><message><body>&x;</body></message>")
                .contains("DTD"));
        assertTrue(refused("<message><body>&nbsp;</body></message>").contains("not"));
        assertTrue(refused("<message><!-- hi --></message>").contains("comments"));
        assertTrue(refused("<?php echo 1 ?><message/>").contains("processing instructions"));
    }

    @Test
    void anOversizedStanzaIsRefusedBeforeParsing() {
        String big = "<message><body>" + "x".repeat(RawStanza.MAX_CHARS) + "</body></message>";
        assertTrue(refused(big).contains("at most"));
    }

    /** Smack reads an IQ it has no provider for as an UnparsedIQ, which it writes back escaped: garbage on the wire. */
    @Test
    void anIqWithAChildSmackDoesNotKnowGoesOutAsTyped() throws Exception {
        Stanza stanza = RawStanza.parse("<iq type='set' id='x1' to='bob@b'><query xmlns='urn:example:odd' node='n'>"
                + "<item jid='a@b'>one &amp; two</item><item/></query></iq>");
        String xml = stanza.toXML(new org.jivesoftware.smack.packet.XmlEnvironment("jabber:client")).toString();
        assertEquals("<iq to='bob@b' id='x1' type='set'><query xmlns='urn:example:odd' node='n'>"
                + "<item jid='a@b'>one &amp; two</item><item></item></query></iq>", xml);
        Stanza empty = RawStanza.parse("<iq type='get' id='x2'><ping xmlns='urn:example:ping'/></iq>");
        assertEquals("<iq id='x2' type='get'><ping xmlns='urn:example:ping'/></iq>",
                empty.toXML(new org.jivesoftware.smack.packet.XmlEnvironment("jabber:client")).toString());
    }

    /**
     * Found by RawStanzaFuzzTest: where the parser knows no position (an unfinished DTD), the problem
     * came with line -1 and the parser's "ParseError at [row,col]:[-1,-1]" left in its text.
     */
    @Test
    void aProblemWithoutAPositionHasNoNegativeLineAndNoParserPrefix() {
        RawStanza.Invalid invalid = assertThrows(RawStanza.Invalid.class,
                () -> RawStanza.parse("<!DOCTYPE m [<!ENTITY e '>&e;</ence><show>age>"));
        assertTrue(invalid.line() >= 0 && invalid.column() >= 0, invalid.line() + ":" + invalid.column());
        assertTrue(!invalid.getMessage().contains("ParseError"), invalid.getMessage());
    }

    /**
     * Found by RawStanzaFuzzTest: on some broken DTDs the JDK's own StAX parser fails to find its error
     * message (MissingResourceException: InvalidCharInDTD), and that escaped the checker: the console
     * got an exception instead of a problem to show.
     */
    @Test
    void aParserThatBreaksOnTheTextIsAProblemNotAnException() {
        String broken = "<!DOCTYPE m [<!ENTIge><body>&e;</body><\uFFFD\u0000essage>";
        RawStanza.Invalid invalid = assertThrows(RawStanza.Invalid.class, () -> RawStanza.parse(broken));
        assertTrue(invalid.getMessage().startsWith("not well-formed"), invalid.getMessage());
        assertTrue(!RawStanza.isIncomplete(broken));
    }
}
