package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.testing.RawPeer;
import chat.pronto.testing.TestNode;

/**
 * A corpus of malformed and hostile input at every position of a stream (in place of the header,
 * between stanzas, inside a stanza), in the clear and inside TLS after STARTTLS and SASL, sent whole
 * and split into single bytes: each is answered with its exact RFC 6120 stream error, and the
 * connection is closed promptly after the error, without waiting for the peer.
 */
class HostileCorpusIT {
    private static final String LEGACY_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='mallory@hostm' to='carol@hostc'>";
    private static final String HEADER = LEGACY_HEADER.replace("'>", "' version='1.0'>");
    private static final String GOOD_MESSAGE = "<message type='chat' id='ok'><body>fine so far</body></message>";
    private static final Pattern ERROR = Pattern.compile(
            "<stream:error><([a-z-]+) xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                    + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>.*?</text>"
                    + "</stream:error></stream:stream>",
            Pattern.DOTALL);
    /**
     * How long after its error Pronto may keep the connection: it ends the stream and closes at once
     * (1–14 ms here in the clear; inside TLS it used to hold it about 750 ms). Generous for a loaded
     * machine, yet well under the 1 s drain deadline and the timeouts a waiting engine would hit.
     */
    private static final Duration PROMPT_CLOSE = Duration.ofMillis(500);

    enum Position { INSTEAD_OF_THE_HEADER, BETWEEN_STANZAS, INSIDE_A_STANZA }

    enum Transport { PLAIN, TLS }

    enum Delivery { WHOLE, ONE_BYTE_AT_A_TIME }

    record Hostile(String name, Position position, byte[] bytes, String condition) {
        static Hostile of(String name, Position position, String xml, String condition) {
            return new Hostile(name, position, xml.getBytes(StandardCharsets.UTF_8), condition);
        }

        @Override
        public String toString() {
            return name + " " + position.name().toLowerCase().replace('_', ' ');
        }
    }

    private static final List<Hostile> CORPUS = List.of(
            Hostile.of("HTTP", Position.INSTEAD_OF_THE_HEADER, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "not-well-formed"),
            Hostile.of("DTD with entities", Position.INSTEAD_OF_THE_HEADER,
                    "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>]>" + HEADER, "restricted-xml"),
            Hostile.of("comment", Position.INSTEAD_OF_THE_HEADER, "<!-- hi -->" + HEADER, "restricted-xml"),
            Hostile.of("wrong stream namespace", Position.INSTEAD_OF_THE_HEADER,
                    HEADER.replace("http://etherx.jabber.org/streams", "urn:other"), "invalid-namespace"),
            Hostile.of("wrong content namespace", Position.INSTEAD_OF_THE_HEADER,
                    HEADER.replace("jabber:client", "jabber:server"), "invalid-namespace"),
            Hostile.of("someone else's name", Position.INSTEAD_OF_THE_HEADER,
                    HEADER.replace("carol@hostc", "dave@hostd"), "host-unknown"),
            Hostile.of("Latin-1", Position.INSTEAD_OF_THE_HEADER,
                    HEADER.replace("<?xml version='1.0'?>", "<?xml version='1.0' encoding='ISO-8859-1'?>"),
                    "unsupported-encoding"),
            Hostile.of("stray end tag", Position.BETWEEN_STANZAS, "</message>", "not-well-formed"),
            Hostile.of("XML declaration", Position.BETWEEN_STANZAS, "<?xml version='1.0'?><message/>", "not-well-formed"),
            Hostile.of("unfinished tag", Position.BETWEEN_STANZAS, "< <message/>", "not-well-formed"),
            Hostile.of("comment", Position.BETWEEN_STANZAS, "<!-- hi -->", "restricted-xml"),
            Hostile.of("processing instruction", Position.BETWEEN_STANZAS, "<?evil?>", "restricted-xml"),
            Hostile.of("DTD", Position.BETWEEN_STANZAS, "<!DOCTYPE x>", "restricted-xml"),
            Hostile.of("unknown element", Position.BETWEEN_STANZAS, "<banana xmlns='urn:fruit'/>", "unsupported-stanza-type"),
            Hostile.of("deep nesting", Position.BETWEEN_STANZAS, "<message>" + "<x>".repeat(100), "policy-violation"),
            new Hostile("bytes that are not UTF-8", Position.BETWEEN_STANZAS,
                    new byte[] {'<', 'm', (byte) 0xC3, (byte) 0x28, '/', '>'}, "not-well-formed"),
            Hostile.of("mismatched tags", Position.INSIDE_A_STANZA, "hi</message></body>", "not-well-formed"),
            Hostile.of("stream end with an element open", Position.INSIDE_A_STANZA, "hi</stream:stream>",
                    "not-well-formed"),
            Hostile.of("undeclared entity", Position.INSIDE_A_STANZA, "&xxe;</body></message>", "restricted-xml"),
            Hostile.of("comment", Position.INSIDE_A_STANZA, "<!-- x --></body></message>", "restricted-xml"),
            Hostile.of("XML declaration", Position.INSIDE_A_STANZA, "<?xml version='1.0'?></body></message>",
                    "not-well-formed"),
            Hostile.of("duplicate attribute", Position.INSIDE_A_STANZA, "<x a='1' a='2'/></body></message>",
                    "not-well-formed"),
            Hostile.of("unfinished tag", Position.INSIDE_A_STANZA, "< </body></message>", "not-well-formed"));

