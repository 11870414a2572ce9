package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import chat.pronto.testing.ChunkedInput;

/**
 * Thousands of damaged streams (seeded, so every run is the same): whatever arrives, the framer and
 * the parser either produce frames and stanzas or say which stream error applies. Nothing else may
 * escape — no index errors, no loops, no stack overflows.
 */
class StreamInputRobustnessTest {
    private static final String VALID = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='a@x' to='b@y' version='1.0'>"
            + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
            + "</stream:features>"
            + "<message type='chat' id='m1' to='b@y'><body>a &lt; b &amp; c &#x263A; é</body>"
            + "<html xmlns='http://www.w3.org/1999/xhtml'><body><p>hi</p></body></html>"
            + "<x xmlns='jabber:x:event'><composing/></x></message>"
            + "<iq type='get' id='q1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"
            + "<presence><show>away</show><status><![CDATA[back <soon>]]></status></presence>"
            + "</stream:stream>";
    private static final byte[] SPECIAL = "<>&'\"/!?];=#x-".getBytes(StandardCharsets.US_ASCII);

    @Test
    void everyDamagedStreamEndsInFramesOrAStreamError() {
        Random random = new Random(20261125);
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int run = 0; run < 5000; run++) {
                byte[] input = mutate(valid, random);
                try {
                    consume(input, 1 + random.nextInt(40));
                } catch (Throwable unexpected) {
                    fail("run " + run + " broke on " + new String(input, StandardCharsets.ISO_8859_1), unexpected);
                }
            }
        });
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] input = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(input.length);
            switch (random.nextInt(4)) {
                case 0 -> input[at] = SPECIAL[random.nextInt(SPECIAL.length)];
                case 1 -> input[at] = (byte) random.nextInt(256);
                case 2 -> input = java.util.Arrays.copyOf(input, Math.max(1, at));
                default -> {
                    int from = random.nextInt(input.length);
                    int length = Math.min(random.nextInt(60), input.length - from);
                    byte[] longer = new byte[input.length + length];
                    System.arraycopy(input, 0, longer, 0, at);
                    System.arraycopy(input, from, longer, at, length);
                    System.arraycopy(input, at, longer, at + length, input.length - at);
                    input = longer;
                }
            }
        }
        return input;
    }

    /** Runs what the reader thread runs, minus the socket. */
    private static void consume(byte[] input, int chunk) throws IOException {
        XmlFramer framer = new XmlFramer(chunked(input, chunk), 4096, 16, null);
        ElementReader reader = null;
        try {
            while (true) {
                Frame frame = framer.next();
                if (frame instanceof Frame.End) {
                    return;
                }
                if (frame instanceof Frame.Header header) {
                    reader = ElementReader.open(header).reader();
                    continue;
                }
                ElementReader.Element element = reader.element((Frame.Element) frame);
                String name = element.name().getLocalPart();
                if (name.equals("message") || name.equals("iq") || name.equals("presence")) {
                    ElementReader.stanza(element);
                    // Smack swallows errors inside extensions; what it delivers must still be well-formed.
                    try {
                        javax.xml.stream.XMLStreamReader check = javax.xml.stream.XMLInputFactory.newDefaultFactory()
                                .createXMLStreamReader(new java.io.StringReader("<r xmlns:stream='s'>"
                                        + new String(frame.bytes(), StandardCharsets.UTF_8) + "</r>"));
                        while (check.hasNext()) {
                            check.next();
                        }
                    } catch (javax.xml.stream.XMLStreamException e) {
                        fail("a malformed stanza was delivered: " + new String(frame.bytes(), StandardCharsets.UTF_8));
                    }
                } else if (name.equals("features")) {
                    ElementReader.features(element);
                }
            }
        } catch (StreamErrorException | UnreadableStanzaException | EOFException expected) {
            // The stream would end with a stream error, drop one stanza, or report a lost connection.
        }
    }

    private static InputStream chunked(byte[] bytes, int chunk) {
        return new ChunkedInput(bytes, chunk);
    }
}
