package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jivesoftware.smack.packet.Stanza;

import com.code_intelligence.jazzer.junit.FuzzTest;

import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.testing.MemorySocket;

/**
 * Fuzz target: raw bytes from a peer that dialed us, through a real {@link StreamEngine} (reader and
 * writer threads, negotiation, watchdog) over an in-memory socket. One engine serves every input, so
 * each input is a new stream on an engine that already served the ones before; now and then a
 * well-behaved stream follows on the same engine and must still work.
 *
 * <p>Each stream must end, once, within seconds: with stanzas and the peer's close, a lost
 * connection (the bytes ran out), the peer's stream error, a failed TLS handshake (after a
 * {@code <starttls/>}), or a stream error of ours with a documented condition, which is then on the
 * wire; never {@code internal-server-error} (an exception we did not expect). What we write up to
 * our {@code </stream:stream>} is well-formed XML. The first byte chooses the case: its low two bits
 * the prefix (0: none; 1: an XMPP 1.0 header, answered with features; 2: a pre-1.0 header, open at once;
 * 3: a 1.0 header and a message, so the stream is open), the other six the chunk size per read.
 */
class StreamEngineFuzzTest {
    private static final String VERSION_1 = XmlFramerFuzzTest.HEADER;
    private static final String LEGACY = VERSION_1.replace("' version='1.0'>", "'>");
    private static final String MESSAGE = "<message type='chat' id='m1'><body>hi</body></message>";
    private static final Set<String> DOCUMENTED;
    private static final XMLInputFactory CHECKER = XMLInputFactory.newDefaultFactory();
    private static final Recorder EVENTS = new Recorder();
    private static final AtomicLong INPUTS = new AtomicLong();
    private static StreamEngine engine;

    static {
        DOCUMENTED = new java.util.HashSet<>(XmlFramerFuzzTest.DOCUMENTED);
        // What negotiation adds: a header to someone else, a name taken from nobody, a restart below 1.0.
        DOCUMENTED.addAll(Set.of("host-unknown", "invalid-from", "unsupported-version"));
        CHECKER.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        CHECKER.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    }

    private static synchronized StreamEngine engine() {
        if (engine == null) {
            StreamConfig config = StreamConfig.defaults("carol@hostc")
                    .withLimits(new StreamLimits(4096, 16, 200, 100, Duration.ofSeconds(30)))
                    .withNegotiationTimeout(Duration.ofSeconds(5))
                    .withCloseTimeout(Duration.ofMillis(500));
            engine = new StreamEngine(config, new TlsContexts(Identity.generate("carol@hostc"), KnownPeers.inMemory()),
                    EVENTS);
        }
        return engine;
    }

    @FuzzTest(maxDuration = "10s")
    void bytesFromAPeer(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        int mode = data[0] & 3;
        int chunk = 1 + ((data[0] & 0xff) >> 2);
        String prefix = switch (mode) {
            case 0 -> "";
            case 1 -> VERSION_1;
            case 2 -> LEGACY;
            default -> VERSION_1 + MESSAGE;
        };
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        byte[] incoming = new byte[prefix.length() + rest.length];
        System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, incoming, 0, prefix.length());
        System.arraycopy(rest, 0, incoming, prefix.length(), rest.length);

        MemorySocket socket = new MemorySocket(incoming, chunk);
        Recorder.Seen seen = serve(socket);
        check(seen, socket.written());

        if (INPUTS.incrementAndGet() % 8 == 1) {
            // The engine still serves a well-behaved peer after whatever came before.
            MemorySocket good = new MemorySocket((LEGACY.replace("mallory@hostm", "dave@hostd") + MESSAGE
                    + "</stream:stream>").getBytes(StandardCharsets.UTF_8), 64);
            Recorder.Seen after = serve(good);
            assertEquals(new StreamEnd.Closed(false), after.end, "a good stream after a fuzzed one: " + good.written());
            assertEquals(1, after.stanzas.get());
        }
    }

    private static Recorder.Seen serve(MemorySocket socket) throws IOException, InterruptedException,
            ExecutionException {
        XmlStream stream = engine().accept(socket);
        Recorder.Seen seen = EVENTS.of(stream);
        try {
            seen.ended.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("the stream did not end within 10 s; it wrote: " + socket.written());
        }
        stream.awaitReader(5000);
        assertFalse(engine().streams().contains(stream), "an ended stream is still counted");
        EVENTS.forget(stream);
        assertEquals(1, seen.endings.get(), "onEnded called more than once");
        return seen;
    }

    private static void check(Recorder.Seen seen, String written) {
        StreamEnd end = seen.end;
        boolean tls = written.contains("<proceed ");
        if (end instanceof StreamEnd.ErrorSent sent) {
            assertTrue(DOCUMENTED.contains(sent.condition()), "an undocumented condition: " + sent
                    + "; we wrote " + written);
            if (!tls) {
                assertTrue(written.contains("<stream:error><" + sent.condition()
                        + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), "the error is not on the wire: " + written);
            }
        } else if (!(end instanceof StreamEnd.ConnectionLost || end instanceof StreamEnd.Closed
                || end instanceof StreamEnd.ErrorReceived || end instanceof StreamEnd.TlsFailed && tls)) {
            fail("an unexpected end: " + end + "; we wrote " + written);
        }
        int close = written.indexOf("</stream:stream>");
        if (!tls && close >= 0) {
            requireWellFormed(written.substring(0, close + "</stream:stream>".length()));
        }
    }

    private static void requireWellFormed(String xml) {
        try {
            XMLStreamReader check = CHECKER.createXMLStreamReader(new StringReader(xml));
            while (check.hasNext()) {
                check.next();
            }
        } catch (XMLStreamException e) {
            throw new AssertionError("we wrote XML that is not well-formed: " + xml, e);
        }
    }

    /** What each stream reported, by stream. */
    private static final class Recorder implements StreamListener {
        static final class Seen {
            final CompletableFuture<StreamEnd> ended = new CompletableFuture<>();
            final AtomicInteger endings = new AtomicInteger();
            final AtomicInteger stanzas = new AtomicInteger();
            volatile StreamEnd end;
        }

        private final Map<XmlStream, Seen> seen = new ConcurrentHashMap<>();

        Seen of(XmlStream stream) {
            return seen.computeIfAbsent(stream, s -> new Seen());
        }

        void forget(XmlStream stream) {
            seen.remove(stream);
        }

        @Override
        public void onStanza(XmlStream stream, Stanza stanza) {
            stanza.toXML().toString();
            of(stream).stanzas.incrementAndGet();
        }

        @Override
        public void onEnded(XmlStream stream, StreamEnd end) {
            Seen record = of(stream);
            record.endings.incrementAndGet();
            record.end = end;
            record.ended.complete(end);
        }
    }
}