    private static final Identity MALLORY = Identity.generate("mallory@hostm");
    /** Made once: a fresh node per case (so no event of one case reaches the next), not a fresh key. */
    private static final Identity CAROL = Identity.generate("carol@hostc");
    private TestNode carol;

    @BeforeEach
    void startNode() throws IOException {
        carol = TestNode.start(StreamConfig.defaults("carol@hostc").withNegotiationTimeout(Duration.ofSeconds(5)),
                CAROL, KnownPeers.inMemory());
    }

    @AfterEach
    void stopNode() throws IOException {
        carol.close();
    }

    static Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        for (Hostile hostile : CORPUS) {
            for (Transport transport : Transport.values()) {
                for (Delivery delivery : Delivery.values()) {
                    cases.add(Arguments.of(hostile, transport, delivery));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("corpus")
    void answeredWithItsStreamErrorAndClosedPromptly(Hostile hostile, Transport transport, Delivery delivery)
            throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            if (transport == Transport.TLS) {
                secure(raw);
            }
            if (hostile.position() != Position.INSTEAD_OF_THE_HEADER) {
                // In the clear as a legacy peer (no version: no features to negotiate), inside TLS as a 1.0 one.
                raw.send(transport == Transport.TLS ? HEADER : LEGACY_HEADER);
                raw.readUntil(transport == Transport.TLS ? "</stream:features>" : "<stream:stream");
                raw.send(GOOD_MESSAGE);
                if (hostile.position() == Position.INSIDE_A_STANZA) {
                    raw.send("<message type='chat' id='bad'><body>");
                }
            }
            send(raw, hostile.bytes(), delivery);

            String received = raw.readUntil("</stream:error></stream:stream>");
            long errorSeen = System.nanoTime();
            Matcher error = ERROR.matcher(received);
            assertTrue(error.find(), received);
            assertEquals(hostile.condition(), error.group(1), received);
            assertTrue(raw.closedWithin(PROMPT_CLOSE), "still open " + PROMPT_CLOSE.toMillis() + " ms after the error");
            System.out.printf("hostile corpus: %-60s %-5s %-18s %-24s closed %3d ms after the error%n", hostile,
                    transport, delivery, hostile.condition(), (System.nanoTime() - errorSeen) / 1_000_000);
        }
        // Closed on our side too now, so Pronto stops reading what we might still send and reports the end.
        StreamEnd.ErrorSent sent = assertInstanceOf(StreamEnd.ErrorSent.class, carol.events.awaitEnded().value());
        assertEquals(hostile.condition(), sent.condition());
        if (hostile.position() != Position.INSTEAD_OF_THE_HEADER) {
            // What came before the damage was delivered; nothing after it was.
            assertTrue(carol.events.awaitStanza().value().toXML().toString().contains("fine so far"));
        }
        assertEquals(0, carol.events.stanzaCount(), "nothing after the damage was delivered");
    }

    /** STARTTLS, the TLS handshake as mallory, then SASL EXTERNAL: what a peer does before its stanzas. */
    private static void secure(RawPeer raw) throws IOException {
        raw.send(HEADER);
        raw.readUntil("</stream:features>");
        raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        raw.readUntil("<proceed");
        raw.startTls(new TlsContexts(MALLORY, KnownPeers.inMemory()).forPeer("mallory@hostm", "carol@hostc"));
        raw.send(HEADER);
        raw.readUntil("</stream:features>");
        raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
        raw.readUntil("<success");
    }

    private static void send(RawPeer raw, byte[] bytes, Delivery delivery) throws IOException {
        if (delivery == Delivery.WHOLE) {
            raw.send(bytes);
            return;
        }
        for (byte single : bytes) {
            raw.send(new byte[] {single});
        }
    }
}
