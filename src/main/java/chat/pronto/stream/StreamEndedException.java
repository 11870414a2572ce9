package chat.pronto.stream;

import java.io.IOException;

/** The stream is over (or never got established); {@link #end()} says why. */
public final class StreamEndedException extends IOException {
    private final transient StreamEnd end;

    StreamEndedException(StreamEnd end) {
        super(end.describe());
        this.end = end;
    }

    public StreamEnd end() {
        return end;
    }
}
