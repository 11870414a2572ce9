package chat.pronto.session;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import chat.pronto.threads.Threads;

/** The session layer's threads, made together and stopped together, with bounded waits. */
final class SessionThreads {
    /** Connects in progress at once; each is bounded by the connect timeout, negotiation holds no thread. */
    private static final int DIALING_THREADS = 4;
    /** How long stopping waits for each pool's work in flight. */
    private static final Duration FINISH_WITHIN = Duration.ofSeconds(2);

    /** The peers' lanes borrow these ({@code pronto-session-N}). */
    final ExecutorService workers;
    /** Retries, grace periods, the idle watch. */
    final ScheduledExecutorService timer;
    /** The one thread that tells the front ends, in order. */
    final ExecutorService events;
    /** The one thread that stores (in groups, see {@link GroupCommit}), in the order changes were made. */
    final GroupCommit store;
    /** Dials block (TCP connect): on their own small pool, never on the workers. */
    final ExecutorService dialers;

    SessionThreads(int workerThreads, chat.pronto.history.History history) {
        workers = Threads.pool("pronto-session", workerThreads);
        timer = Threads.timer("pronto-session-timer");
        events = Threads.single("pronto-session-events");
        store = GroupCommit.threaded(history, "pronto-session-store");
        dialers = Threads.pool("pronto-session-dial", DIALING_THREADS);
    }

    /** Stops everything: timers and dials at once, then stored messages, lanes and events finish first. */
    void stop() {
        timer.shutdownNow();
        dialers.shutdownNow();
        Threads.shutdown(dialers, FINISH_WITHIN);
        store.stop(FINISH_WITHIN);
        Threads.shutdown(workers, FINISH_WITHIN);
        Threads.shutdown(events, FINISH_WITHIN);
    }
}
