package chat.pronto.stream;

import java.io.IOException;
import java.util.Optional;

import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StreamError.Condition;

/**
 * What the session layer needs of a stream with a peer, and all it needs: who we are on it, how it
 * was opened and secured, whether it is open, and sending, closing or failing it. {@link XmlStream}
 * is the real one; tests use fakes.
 */
public interface StanzaStream {
    /** A number that tells this stream apart from others in logs and in the console. */
    long id();

    /** Whether we dialed it ({@link Role#INITIATOR}) or the peer did. */
    Role role();

    /** The peer's instance name, once known. */
    Optional<String> peer();

    /** The name we go by on this stream. */
    String localName();

    /** Present once negotiated. */
    Optional<StreamInfo> info();

    /** Established and not closing: stanzas may be sent. */
    boolean isOpen();

    /** Writes one stanza; throws when the stream is not open or the write fails (the stream then ends). */
    void send(Stanza stanza) throws IOException;

    /**
     * On the stream's reader thread, while it hands over a stanza: whether more of the peer's bytes
     * have arrived already (a burst), so that work for this stanza may wait to be grouped with the
     * next ones rather than be done at once.
     */
    default boolean moreReceived() {
        return false;
    }

    /** Ends the stream politely with {@code </stream:stream>}. */
    void close();

    /** Ends the stream with a stream error because of something the peer did. */
    void fail(Condition condition, String text);
}
