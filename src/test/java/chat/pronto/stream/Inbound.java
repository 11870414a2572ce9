package chat.pronto.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jivesoftware.smack.packet.Mechanisms;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StreamError;

import chat.pronto.testing.ChunkedInput;

/**
 * What the stream's reader thread does with incoming bytes, without the socket, the threads or the
 * negotiation's waiting: frames cut by {@link XmlFramer}, read by {@link ElementReader}, stanzas parsed
 * by Smack. A SASL {@code <success/>} restarts the stream on the same framer, as after authentication
 * (RFC 6120 §6.4.6). For fuzz tests and other tests outside this package.
 */
public final class Inbound {
    private static final String SASL = Mechanisms.NAMESPACE;
    private static final XMLInputFactory CHECKER = XMLInputFactory.newDefaultFactory();

    static {
        CHECKER.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        CHECKER.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        CHECKER.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    }

    private Inbound() {
    }

    /**
     * How reading ended: {@code condition} is the stream error we would send (null if none),
     * {@code peerError} the one the peer sent, {@code eof} a connection closed mid-stream, {@code ended}
     * the peer's {@code </stream:stream>}.
     */
    public record Outcome(List<String> frames, List<Stanza> stanzas, List<String> stanzaFrames, int dropped,
                          int restarts, String condition, String peerError, boolean eof, boolean ended) {
        /** Everything but the stanza objects, to compare two readings of the same bytes. */
        public String summary() {
            return "frames=" + frames + " stanzas=" + stanzaFrames + " dropped=" + dropped + " restarts=" + restarts
                    + " condition=" + condition + " peerError=" + peerError + " eof=" + eof + " ended=" + ended;
        }
    }

    /** Reads {@code bytes} as a whole incoming stream, {@code chunk} bytes at a time at most. */
    public static Outcome read(byte[] bytes, int chunk, StreamLimits limits) {
        XmlFramer framer = new XmlFramer(new ChunkedInput(bytes, Math.max(1, chunk)), limits.maxElementBytes(),
                limits.maxDepth(), null);
        List<String> frames = new ArrayList<>();
        List<Stanza> stanzas = new ArrayList<>();
        List<String> stanzaFrames = new ArrayList<>();
        int dropped = 0;
        int restarts = 0;
        ElementReader reader = null;
        try {
            while (true) {
                Frame frame = framer.next();
                if (frame.bytes().length > limits.maxElementBytes() + 1) {
                    throw new AssertionError("a frame of " + frame.bytes().length + " bytes passed a limit of "
                            + limits.maxElementBytes());
                }
                frames.add(frame.getClass().getSimpleName() + ":" + new String(frame.bytes(), StandardCharsets.ISO_8859_1));
                if (frame instanceof Frame.End) {
                    return new Outcome(frames, stanzas, stanzaFrames, dropped, restarts, null, null, false, true);
                }
                if (frame instanceof Frame.Header header) {
                    reader = ElementReader.open(header).reader();
                    continue;
                }
                if (reader == null) {
                    throw new AssertionError("an element frame before any header: " + frames);
                }
                ElementReader.Element element = reader.element((Frame.Element) frame);
                String name = element.name().getLocalPart();
                String namespace = element.name().getNamespaceURI();
                if (StreamHeader.CONTENT_NAMESPACE.equals(namespace)
                        && (name.equals("message") || name.equals("presence") || name.equals("iq"))) {
                    try {
                        Stanza stanza = ElementReader.stanza(element);
                        String xml = new String(frame.bytes(), StandardCharsets.UTF_8);
                        requireWellFormed(xml);
                        stanza.toXML().toString(); // what the console and the logs print
                        stanzas.add(stanza);
                        stanzaFrames.add(xml);
                    } catch (UnreadableStanzaException e) {
                        dropped++;
                    }
                } else if (element.is(StreamHeader.STREAM_NAMESPACE, "features")) {
                    ElementReader.features(element);
                } else if (element.is(StreamHeader.STREAM_NAMESPACE, "error")) {
                    StreamError error = ElementReader.streamError(element);
                    return new Outcome(frames, stanzas, stanzaFrames, dropped, restarts, null,
                            String.valueOf(error.getCondition()), false, false);
                } else if (element.is(SASL, "auth")) {
                    ElementReader.attribute(element, "mechanism");
                    ElementReader.text(element);
                } else if (element.is(SASL, "success")) {
                    framer.restart();
                    reader = null;
                    restarts++;
                } else {
                    return new Outcome(frames, stanzas, stanzaFrames, dropped, restarts, "unsupported-stanza-type",
                            null, false, false);
                }
            }
        } catch (StreamErrorException e) {
            if (e.condition() == null) {
                throw new AssertionError("a stream error without a condition: " + e.getMessage(), e);
            }
            return new Outcome(frames, stanzas, stanzaFrames, dropped, restarts, e.condition().toString(), null,
                    false, false);
        } catch (EOFException e) {
            return new Outcome(frames, stanzas, stanzaFrames, dropped, restarts, null, null, true, false);
        } catch (IOException e) {
            throw new AssertionError("an in-memory read cannot fail", e);
        }
    }

    /** The bytes of a delivered stanza must be well-formed XML on their own (tags, characters, references). */
    static void requireWellFormed(String xml) {
        try {
            XMLStreamReader check = CHECKER.createXMLStreamReader(new StringReader("<r>" + xml + "</r>"));
            while (check.hasNext()) {
                check.next();
            }
        } catch (XMLStreamException e) {
            throw new AssertionError("a stanza that is not well-formed was delivered: " + xml, e);
        }
    }
}
