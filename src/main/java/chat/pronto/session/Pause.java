package chat.pronto.session;

import java.time.Duration;

/**
 * Holds the calling thread back for a while: a stream's reader thread that stops reading for a moment
 * makes TCP hold the peer's next bytes back in the peer's own buffers (backpressure). Tests move a
 * clock instead of waiting.
 */
@FunctionalInterface
interface Pause {
    void pause(Duration time);

    /** Sleeps; an interrupt (shutting down) ends the pause early and stays set. */
    static Pause sleeping() {
        return time -> {
            try {
                Thread.sleep(Math.max(1, time.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
