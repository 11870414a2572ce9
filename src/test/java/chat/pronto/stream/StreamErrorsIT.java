package chat.pronto.stream;

import static chat.pronto.testing.Stanzas.bodyOf;
import static chat.pronto.testing.Stanzas.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.testing.RawPeer;
import chat.pronto.testing.TestNode;

/** Hostile and broken input, each answered with the right stream error on the wire (RFC 6120 §4.9). */
class StreamErrorsIT {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='mallory@hostm' to='carol@hostc'>";
    private static final Pattern ERROR = Pattern.compile(
            "<stream:error><([a-z-]+) xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>.*?</stream:error></stream:stream>",
            Pattern.DOTALL);

    private TestNode carol;

    @BeforeEach
    void startNode() throws Exception {
        carol = TestNode.start(StreamConfig.defaults("carol@hostc")
                .withNegotiationTimeout(Duration.ofMillis(500))
                .withLimits(StreamLimits.DEFAULT.withRate(200, 400).withStanzaTimeout(Duration.ofMillis(400))));
    }

    @AfterEach
    void stopNode() throws Exception {
        carol.close();
    }

    /** Sends {@code xml} and returns the stream error condition that came back, after checking the close. */
    private String errorAfterSending(String xml) throws IOException {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send(xml);
            return conditionOn(raw);
        }
    }

    private String conditionOn(RawPeer raw) throws IOException {
        String received = raw.readUntil("</stream:error></stream:stream>");
        Matcher error = ERROR.matcher(received);
        assertTrue(error.find(), received);
        // RFC 6120 §4.9.2: <text/> is in the streams namespace too (the content namespace is jabber:client).
        assertTrue(error.group().contains("<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>"),
                error.group());
        assertTrue(raw.closedWithin(Duration.ofSeconds(5)), "the connection must be closed after the error");
        StreamEnd.ErrorSent sent = assertInstanceOf(StreamEnd.ErrorSent.class, carol.events.awaitEnded().value());
        assertEquals(error.group(1), sent.condition());
        return error.group(1);
    }

    @Test
    void answersMismatchedTagsWithNotWellFormed() throws IOException {
        assertEquals("not-well-formed", errorAfterSending(HEADER + "<message><body>hi</message></body>"));
    }

    @Test
    void answersGarbageInsteadOfAHeaderWithNotWellFormedAfterAHeaderOfItsOwn() throws IOException {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("not-well-formed", conditionOn(raw));
            assertTrue(raw.received().startsWith("<?xml version='1.0'?><stream:stream "), raw.received());
        }
    }

    @Test
    void answersADoctypeWithRestrictedXml() throws IOException {
        assertEquals("restricted-xml", errorAfterSending("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
                + "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]>" + HEADER));
    }

    @Test
    void answersAnExternalEntityWithRestrictedXml() throws IOException {
        assertEquals("restricted-xml", errorAfterSending(HEADER + "<message><body>&xxe;</body></message>"));
    }

    @Test
    void answersACommentWithRestrictedXml() throws IOException {
        assertEquals("restricted-xml", errorAfterSending(HEADER + "<!-- hello -->"));
    }

    @Test
    void answersAProcessingInstructionWithRestrictedXml() throws IOException {
        assertEquals("restricted-xml", errorAfterSending(HEADER + "<message><?evil?></message>"));
    }

    @Test
    void answersAStanzaOverTheSizeLimitWithPolicyViolation() throws IOException {
        String huge = "<message><body>" + "x".repeat(300 * 1024) + "</body></message>";

        assertEquals("policy-violation", errorAfterSending(HEADER + huge));
    }

    @Test
    void acceptsAStanzaJustUnderTheSizeLimit() throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            String body = "y".repeat(StreamLimits.DEFAULT.maxElementBytes() - 100);
            raw.send(HEADER + "<message><body>" + body + "</body></message>");

            assertEquals(body, bodyOf(carol.events.awaitStanza().value()));
        }
    }

    @Test
    void answersDeepNestingWithPolicyViolation() throws IOException {
        assertEquals("policy-violation", errorAfterSending(HEADER + "<message>" + "<x>".repeat(100)));
    }

    @Test
    void answersAFloodWithPolicyViolationAfterDeliveringTheBurst() throws IOException {
        StringBuilder flood = new StringBuilder(HEADER);
        for (int i = 0; i < 2000; i++) {
            flood.append("<message type='chat'><body>").append(i).append("</body></message>");
        }

        assertEquals("policy-violation", errorAfterSending(flood.toString()));
        assertEquals("0", bodyOf(carol.events.awaitStanza().value()));
        assertTrue(carol.events.stanzaCount() >= 398 && carol.events.stanzaCount() < 1000,
                "delivered " + (carol.events.stanzaCount() + 1) + " of 2000");
    }

    @Test
    void answersASenderThatNeverFinishesItsStanzaWithPolicyViolation() throws IOException {
        try (RawPeer slow = RawPeer.connect(carol.address())) {
            slow.send(HEADER);
            carol.events.awaitEstablished();
            slow.send("<message type='chat'><body>one byte every now and th");

            assertEquals("policy-violation", conditionOn(slow));
        }
    }

    @Test
    void answersSilenceWithConnectionTimeout() throws IOException {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            assertEquals("connection-timeout", conditionOn(raw));
        }
    }

    @Test
    void answersAHeaderThatNeverEndsWithConnectionTimeout() throws IOException {
        assertEquals("connection-timeout", errorAfterSending("<?xml version='1.0'?><stream:stream xmlns='jabber:cl"));
    }

    @Test
    void answersAStreamToSomeoneElseWithHostUnknown() throws IOException {
        assertEquals("host-unknown", errorAfterSending(HEADER.replace("carol@hostc", "dave@hostd")));
    }

    @Test
    void answersAWrongStreamNamespaceWithInvalidNamespace() throws IOException {
        assertEquals("invalid-namespace", errorAfterSending(
                HEADER.replace("http://etherx.jabber.org/streams", "http://example.com/streams")));
    }

    @Test
    void answersAWrongContentNamespaceWithInvalidNamespace() throws IOException {
        assertEquals("invalid-namespace", errorAfterSending(HEADER.replace("jabber:client", "jabber:server")));
    }

    @Test
    void answersAnUnknownTopLevelElementWithUnsupportedStanzaType() throws IOException {
        assertEquals("unsupported-stanza-type", errorAfterSending(HEADER + "<banana xmlns='urn:fruit'/>"));
    }

    @Test
    void answersAnEncodingOtherThanUtf8WithUnsupportedEncoding() throws IOException {
        assertEquals("unsupported-encoding", errorAfterSending(
                "<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER.substring(HEADER.indexOf("<stream:stream"))));
    }

    @Test
    void answersBytesThatAreNotUtf8WithNotWellFormed() throws IOException {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send(HEADER + "<message><body>");
            raw.send(new byte[] {(byte) 0xC3, (byte) 0x28});
            raw.send("</body></message>");
            assertEquals("not-well-formed", conditionOn(raw));
        }
    }

    @Test
    void dropsAStanzaSmackCannotReadAndKeepsTheStream() throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send(HEADER + "<message to='' type='chat'><body>no address</body></message>"
                    + "<iq type='bogus' id='1'/>"
                    + "<message type='chat'><delay xmlns='urn:xmpp:delay' stamp='yesterday'/></message>"
                    + "<message type='chat'><body>next one</body></message>");

            assertTrue(carol.events.awaitDropped().value().contains("<message/>"));
            assertTrue(carol.events.awaitDropped().value().contains("<iq/>"));
            assertTrue(carol.events.awaitDropped().value().contains("<message/>"));
            assertEquals("next one", bodyOf(carol.events.awaitStanza().value()));
        }
    }

    @Test
    void reportsAStreamErrorThePeerSends() throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send(HEADER);
            carol.events.awaitEstablished();
            raw.send("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
                    + "</stream:stream>");

            StreamEnd.ErrorReceived received =
                    assertInstanceOf(StreamEnd.ErrorReceived.class, carol.events.awaitEnded().value());
            assertEquals("system-shutdown", received.condition());
            assertTrue(raw.readUntil("</stream:stream>").endsWith("</stream:stream>"));
        }
    }

    @Test
    void aHostileStreamNeverDisturbsAnother() throws Exception {
        try (TestNode alice = TestNode.start("alice@hosta")) {
            XmlStream good = alice.dial(carol);
            good.established().get(10, TimeUnit.SECONDS);
            carol.events.awaitEstablished();

            assertEquals("restricted-xml", errorAfterSending(HEADER + "<message><!-- x --></message>"));
            assertEquals("policy-violation", errorAfterSending(HEADER + "<message>" + "<x>".repeat(100)));

            good.send(chat("carol@hostc", "still here"));
            assertEquals("still here", bodyOf(carol.events.awaitStanza().value()));
        }
    }

    private static final String HEADER_1_0 = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='mallory@hostm' to='carol@hostc' version='1.0'>";

    /** After our error we read what the peer still sends, so it gets the error; a dribbler cannot hold that open. */
    @Test
    void afterAnErrorAPeerThatDribblesBytesCannotHoldTheConnection() throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            Thread dribbler = new Thread(() -> {
                try {
                    raw.send(HEADER + "<message><body>hi</message></body>");
                    for (int i = 0; i < 100; i++) {
                        Thread.sleep(100); // under the drain's per-read timeout: each read gets a byte
                        raw.send("x");
                    }
                } catch (IOException | InterruptedException closed) {
                    // the connection was closed: what we wanted
                }
            }, "test-dribbler");
            dribbler.setDaemon(true);
            dribbler.start();
            StreamEnd.ErrorSent sent = assertInstanceOf(StreamEnd.ErrorSent.class, carol.events.awaitEnded().value());
            assertEquals("not-well-formed", sent.condition());
            assertTrue(dribbler.isAlive(), "the stream ended while the peer was still dribbling (10 s of it)");
            dribbler.interrupt();
        }
    }

    /** Where TLS is optional our timer waits for the peer's first element; half an element is a slow sender. */
    @Test
    void halfAStartTlsAndThenSilenceIsCutOffAsASlowSender() throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send(HEADER_1_0);
            raw.readUntil("</stream:features>");
            raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'");
            assertEquals("policy-violation", conditionOn(raw));
        }
    }

    /** A peer that does not want TLS may stay quiet after our features for a while, not for ever. */
    @Test
    void aStreamQuietAfterOurFeaturesIsEndedInTheEnd() throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send(HEADER_1_0);
            raw.readUntil("</stream:features>");
            assertEquals("connection-timeout", conditionOn(raw));
            assertTrue(raw.received().contains("within 3000 ms"), raw.received());
        }
    }

    /**
     * Each stanza is read in the context of the header's namespace declarations: thousands of them
     * made an 11-byte {@code <presence/>} cost ~40 ms of CPU. A header may declare a few, not thousands.
     */
    @Test
    void aHeaderWithThousandsOfNamespaceDeclarationsIsRefused() throws IOException {
        StringBuilder declarations = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            declarations.append(" xmlns:p").append(i).append("='urn:x:").append(i).append("'");
        }
        assertEquals("policy-violation", errorAfterSending(HEADER.replace(" from=", declarations + " from=")));
    }

    @Test
    void aHeaderWithAFewPrefixesIsFineAndItsStanzasMayUseThem() throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send(HEADER.replace(" from=", " xmlns:ext='urn:example:ext' from="));
            raw.readUntil("<stream:stream");
            raw.send("<message type='chat'><body>prefixed</body><ext:mood>calm</ext:mood></message>");
            assertEquals("prefixed", bodyOf(carol.events.awaitStanza().value()));
        }
    }

    // ---- malformed markup right after the header (from a hostile-stream run against Pronto's port) ----

    @Test
    void anUnfinishedTagFollowedByAMessageIsNotWellFormed() throws IOException {
        assertEquals("not-well-formed", errorAfterSending(HEADER + "< <message><body>hi</body></message>"));
    }

    @Test
    void anElementLeftOpenWhenTheStreamEndsIsNotWellFormed() throws IOException {
        assertEquals("not-well-formed", errorAfterSending(HEADER + "<message><body>hi</stream:stream>"));
    }

    @Test
    void aStrayEndTagAfterTheHeaderIsNotWellFormedNotAClose() throws IOException {
        assertEquals("not-well-formed", errorAfterSending(HEADER + "</message>"));
    }

    @Test
    void anXmlDeclarationInMidStreamIsNotWellFormed() throws IOException {
        assertEquals("not-well-formed", errorAfterSending(HEADER + "<?xml version='1.0'?><message/>"));
    }

    @Test
    void aUtf16StreamIsAnUnsupportedEncoding() throws IOException {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send(("\uFEFF" + HEADER.replace("<?xml version='1.0'?>", "<?xml version='1.0' encoding='UTF-16'?>"))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
            assertEquals("unsupported-encoding", conditionOn(raw));
        }
    }
}
