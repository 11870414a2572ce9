package chat.pronto.stream;

import java.io.IOException;

/**
 * A stanza was not queued because too much already waits for a peer that is not reading it: try
 * again a little later. The stream itself goes on (and ends if the peer never reads again).
 */
public final class StreamBusyException extends IOException {
    public StreamBusyException(String peer) {
        super("too much waits to be written to " + peer);
    }
}
