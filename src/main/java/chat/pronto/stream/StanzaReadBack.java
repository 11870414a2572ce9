package chat.pronto.stream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads a stanza as a Pronto peer's stream would (framer, then the element reader), to know before
 * it is sent that the other side can read it: the debug console's hand-typed stanzas pass here.
 * (A checker of its own once let {@code <ping :x='…'/>} through, which a stream refuses: found by
 * RawStanzaFuzzTest.)
 */
public final class StanzaReadBack {
    private static final String HEADER = "<stream:stream xmlns='" + StreamHeader.CONTENT_NAMESPACE
            + "' xmlns:stream='" + StreamHeader.STREAM_NAMESPACE + "' version='1.0'>";

    private StanzaReadBack() {
    }

    /** Why a stream would not take {@code stanza} (one element, default namespace jabber:client), or empty. */
    public static Optional<String> problem(String stanza) {
        byte[] bytes = (HEADER + stanza.strip()).getBytes(StandardCharsets.UTF_8);
        StreamLimits limits = StreamLimits.DEFAULT;
        XmlFramer framer = new XmlFramer(new ByteArrayInputStream(bytes), limits.maxElementBytes(), limits.maxDepth(),
                null);
        try {
            ElementReader reader = ElementReader.open((Frame.Header) framer.next()).reader();
            if (!(framer.next() instanceof Frame.Element element)) {
                return Optional.of("not one element");
            }
            ElementReader.stanza(reader.element(element));
            return framer.hasUnconsumedInput() ? Optional.of("something follows the stanza") : Optional.empty();
        } catch (StreamErrorException e) {
            return Optional.of(e.condition() + ": " + e.getMessage());
        } catch (UnreadableStanzaException e) {
            return Optional.of(e.getMessage());
        } catch (IOException incomplete) {
            return Optional.of("the stanza does not end");
        }
    }
}
