package chat.pronto.session;

import java.time.Duration;

/** Runs something later (retries, grace periods). A fake one lets tests move time by hand. */
interface Scheduler {
    /** A task waiting to run. */
    interface Scheduled {
        /** Stops it if it has not run yet. */
        void cancel();
    }

    /** Runs {@code task} after {@code delay}; while shutting down nothing runs and the handle does nothing. */
    Scheduled schedule(Duration delay, Runnable task);
}
