package chat.pronto.session;

import chat.pronto.model.Problem;
import chat.pronto.model.Problem.Kind;
import chat.pronto.stream.StreamEnd;

/** How a stream ended, as a {@link Problem} the front ends can put in words. */
final class Problems {
    private Problems() {
    }

    static Problem of(StreamEnd end) {
        if (end instanceof StreamEnd.ConnectionLost lost) {
            return Problem.of(Kind.CONNECTION_LOST, lost.detail());
        }
        if (end instanceof StreamEnd.ErrorReceived received) {
            return Problem.of(Kind.PEER_ENDED_STREAM, received.condition(), received.text());
        }
        if (end instanceof StreamEnd.ErrorSent sent) {
            return Problem.of(Kind.WE_ENDED_STREAM, sent.condition(), sent.text());
        }
        if (end instanceof StreamEnd.KeyChanged) {
            return Problem.of(Kind.KEY_CHANGED);
        }
        if (end instanceof StreamEnd.TlsFailed tls) {
            return Problem.of(Kind.TLS_FAILED, tls.detail());
        }
        if (end instanceof StreamEnd.Aborted aborted) {
            return Problem.of(Kind.CONNECTION_LOST, aborted.detail());
        }
        return Problem.of(Kind.STREAM_CLOSED);
    }
}
