package chat.pronto.stream;

/** Well-formed XML that is not a stanza Smack can read (an invalid address, a bad attribute value). */
final class UnreadableStanzaException extends Exception {
    UnreadableStanzaException(String message, Throwable cause) {
        super(message, cause);
    }
}
