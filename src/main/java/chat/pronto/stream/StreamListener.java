package chat.pronto.stream;

import org.jivesoftware.smack.packet.Stanza;

/**
 * What happens on streams. Called on the stream's own reader thread ({@code pronto-stream-…}), in
 * order per stream; implementations hand work elsewhere rather than block it.
 */
public interface StreamListener {
    /** Negotiation finished: stanzas may be sent from now on. */
    default void onEstablished(XmlStream stream, StreamInfo info) {
    }

    /** A stanza arrived, including any that arrive after we sent our {@code </stream:stream>}. */
    default void onStanza(XmlStream stream, Stanza stanza) {
    }

    /** A stanza could not be understood (well-formed XML that Smack cannot read): dropped, the stream goes on. */
    default void onStanzaDropped(XmlStream stream, String reason) {
    }

    /** The stream is over and its socket closed. Called exactly once per stream. */
    default void onEnded(XmlStream stream, StreamEnd end) {
    }
}
