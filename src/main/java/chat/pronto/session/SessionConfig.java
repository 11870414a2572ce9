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
 * @param quotas        how much one peer may make us store and show
 */
public record SessionConfig(InetAddress bindAddress, int port, Duration idleTimeout, Duration dialTimeout,
                            Duration firstRetry, Duration maxRetry, Duration iqTimeout, int workers, Watch watch,
                            Quotas quotas) {
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

    /**
     * What one peer may make us store and show (issue 16). Nothing a peer sent and we acknowledged is
     * ever dropped: a peer faster than the rates below is slowed (its stream's reader pauses, so TCP
     * holds the rest back in the peer's own buffers) and a stranger over its allowance is refused with
     * a stanza error (the sender knows the message did not arrive), never silently.
     *
     * @param messageBurst      messages a peer may send at full speed (a reconnect flushing a queue of hundreds)
     * @param messagesPerSecond then, sustained; faster, the reader pauses until the peer is within it
     * @param byteBurst         UTF-8 bytes of text a peer may send at full speed
     * @param bytesPerSecond    then, sustained; faster, the reader pauses
     * @param strangerWindow    the window a stranger's allowance counts over (a stranger: a peer the user
     *                          never wrote to, according to the history)
     * @param strangerMessages  messages a stranger may have stored per window
     * @param strangerBytes     UTF-8 bytes of text a stranger may have stored per window; past either, the
     *                          stranger is muted until the window ends: its messages get
     *                          {@code <resource-constraint/>} (type {@code wait}), the user one notice
     *                          ({@code PEER_MUTED}); writing to it ends the mute for good
     * @param eventInterval     at most one typing event and one contact event per peer reach the front ends
     *                          per this interval; what comes faster is merged into the latest, sent at its end
     */
    public record Quotas(int messageBurst, int messagesPerSecond, long byteBurst, long bytesPerSecond,
                         Duration strangerWindow, int strangerMessages, long strangerBytes, Duration eventInterval) {
        public Quotas {
            if (messageBurst < 1 || messagesPerSecond < 1 || byteBurst < 1 || bytesPerSecond < 1
                    || strangerMessages < 1 || strangerBytes < 1) {
                throw new IllegalArgumentException("quotas must be positive");
            }
            if (strangerWindow.isNegative() || strangerWindow.isZero() || eventInterval.isNegative()) {
                throw new IllegalArgumentException(
                        "the stranger window must be positive, the event interval not negative");
            }
        }

        public static Quotas defaults() {
            // A peer flushing tens of thousands of queued messages after an outage goes at full speed
            // (the store takes them in groups); only a flood beyond is slowed (5,000 messages and 8 MiB
            // a second is far more than people type, and far less than what would fill a disk or the
            // window). Strangers have their own, much smaller allowance.
            return new Quotas(50_000, 5_000, 64L << 20, 8L << 20, Duration.ofHours(1), 500, 1L << 20,
                    Duration.ofMillis(100));
        }

        public Quotas withRates(int burst, int perSecond, long bytesBurst, long bytesSecond) {
            return new Quotas(burst, perSecond, bytesBurst, bytesSecond, strangerWindow, strangerMessages,
                    strangerBytes, eventInterval);
        }

        public Quotas withStrangers(Duration window, int messages, long bytes) {
            return new Quotas(messageBurst, messagesPerSecond, byteBurst, bytesPerSecond, window, messages, bytes,
                    eventInterval);
        }
    }

    public SessionConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(quotas, "quotas");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be positive");
        }
    }

    public static SessionConfig defaults() {
        return new SessionConfig(anyAddress(), 0, Duration.ofMinutes(3), Duration.ofSeconds(15),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10), 8, Watch.defaults(),
                Quotas.defaults());
    }

    public SessionConfig withBind(InetAddress address, int newPort) {
        return new SessionConfig(address, newPort, idleTimeout, dialTimeout, firstRetry, maxRetry, iqTimeout,
                workers, watch, quotas);
    }

    public SessionConfig withIdleTimeout(Duration value) {
        return new SessionConfig(bindAddress, port, value, dialTimeout, firstRetry, maxRetry, iqTimeout, workers,
                watch, quotas);
    }

    public SessionConfig withRetries(Duration first, Duration max) {
        return new SessionConfig(bindAddress, port, idleTimeout, dialTimeout, first, max, iqTimeout, workers,
                watch, quotas);
    }

    public SessionConfig withWatch(Watch value) {
        return new SessionConfig(bindAddress, port, idleTimeout, dialTimeout, firstRetry, maxRetry, iqTimeout,
                workers, value, quotas);
    }

    public SessionConfig withQuotas(Quotas value) {
        return new SessionConfig(bindAddress, port, idleTimeout, dialTimeout, firstRetry, maxRetry, iqTimeout,
                workers, watch, value);
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
