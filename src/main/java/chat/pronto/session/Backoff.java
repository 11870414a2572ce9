package chat.pronto.session;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Waits between attempts to reach a peer: doubling from the first wait up to the longest, ±20 % so peers do not retry in step. */
final class Backoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    synchronized Duration next() {
        Duration now = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        long millis = now.toMillis();
        long jitter = millis / 5;
        return Duration.ofMillis(millis + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1)));
    }

    synchronized void reset() {
        next = first;
    }
}
