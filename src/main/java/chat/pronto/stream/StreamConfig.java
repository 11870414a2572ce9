package chat.pronto.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How streams behave. The limits guard against hostile peers: an element larger than
 * {@code maxElementBytes} or nested deeper than {@code maxDepth} ends the stream with
 * {@code policy-violation}; a negotiation step that takes longer than {@code negotiationTimeout}
 * (the first one is waiting for the peer's stream header) ends it with {@code connection-timeout}.
 *
 * @param localName our instance name, {@code user@machine}
 * @param maxStreams streams open at once; more are refused with {@code resource-constraint}
 */
public record StreamConfig(String localName, Encryption encryption, int maxElementBytes, int maxDepth,
                           Duration negotiationTimeout, Duration closeTimeout, Duration connectTimeout,
                           int maxStreams) {
    public static final int DEFAULT_MAX_ELEMENT_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_DEPTH = 32;

    public StreamConfig {
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(encryption, "encryption");
        if (maxElementBytes < 1024 || maxDepth < 3 || maxStreams < 1) {
            throw new IllegalArgumentException("limits too small to carry a stanza");
        }
    }

    public static StreamConfig defaults(String localName) {
        return new StreamConfig(localName, Encryption.PREFERRED, DEFAULT_MAX_ELEMENT_BYTES, DEFAULT_MAX_DEPTH,
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), 256);
    }

    public StreamConfig withEncryption(Encryption value) {
        return new StreamConfig(localName, value, maxElementBytes, maxDepth, negotiationTimeout, closeTimeout,
                connectTimeout, maxStreams);
    }

    public StreamConfig withNegotiationTimeout(Duration value) {
        return new StreamConfig(localName, encryption, maxElementBytes, maxDepth, value, closeTimeout,
                connectTimeout, maxStreams);
    }

    public StreamConfig withCloseTimeout(Duration value) {
        return new StreamConfig(localName, encryption, maxElementBytes, maxDepth, negotiationTimeout, value,
                connectTimeout, maxStreams);
    }

    public StreamConfig withMaxStreams(int value) {
        return new StreamConfig(localName, encryption, maxElementBytes, maxDepth, negotiationTimeout,
                closeTimeout, connectTimeout, value);
    }
}
