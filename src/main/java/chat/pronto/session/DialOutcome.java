package chat.pronto.session;

import chat.pronto.model.Problem;
import chat.pronto.stream.StanzaStream;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamInfo;

/** How a dial ended. */
sealed interface DialOutcome {
    /** A negotiated stream, ready for stanzas. */
    record Connected(StanzaStream stream, StreamInfo info) implements DialOutcome {
    }

    /**
     * Refused in a way another try cannot change: the peer presented another key than the pinned
     * one, or we ended the stream because of what the peer is (it cannot encrypt and we require it).
     */
    record Refused(StreamEnd end) implements DialOutcome {
    }

    /** No address gave a stream; trying again later may help. */
    record Failed(Problem problem) implements DialOutcome {
    }
}
