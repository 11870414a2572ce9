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
 * @param workers       threads for the peers' lanes, shared by all peers
 * @param watch         when a stream that looks open is checked for a peer that fell silent
 */
public record SessionConfig(InetAddress bindAddress, int port, Duration idleTimeout, Duration dialTimeout,
                            Duration firstRetry, Duration maxRetry, Duration iqTimeout, int workers, Watch watch) {
    /**
     * How a silent peer is noticed (a cut cable sends no FIN): worst case {@code keepalive} +
     * {@code pingTimeout} + two check periods.
     *
     * @param keepalive      a stream we heard nothing on for this long gets an XEP-0199 ping
     * @param pingTimeout    a ping not answered within this ends the stream ({@code connection-timeout})
     * @param receiptTimeout a message not acknowledged within this makes us ping; when the peer answers,
     *                       the message is sent again (the peer drops a duplicate)
     */
    public record Watch(Duration keepalive, Duration pingTimeout, Duration receiptTimeout) {
        public Watch {
            for (Duration time : new Duration[] {keepalive, pingTimeout, receiptTimeout}) {
                if (time.isNegative() || time.isZero()) {
                    throw new IllegalArgumentException("the watch's times must be positive");
                }
            }
        }

        public static Watch defaults() {
            return new Watch(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30));
        }

        /** How often streams are looked at: often enough that a check adds little to the detection time. */
        Duration checkEvery() {
            Duration shortest = keepalive.compareTo(pingTimeout) < 0 ? keepalive : pingTimeout;
            shortest = shortest.compareTo(receiptTimeout) < 0 ? shortest : receiptTimeout;
            Duration quarter = shortest.dividedBy(4);
            return quarter.toMillis() < 20 ? Duration.ofMillis(20) : quarter;
        }
    }

    public SessionConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(watch, "watch");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be positive");
        }
    }

    public static SessionConfig defaults() {
        return new SessionConfig(anyAddress(), 0, Duration.ofMinutes(3), Duration.ofSeconds(15),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10), 8, Watch.defaults());
    }

    public SessionConfig withBind(InetAddress address, int newPort) {
        return new SessionConfig(address, newPort, idleTimeout, dialTimeout, firstRetry, maxRetry, iqTimeout,
                workers, watch);
    }

    public SessionConfig withIdleTimeout(Duration value) {
        return new SessionConfig(bindAddress, port, value, dialTimeout, firstRetry, maxRetry, iqTimeout, workers,
                watch);
    }

    public SessionConfig withRetries(Duration first, Duration max) {
        return new SessionConfig(bindAddress, port, idleTimeout, dialTimeout, first, max, iqTimeout, workers, watch);
    }

    public SessionConfig withWatch(Watch value) {
        return new SessionConfig(bindAddress, port, idleTimeout, dialTimeout, firstRetry, maxRetry, iqTimeout,
                workers, value);
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
