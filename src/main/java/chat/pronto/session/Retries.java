package chat.pronto.session;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;

/**
 * When to try a peer again, and telling the user why it did not work and when the next attempt is:
 * 1 s, 2 s, 4 s… up to the longest wait (±20 %) while the peer is on the network but does not
 * answer; no timer at all while it is not on the network (its return is the signal). Lane only.
 */
final class Retries {
    private final PeerId peer;
    private final SessionContext context;
    private final Executor lane;
    private final Runnable attempt;
    private final Backoff backoff;
    private Scheduler.Scheduled next;

    /** @param attempt what to run (in the lane) when the wait is over */
    Retries(PeerId peer, SessionContext context, Executor lane, Runnable attempt) {
        this.peer = peer;
        this.context = context;
        this.lane = lane;
        this.attempt = attempt;
        this.backoff = new Backoff(context.config().firstRetry(), context.config().maxRetry());
    }

    /** Tries again after the next wait of the backoff. */
    void later(Problem why) {
        later(why, backoff.next());
    }

    /** Tries again after {@code wait}; a peer that has left the network is waited for instead. */
    void later(Problem why, Duration wait) {
        cancel();
        if (context.presence().peer(peer).isEmpty()) {
            context.events().emit(new ChatEvent.Unreachable(peer, why, Optional.empty()));
            return;
        }
        context.events().emit(new ChatEvent.Unreachable(peer, why, Optional.of(wait)));
        next = context.scheduler().schedule(wait, () -> lane.execute(attempt));
    }

    /** The peer is not on the network: nothing is scheduled, its return will flush the queue. */
    void waitForPeer() {
        context.events().emit(new ChatEvent.Unreachable(peer, Problem.of(Problem.Kind.NOT_ON_NETWORK),
                Optional.empty()));
    }

    /** An attempt is being made now. */
    void cancel() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    /** It worked, or the peer showed up again: the next wait starts from the shortest. */
    void reset() {
        backoff.reset();
    }
}
