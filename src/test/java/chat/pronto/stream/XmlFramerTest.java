package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jivesoftware.smack.packet.StreamError.Condition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import chat.pronto.testing.ChunkedInput;

class XmlFramerTest {
    private static final String PIDGIN_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
            + "<stream:stream xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\""
            + " from=\"bob@hostb\" to=\"alice@hosta\">";
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='a@x' to='b@y' version='1.0'>";

    private static InputStream chunked(String text, int chunk) {
        return new ChunkedInput(text.getBytes(StandardCharsets.UTF_8), chunk);
    }

    private static XmlFramer framer(String text, int chunk) {
        return new XmlFramer(chunked(text, chunk), 4096, 8, null);
    }

    private static List<String> frames(String text, int chunk) throws Exception {
        XmlFramer framer = framer(text, chunk);
        List<String> frames = new ArrayList<>();
        while (true) {
            Frame frame = framer.next();
            frames.add(frame.getClass().getSimpleName() + ":" + new String(frame.bytes(), StandardCharsets.UTF_8));
            if (frame instanceof Frame.End) {
                return frames;
            }
        }
    }

    private static Condition conditionOf(String text) {
        XmlFramer framer = framer(text, 7);
        StreamErrorException error = assertThrows(StreamErrorException.class, () -> {
            while (true) {
                framer.next();
            }
        });
        return error.condition();
    }

