package chat.pronto.stream;

import org.jivesoftware.smack.packet.Stanza;

/**
 * Well-formed XML that is not a stanza Smack can read (an invalid address, a bad attribute value),
 * with the error to answer it with when it was a request that must be answered, or null.
 */
final class UnreadableStanzaException extends Exception {
    private final transient Stanza answer;

    UnreadableStanzaException(String message, Throwable cause) {
        this(message, cause, null);
    }

    UnreadableStanzaException(String message, Throwable cause, Stanza answer) {
        super(message, cause);
        this.answer = answer;
    }

    /** The error that answers the stanza (RFC 6120 §8.2.3: every get and set gets an answer), or null. */
    Stanza answer() {
        return answer;
    }
}
