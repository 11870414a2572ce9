package chat.pronto.presence;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * What Pronto does when another host asserts or probes for the name it has or wants
 * (RFC 6762 §8–9, XEP-0174 §3.1: the newcomer renames, the established owner does not):
 *
 * <ul>
 * <li>an answer while we probe: the name is taken, rename ({@code user-1@machine});</li>
 * <li>an answer while we announce (we may both be new, having missed each other's probes): probe
 *     again, and the probes decide;</li>
 * <li>an answer while we own the name: defend it, by announcing our records again, so that the
 *     newcomer sees them and renames;</li>
 * <li>a probe for our name while we probe: the tie-break of §8.2; the loser waits a second and
 *     probes again, when the winner already owns the name.</li>
 * </ul>
 * A host that ignores all this must not keep us busy for ever: after two defences within ten seconds
 * we probe again (two owners that met on a newly joined link), and after three probes again we give
 * the name up. The same packet reaches several responders at once, so one event counts once.
 */
final class ClaimRules {
    /** Where our record for the name stands on the responder that heard the other host. */
    enum State { PROBING, ANNOUNCING, ANNOUNCED }

    enum Reaction { RENAME, REPROBE, DEFER, DEFEND, IGNORE }

    static final int MAX_DEFENCES = 2;
    static final int MAX_REPROBES = 3;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Copies of one packet on several sockets arrive within this. */
    private static final long SAME_EVENT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Deque<Long> defences = new ArrayDeque<>();
    private final Deque<Long> reprobes = new ArrayDeque<>();
    private Reaction lastReaction = Reaction.IGNORE;
    private long lastAt = Long.MIN_VALUE / 2;

    /** Another host's record for our name, in a response. */
    synchronized Reaction onAnswer(State state, long now) {
        Reaction reaction = switch (state) {
            case PROBING -> Reaction.RENAME;
            case ANNOUNCING -> reprobeOrGiveUp(now);
            case ANNOUNCED -> recent(defences, now) < MAX_DEFENCES ? Reaction.DEFEND : reprobeOrGiveUp(now);
        };
        return counted(reaction, now);
    }

    /** Another host's probe for our name; {@code outcome} is the §8.2 tie-break from our side. */
    synchronized Reaction onProbe(State state, TieBreak.Outcome outcome, long now) {
        if (state != State.PROBING || outcome != TieBreak.Outcome.LOST) {
            return Reaction.IGNORE; // the winner keeps probing; an owner answers the probe (JmDNS does)
        }
        return counted(Reaction.DEFER, now);
    }

    /** A new name starts with a clean slate. */
    synchronized void renamed() {
        defences.clear();
        reprobes.clear();
        lastReaction = Reaction.IGNORE;
    }

    private Reaction reprobeOrGiveUp(long now) {
        return recent(reprobes, now) < MAX_REPROBES ? Reaction.REPROBE : Reaction.RENAME;
    }

    private Reaction counted(Reaction reaction, long now) {
        if (reaction == lastReaction && now - lastAt < SAME_EVENT_NANOS) {
            return Reaction.IGNORE;
        }
        lastReaction = reaction;
        lastAt = now;
        switch (reaction) {
            case DEFEND -> defences.addLast(now);
            case REPROBE, DEFER -> reprobes.addLast(now);
            default -> {
            }
        }
        return reaction;
    }

    private static int recent(Deque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() > WINDOW_NANOS) {
            times.removeFirst();
        }
        return times.size();
    }
}
