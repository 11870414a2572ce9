package chat.pronto.stream;

import java.time.Instant;

/**
 * One chunk of raw XML as it crossed a stream (inside TLS: after decryption, before encryption).
 *
 * @param peer      the peer's instance name, or its address while the header is not in yet
 * @param encrypted whether this chunk travelled inside TLS
 */
public record Traffic(long streamId, String peer, Direction direction, Instant at, String xml, boolean encrypted) {
    public enum Direction {
        IN, OUT
    }
}
