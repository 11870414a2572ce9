package chat.pronto.session;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import chat.pronto.history.History;
import chat.pronto.presence.PresenceService;

/**
 * What every peer's session shares: the history, who is on the network, how to dial, where events
 * go, a scheduler, the configuration, and the threads its work runs on.
 *
 * @param workers the shared pool the peers' lanes borrow threads from
 * @param store   stores changes in groups, in the order they were made, and acts on each after its commit
 * @param ticker  the time in nanoseconds, for measuring how long (System::nanoTime; tests move it by hand)
 * @param pause   holds a reader thread back while its peer sends faster than its quota (tests move the ticker instead)
 */
record SessionContext(SessionConfig config, History history, PresenceService presence, Dialer dialer,
                      SessionEvents events, Scheduler scheduler, Executor workers, GroupCommit store,
                      LongSupplier ticker, Pause pause) {
    SessionContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(dialer, "dialer");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(pause, "pause");
    }
}
