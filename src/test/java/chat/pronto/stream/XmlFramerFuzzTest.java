package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;


import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target: raw bytes from the network through {@link XmlFramer} and {@link ElementReader} (via
 * {@link Inbound}): a plain stream, and one restarted after SASL on the same framer. Whatever
 * arrives ends in frames and stanzas, the peer's end or error, a lost connection, or one of the
 * stream errors the framer and reader document — never another exception, never a frame over the
 * size limit; and any chunking of the same bytes reads the same (the framer's promise).
 *
 * <p>The first byte chooses the case: its low two bits the prefix (0: none, the bytes are the whole
 * stream; 1: a valid header; 2: a header and {@code <success/>}, so the bytes start a restarted stream;
 * 3: the same and the new header), the other six the chunk size (1–64 bytes per read). Seeds and
 * findings: {@code src/test/resources/chat/pronto/stream/XmlFramerFuzzTestInputs/incomingBytes/}.
 */
class XmlFramerFuzzTest {
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='mallory@hostm' to='carol@hostc' version='1.0'>";
    static final String SUCCESS = "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";
    /** Small limits, so that the fuzzer reaches them with small inputs. */
    static final StreamLimits LIMITS = new StreamLimits(2048, 8, 1000, 5000, Duration.ofSeconds(30));
    /** Every condition the framer and the reader may end a stream with. */
    static final Set<String> DOCUMENTED = Set.of("not-well-formed", "restricted-xml", "policy-violation",
            "bad-format", "unsupported-encoding", "invalid-namespace", "unsupported-stanza-type");

    @FuzzTest(maxDuration = "10s")
    void incomingBytes(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int mode = data[0] & 3;
        int chunk = 1 + ((data[0] & 0xff) >> 2);
        byte[] stream = withPrefix(mode, Arrays.copyOfRange(data, 1, data.length));

        Inbound.Outcome chunked = Inbound.read(stream, chunk, LIMITS);
        Inbound.Outcome whole = Inbound.read(stream, Integer.MAX_VALUE, LIMITS);

        assertEquals(whole.summary(), chunked.summary(), "read " + chunk + " bytes at a time, the same bytes read"
                + " otherwise");
        if (chunked.condition() != null) {
            assertTrue(DOCUMENTED.contains(chunked.condition()), "an undocumented condition: " + chunked.condition());
        }
    }

    static byte[] withPrefix(int mode, byte[] rest) {
        String prefix = switch (mode) {
            case 0 -> "";
            case 1 -> HEADER;
            case 2 -> HEADER + SUCCESS;
            default -> HEADER + SUCCESS + HEADER;
        };
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        stream.writeBytes(rest);
        return stream.toByteArray();
    }
}
