package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jivesoftware.smack.packet.Stanza;

import com.code_intelligence.jazzer.junit.FuzzTest;

import chat.pronto.stream.Inbound;
import chat.pronto.stream.StreamLimits;

/**
 * Fuzz target: text typed (or pasted) into a debug console, checked by {@link RawStanza} before it is
 * sent. The checker gives a problem (with a line and column that are never negative) or a stanza,
 * and never throws anything else; {@code isIncomplete} never throws. A stanza it accepts is written
 * as XML that a peer reads as one stanza, without ending the stream. Seeds and findings:
 * {@code src/test/resources/chat/pronto/session/RawStanzaFuzzTestInputs/typed/}.
 */
class RawStanzaFuzzTest {
    private static final String HEADER = "<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='alice@hosta' to='bob@hostb'>";
    private static final StreamLimits LIMITS = new StreamLimits(256 * 1024, 32, 1000, 5000, Duration.ofSeconds(30));

    @FuzzTest(maxDuration = "10s")
    void typed(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        RawStanza.isIncomplete(text);
        Stanza stanza;
        try {
            stanza = RawStanza.parse(text);
        } catch (RawStanza.Invalid invalid) {
            assertTrue(invalid.line() >= 0 && invalid.column() >= 0, invalid.getMessage());
            return;
        }
        String xml = stanza.toXML().toString();
        Inbound.Outcome read = Inbound.read((HEADER + xml + "</stream:stream>").getBytes(StandardCharsets.UTF_8),
                Integer.MAX_VALUE, LIMITS);
        assertTrue(read.ended() && read.condition() == null, "a peer would not read what we send for " + text
                + ": " + xml + " → " + read.summary());
        assertEquals(1, read.stanzas().size() + read.dropped(), read.summary());
    }
}
