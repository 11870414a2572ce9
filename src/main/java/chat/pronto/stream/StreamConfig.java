package chat.pronto.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How streams behave.
 *
 * @param localName          our instance name, {@code user@machine}
 * @param limits             what a peer may send (sizes, depth, rate, slowness)
 * @param negotiationTimeout each negotiation step (the first is the peer's stream header) must finish
 *                           within it, or the stream ends with {@code connection-timeout}
 * @param closeTimeout       how long we wait for the peer's {@code </stream:stream>}
 * @param maxStreams         streams open at once; more are refused with {@code resource-constraint}
 */
public record StreamConfig(String localName, Encryption encryption, StreamLimits limits,
                           Duration negotiationTimeout, Duration closeTimeout, Duration connectTimeout,
                           int maxStreams) {
    public StreamConfig {
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(limits, "limits");
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be positive");
        }
    }

    public static StreamConfig defaults(String localName) {
        return new StreamConfig(localName, Encryption.PREFERRED, StreamLimits.DEFAULT, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(5), 256);
    }

    public StreamConfig withEncryption(Encryption value) {
        return new StreamConfig(localName, value, limits, negotiationTimeout, closeTimeout, connectTimeout,
                maxStreams);
    }

    public StreamConfig withLimits(StreamLimits value) {
        return new StreamConfig(localName, encryption, value, negotiationTimeout, closeTimeout, connectTimeout,
                maxStreams);
    }

    public StreamConfig withNegotiationTimeout(Duration value) {
        return new StreamConfig(localName, encryption, limits, value, closeTimeout, connectTimeout, maxStreams);
    }

    public StreamConfig withCloseTimeout(Duration value) {
        return new StreamConfig(localName, encryption, limits, negotiationTimeout, value, connectTimeout,
                maxStreams);
    }

    public StreamConfig withMaxStreams(int value) {
        return new StreamConfig(localName, encryption, limits, negotiationTimeout, closeTimeout, connectTimeout,
                value);
    }
}
