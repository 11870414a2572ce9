package chat.pronto.stream;

/** A token bucket: {@code burst} stanzas at once, then {@code perSecond} sustained. One per stream, reader thread only. */
final class StanzaRate {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    StanzaRate(int perSecond, int burst, long now) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Takes one token; false when the peer sends faster than allowed. */
    boolean take(long now) {
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
