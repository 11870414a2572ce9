package chat.pronto.stream;

import org.jivesoftware.smack.packet.StreamError;

/** Something the peer sent that ends the stream with a stream error (RFC 6120 §4.9). */
final class StreamErrorException extends Exception {
    private final StreamError.Condition condition;

    StreamErrorException(StreamError.Condition condition, String text) {
        super(text);
        this.condition = condition;
    }

    StreamErrorException(StreamError.Condition condition, String text, Throwable cause) {
        super(text, cause);
        this.condition = condition;
    }

    StreamError.Condition condition() {
        return condition;
    }
}
