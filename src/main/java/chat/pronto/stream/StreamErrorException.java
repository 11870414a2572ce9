package chat.pronto.stream;

import org.jivesoftware.smack.packet.StreamError;

/** Something the peer sent that ends the stream with a stream error (RFC 6120 §4.9). */
final class StreamErrorException extends Exception {
    private final StreamError.Condition condition;
    private final StreamEnd.Refusal refusal;

    StreamErrorException(StreamError.Condition condition, String text) {
        this(condition, text, StreamEnd.Refusal.NONE);
    }

    /** We refuse the peer for what it is (it does not encrypt), not for something it sent. */
    StreamErrorException(StreamError.Condition condition, String text, StreamEnd.Refusal refusal) {
        super(text);
        this.condition = condition;
        this.refusal = refusal;
    }

    StreamErrorException(StreamError.Condition condition, String text, Throwable cause) {
        super(text, cause);
        this.condition = condition;
        this.refusal = StreamEnd.Refusal.NONE;
    }

    StreamEnd.Refusal refusal() {
        return refusal;
    }

    StreamError.Condition condition() {
        return condition;
    }
}
