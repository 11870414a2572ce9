package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.Test;

/** The stream's one fed parser, as Smack sees it: every frame reads as if it had a parser of its own. */
class ElementReaderTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:x='urn:example:x' from='a@x' to='b@y' version='1.0'>";

    private static ElementReader reader() throws StreamErrorException {
        byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
        int tag = HEADER.indexOf("<stream:stream");
        return ElementReader.open(new Frame.Header(header, tag, "stream:stream")).reader();
    }

    private static Stanza stanza(ElementReader reader, String xml) throws Exception {
        return ElementReader.stanza(reader.element(new Frame.Element(xml.getBytes(StandardCharsets.UTF_8))));
    }

    /** Aalto's non-blocking reader hands text over in pieces (at CDATA, say); Smack keeps only the last piece. */
    @Test
    void textInPiecesReadsAsOneText() throws Exception {
        Message message = (Message) stanza(reader(), "<message id='1'><body>a &lt; b<![CDATA[ <c> ]]>d&#x263A;e</body>"
                + "<thing xmlns='urn:example:thing'>one<![CDATA[two]]>three</thing></message>");

        assertEquals("a < b <c> d\u263Ae", message.getBody());
        StandardExtensionElement thing = (StandardExtensionElement) message.getExtensionElement("thing", "urn:example:thing");
        assertEquals("onetwothree", thing.getText());
    }

    @Test
    void everyFrameReadsLikeTheSameStanzaParsedAlone() throws Exception {
        ElementReader reader = reader();
        String xml = "<message xmlns='jabber:client' to='b@y' from='a@x' id='m' type='chat' xml:lang='de'>"
                + "<body>hallo</body><x:y xmlns:x='urn:example:x' a='1'><x:z>t</x:z></x:y></message>";
        String alone = PacketParserUtils.parseStanza(xml).toXML().toString();

        // Past the point where the parser starts afresh, and twice more: the header's namespaces stay.
        for (int i = 0; i < FedXmlParser.FRAMES_PER_PARSER * 2 + 10; i++) {
            assertEquals(alone, stanza(reader, xml).toXML().toString(), "frame " + i);
        }
    }

    @Test
    void aPrefixTheHeaderDeclaredStaysDeclared() throws Exception {
        Message message = (Message) stanza(reader(), "<message id='1'><x:y/></message>");

        assertEquals("urn:example:x", message.getExtensions().get(0).getNamespace());
    }

    @Test
    void anElementLeftHalfReadIsReadToItsEndBeforeTheNext() throws Exception {
        ElementReader reader = reader();
        reader.element(new Frame.Element("<unknown xmlns='urn:example:u'><a><b/></a>text</unknown>"
                .getBytes(StandardCharsets.UTF_8)));

        Message next = (Message) stanza(reader, "<message id='2'><body>next</body></message>");

        assertEquals("next", next.getBody());
    }

    @Test
    void badMarkupInTheUnreadRestOfAnElementStillEndsTheStream() throws Exception {
        ElementReader reader = reader();
        reader.element(new Frame.Element("<unknown><a>&#0;</a></unknown>".getBytes(StandardCharsets.UTF_8)));

        StreamErrorException error = assertThrows(StreamErrorException.class,
                () -> stanza(reader, "<message id='2'><body>next</body></message>"));
        assertEquals(Condition.not_well_formed, error.condition());
    }

    @Test
    void bytesThatAreNotUtf8InTextAreNotWellFormed() throws Exception {
        byte[] frame = "<message id='1'><body>x\u00e9</body></message>".getBytes(StandardCharsets.UTF_8);
        frame[frame.length - "</body></message>".length() - 1] = 'x'; // half of a two-byte character

        StreamErrorException error = assertThrows(StreamErrorException.class,
                () -> ElementReader.stanza(reader().element(new Frame.Element(frame))));
        assertEquals(Condition.not_well_formed, error.condition());
    }

    /** Found by the long fuzzing run: Aalto's parser takes any byte above 127 in a name, even one that is not UTF-8. */
    @Test
    void aNameWithAByteThatIsNotUtf8IsNotWellFormed() throws Exception {
        byte[] frame = "<message id='1'><active xmlns?='http://jabber.org/protocol/chatstates'/></message>"
                .getBytes(StandardCharsets.UTF_8);
        frame["<message id='1'><active xmlns".length()] = (byte) 0xAD;

        StreamErrorException error = assertThrows(StreamErrorException.class,
                () -> ElementReader.stanza(reader().element(new Frame.Element(frame))));
        assertEquals(Condition.not_well_formed, error.condition());
    }

    @Test
    void aNameThatIsNotAnXmlNameIsNotWellFormedEvenInValidUtf8() throws Exception {
        StreamErrorException error = assertThrows(StreamErrorException.class,
                () -> stanza(reader(), "<message id='1'><a\u00ADb xmlns='urn:x'/></message>"));
        assertEquals(Condition.not_well_formed, error.condition());
    }

    /** Found by the long fuzzing run: Aalto threw a bare RuntimeException, and the stream ended with internal-server-error. */
    @Test
    void anElementNamedWithTheXmlnsPrefixIsNotWellFormed() throws Exception {
        StreamErrorException error = assertThrows(StreamErrorException.class,
                () -> reader().element(new Frame.Element("<xmlns:nrm xmlns:nrm='urn:x'/>".getBytes(StandardCharsets.UTF_8))));
        assertEquals(Condition.not_well_formed, error.condition());
    }

    /** Found by the long fuzzing run: with assertions on, Smack's reader failed an assert of its own. */
    @Test
    void aStreamErrorWithTwoTextsInOneLanguageIsStillThePeersError() throws Exception {
        String xml = "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bye</text>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bye again</text></stream:error>";

        org.jivesoftware.smack.packet.StreamError error = ElementReader.streamError(
                reader().element(new Frame.Element(xml.getBytes(StandardCharsets.UTF_8))));

        assertTrue(java.util.Set.of(org.jivesoftware.smack.packet.StreamError.Condition.conflict,
                org.jivesoftware.smack.packet.StreamError.Condition.undefined_condition).contains(error.getCondition()),
                String.valueOf(error.getCondition()));
    }

    /** Aalto's jar registers itself as the StAX provider; everything but the fed parser keeps the JDK's. */
    @Test
    void smacksOtherParsersStayTheJdks() throws Exception {
        XmlParsing.ready();
        var parser = org.jivesoftware.smack.xml.SmackXmlParser.newXmlParser(new StringReader("<a/>"));

        String readerClass = assertInstanceOf(StaxPullParser.class, parser).reader.getClass().getName();
        assertTrue(readerClass.startsWith("com.sun.org.apache."), readerClass);
    }
}
