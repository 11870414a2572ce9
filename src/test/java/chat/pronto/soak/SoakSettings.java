package chat.pronto.soak;

import java.time.Duration;
import java.util.Locale;

/**
 * How big a soak is, all settable with system properties ({@code -Dpronto.soak.messages=10000} …);
 * the defaults are the bounded run that {@code mvn verify} makes.
 *
 * @param messages   messages each way
 * @param faults     faults the chaos loop makes, the kinds taking turns
 * @param seed       seeds every random choice: the faults, their moments, the bursts of typing
 * @param rate       messages per second each way, on average (they are typed in bursts)
 * @param burst      messages per burst, on average
 * @param window     messages typed into one process before it has answered the first of them
 * @param drain      how long the end waits at most for the outboxes to drain
 * @param stall      how long without any message moving the end waits before it gives up draining
 *                   (while nothing is queued: what is left is sent and waits for a receipt); longer
 *                   than the 30 s receipt bound issue 12 proposes, so that a Pronto that resends a
 *                   message in doubt has its chance
 * @param traffic    also log every stream's raw XML in the processes' logs ({@code tail on}), to see
 *                   on the wire what a count points at (more output, so a little slower)
 */
record SoakSettings(int messages, int faults, long seed, double rate, int burst, int window, Duration drain,
                    Duration stall, boolean traffic) {
    /** Its faults include a link cut at one end and then a kill at the other: the case that once left peers unseen. */
    static final long DEFAULT_SEED = 1234L;

    static SoakSettings fromSystemProperties() {
        return new SoakSettings(
                Integer.getInteger("pronto.soak.messages", 1000),
                Integer.getInteger("pronto.soak.faults", 8),
                Long.getLong("pronto.soak.seed", DEFAULT_SEED),
                Double.parseDouble(System.getProperty("pronto.soak.rate", "25")),
                Integer.getInteger("pronto.soak.burst", 10),
                Integer.getInteger("pronto.soak.window", 16),
                Duration.ofSeconds(Long.getLong("pronto.soak.drainSeconds", 90)),
                Duration.ofSeconds(Long.getLong("pronto.soak.stallSeconds", 40)),
                Boolean.getBoolean("pronto.soak.traffic"));
    }

    /** How long typing every message takes at {@link #rate}, if no fault held it up. */
    Duration typingTime() {
        return Duration.ofMillis(Math.round(messages / rate * 1000));
    }

    String describe() {
        return String.format(Locale.ROOT, "seed %d, %d messages each way (about %.0f/s in bursts of about %d), %d faults"
                        + " — again: -Dpronto.soak.seed=%d -Dpronto.soak.messages=%d -Dpronto.soak.faults=%d",
                seed, messages, rate, burst, faults, seed, messages, faults);
    }
}
