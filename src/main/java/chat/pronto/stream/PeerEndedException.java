package chat.pronto.stream;

/** The peer ended the stream: with a stream error, or with a TLS or SASL refusal. */
final class PeerEndedException extends Exception {
    private final transient StreamEnd end;

    PeerEndedException(StreamEnd end) {
        super(end.describe());
        this.end = end;
    }

    StreamEnd end() {
        return end;
    }
}
