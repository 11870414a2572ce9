package chat.pronto.session;

/**
 * A token bucket that may go into debt: {@code burst} at once, then {@code perSecond} sustained. What
 * was taken is always taken (a message already read is never refused for its size); the next taker
 * waits until the debt is paid. Not thread-safe: its owner locks.
 */
final class TokenBucket {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, double burst, long now) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Nanoseconds until the bucket is out of debt; 0 when it is not in debt. */
    long waitNanos(long now) {
        refill(now);
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }

    void take(double amount, long now) {
        refill(now);
        tokens -= amount;
    }

    private void refill(long now) {
        if (now - last > 0) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
