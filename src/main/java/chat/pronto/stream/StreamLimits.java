package chat.pronto.stream;

import java.time.Duration;

/**
 * What one peer may send before its stream ends with {@code policy-violation}: elements larger than
 * {@code maxElementBytes} or nested deeper than {@code maxDepth}; stanzas faster than
 * {@code stanzasPerSecond} once a burst of {@code stanzaBurst} is spent (flooding); a stanza that
 * takes longer than {@code stanzaTimeout} to arrive in full (a slow sender holding memory and a thread).
 */
public record StreamLimits(int maxElementBytes, int maxDepth, int stanzasPerSecond, int stanzaBurst,
                           Duration stanzaTimeout) {
    /**
     * The stanza rate is above what a known peer's message quota lets through (the session slows a
     * peer before this ends its stream): a queue of thousands flushed after an outage goes at full
     * speed, only a flood far beyond any client's is cut off.
     */
    public static final StreamLimits DEFAULT =
            new StreamLimits(256 * 1024, 32, 10_000, 100_000, Duration.ofSeconds(30));

    public StreamLimits {
        if (maxElementBytes < 1024 || maxDepth < 3 || stanzasPerSecond < 1 || stanzaBurst < 1) {
            throw new IllegalArgumentException("limits too small to carry a conversation");
        }
    }

    public StreamLimits withRate(int perSecond, int burst) {
        return new StreamLimits(maxElementBytes, maxDepth, perSecond, burst, stanzaTimeout);
    }

    public StreamLimits withStanzaTimeout(Duration value) {
        return new StreamLimits(maxElementBytes, maxDepth, stanzasPerSecond, stanzaBurst, value);
    }
}
