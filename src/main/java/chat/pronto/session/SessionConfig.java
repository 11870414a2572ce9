package chat.pronto.session;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How sessions behave.
 *
 * @param bindAddress   where the stream listener listens (all addresses by default)
 * @param port          the listener's port, 0 for any free one (it is advertised either way)
 * @param idleTimeout   a stream with no stanza either way for this long is closed cleanly; the next message reopens one
 * @param dialTimeout   connecting and negotiating one address of a peer may take this long
 * @param firstRetry    the first retry of a peer that could not be reached; doubles up to {@code maxRetry}
 * @param iqTimeout     how long we wait for an answer to our own IQs (legacy peers never answer)
 * @param workers       threads for dialing and writing, shared by all peers
 */
public record SessionConfig(InetAddress bindAddress, int port, Duration idleTimeout, Duration dialTimeout,
                            Duration firstRetry, Duration maxRetry, Duration iqTimeout, int workers) {
    public SessionConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be positive");
        }
    }

    public static SessionConfig defaults() {
        return new SessionConfig(anyAddress(), 0, Duration.ofMinutes(3), Duration.ofSeconds(15),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10), 8);
    }

    public SessionConfig withBind(InetAddress address, int newPort) {
        return new SessionConfig(address, newPort, idleTimeout, dialTimeout, firstRetry, maxRetry, iqTimeout,
                workers);
    }

    public SessionConfig withIdleTimeout(Duration value) {
        return new SessionConfig(bindAddress, port, value, dialTimeout, firstRetry, maxRetry, iqTimeout, workers);
    }

    public SessionConfig withRetries(Duration first, Duration max) {
        return new SessionConfig(bindAddress, port, idleTimeout, dialTimeout, first, max, iqTimeout, workers);
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