    @ParameterizedTest(name = "in chunks of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 7, 64, 100_000})
    void cutsAStreamIntoTheSameFramesHoweverTheBytesArrive(int chunk) throws Exception {
        String message = "<message type='chat' to='b@y'><body>a &lt; b &amp; c &#x263A; &#9731; é ☃"
                + "<![CDATA[ <not-a-tag> ]] > ]]></body><x a=\"1 > 0\" b='/>'/></message>";
        String stream = HEADER + "\n  " + message + " \n<presence/>" + "</stream:stream>";

        assertEquals(List.of("Header:" + HEADER, "Element:" + message, "Element:<presence/>",
                "End:</stream:stream>"), frames(stream, chunk));
    }

    @Test
    void acceptsPidginsDoubleQuotedDeclarationWithATrailingNewline() throws Exception {
        XmlFramer framer = framer(PIDGIN_HEADER + "<message/>", 5);

        Frame.Header header = assertInstanceOf(Frame.Header.class, framer.next());

        assertEquals("stream:stream", header.qualifiedName());
        assertEquals(PIDGIN_HEADER.indexOf("<stream:stream"), header.tagOffset());
        assertArrayEquals("<message/>".getBytes(StandardCharsets.UTF_8), framer.next().bytes());
    }

    @Test
    void reportsAPeerThatClosesMidStanza() throws Exception {
        XmlFramer framer = framer(HEADER + "<message><body>hal", 4);
        framer.next();

        assertThrows(EOFException.class, framer::next);
    }

    @Test
    void leavesTheBytesAfterAFrameUnread() throws Exception {
        XmlFramer framer = new XmlFramer(new ByteArrayInputStream((HEADER + "<starttls/>").getBytes()), 4096, 8, null);
        framer.next();
        framer.next();

        assertFalse(framer.hasUnconsumedInput());
    }

    @Test
    void startsAFreshStreamOnTheSameBytesAfterARestart() throws Exception {
        XmlFramer framer = framer(HEADER + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + HEADER
                + "<message/>", 3);
        framer.next();
        framer.next();
        framer.restart();

        assertInstanceOf(Frame.Header.class, framer.next());
        assertInstanceOf(Frame.Element.class, framer.next());
    }

    @Test
    void refusesADocumentTypeDeclaration() {
        assertEquals(Condition.restricted_xml, conditionOf("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]>"
                + HEADER));
    }

    @Test
    void refusesAnEntityBombHiddenInAStanza() {
        assertEquals(Condition.restricted_xml, conditionOf(HEADER + "<message><!DOCTYPE lol [<!ENTITY lol 'lol'>"));
    }

    @Test
    void refusesAComment() {
        assertEquals(Condition.restricted_xml, conditionOf(HEADER + "<message><!-- hi --></message>"));
    }

    @Test
    void refusesAProcessingInstruction() {
        assertEquals(Condition.restricted_xml, conditionOf(HEADER + "<message><?php echo 1; ?></message>"));
    }

    /** XML 1.0 §2.8: a declaration anywhere but at the start is not well-formed (not merely restricted XML). */
    @Test
    void refusesAnXmlDeclarationInTheMiddleOfTheStreamAsNotWellFormed() {
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<?xml version='1.0'?>"));
    }

    @Test
    void refusesAStrayEndTagAndTheStreamsEndTagInsideAnOpenElement() {
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "</message>"));
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<message><body>hi</stream:stream>"));
    }

    /** Found by the long fuzzing run: the stream's fed parser (Aalto) took </mess age> for the end of <message>. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1000})
    void refusesAnEndTagThatDoesNotRepeatItsStartTagsName(int chunk) throws Exception {
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<message><body>hi</body></mess age>"));
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<message><a><b/></a></messages>"));
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<message><body>hi</bod></message>"));
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<message><body>hi</ body></message>"));
        assertEquals("Element:<message><body>hi</body ></message >",
                frames(HEADER + "<message><body>hi</body ></message ></stream:stream>", chunk).get(1));
    }

    /** Found by the long fuzzing run: "]]>" outside a CDATA section reached a stanza. */
    @Test
    void refusesTheEndOfACdataSectionInPlainText() throws Exception {
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<message><body>a ]]> b</body></message>"));
        assertEquals(Condition.not_well_formed,
                conditionOf(HEADER + "<message><body><![CDATA[x]]>]]></body></message>"));
        assertEquals("Element:<message><body>a ]] > <![CDATA[ ]]> ]]]</body></message>",
                frames(HEADER + "<message><body>a ]] > <![CDATA[ ]]> ]]]</body></message></stream:stream>", 1).get(1));
    }

    /** Found by the long fuzzing run: the JDK's parser took <:aa/>, the fed parser did not. */
    @ParameterizedTest
    @ValueSource(strings = {"<:aa/>", "<a:/>", "<a:b:c/>", "<a :b='1'/>", "<a b:='1'/>", "<a b:c:d='1'/>"})
    void refusesNamesThatAreNotPrefixAndLocalPart(String element) {
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<message>" + element + "</message>"));
    }

    @Test
    void refusesAnEntityReferenceOtherThanThePredefinedOnes() {
        assertEquals(Condition.restricted_xml, conditionOf(HEADER + "<message><body>&xxe;</body></message>"));
        assertEquals(Condition.restricted_xml, conditionOf(HEADER + "<message to='&xxe;'/>"));
    }

    @Test
    void refusesAnElementLargerThanTheLimit() {
        String big = "<message><body>" + "x".repeat(5000) + "</body></message>";

        assertEquals(Condition.policy_violation, conditionOf(HEADER + big));
    }

    @Test
    void refusesEndlessUnclosedContent() {
        assertEquals(Condition.policy_violation, conditionOf(HEADER + "<message><body>" + "y".repeat(10_000)));
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        assertEquals(Condition.policy_violation, conditionOf(HEADER + "<a><a><a><a><a><a><a><a><a>"));
    }

    @Test
    void refusesTextBetweenStanzas() {
        assertEquals(Condition.bad_format, conditionOf(HEADER + "<message/>hello<message/>"));
    }

    @Test
    void refusesTextBeforeTheHeader() {
        assertEquals(Condition.not_well_formed, conditionOf("GET / HTTP/1.1\r\n"));
    }

    @Test
    void refusesALessThanSignInsideAnAttributeValue() {
        assertEquals(Condition.not_well_formed, conditionOf(HEADER + "<message to='a<b'/>"));
    }

    @Test
    void deliversEveryCompleteStanzaBeforeTheOneThatBreaksTheRules() throws Exception {
        XmlFramer framer = framer(HEADER + "<message><body>1</body></message><!-- evil -->", 100_000);
        framer.next();

        assertTrue(new String(framer.next().bytes(), StandardCharsets.UTF_8).contains("<body>1</body>"));
        assertThrows(StreamErrorException.class, framer::next);
    }

    @Test
    void showsEveryChunkToTheTapBeforeCheckingIt() throws Exception {
        StringBuilder tapped = new StringBuilder();
        XmlFramer framer = new XmlFramer(chunked(HEADER + "<!-- x -->", 4), 4096, 8,
                (buffer, offset, length) -> tapped.append(new String(buffer, offset, length, StandardCharsets.UTF_8)));
        framer.next();
        assertThrows(StreamErrorException.class, framer::next);

        assertTrue(tapped.toString().endsWith("<!--"), tapped::toString);
    }
}
