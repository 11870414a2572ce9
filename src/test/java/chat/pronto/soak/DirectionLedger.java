package chat.pronto.soak;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the processes said, while the soak ran, about one way's messages: which were typed into which
 * generation, answered {@code queued} (and under which stanza id), refused, or left unanswered by a
 * process that ended; and the last delivery state printed for each. The final count trusts only the
 * histories; this is what the end waits on, and what explains a message that never was stored.
 */
final class DirectionLedger {
    /** The last state a process printed for a message: which, by which generation, when. */
    record Move(String state, int generation, Instant at) {
    }

    private final String way;
    private final Map<Integer, Integer> typedInto = new HashMap<>();
    private final Map<Integer, String> refused = new TreeMap<>();
    private final Map<Integer, Integer> unanswered = new TreeMap<>();
    private final Map<Integer, String> acknowledged = new HashMap<>();
    private final Map<String, Move> lastMove = new HashMap<>();
    private long lastMoveNanos = System.nanoTime();

    DirectionLedger(String way) {
        this.way = way;
    }

    String way() {
        return way;
    }

    synchronized void typed(int sequence, int generation) {
        typedInto.put(sequence, generation);
    }

    /** The console's answer to a typed message: {@code queued PEER ID} (it is stored), or why it was not. */
    synchronized void answered(int sequence, String answer, int generation) {
        if (!answer.startsWith("queued ")) {
            refused.put(sequence, answer);
            return;
        }
        String id = answer.substring(answer.lastIndexOf(' ') + 1);
        acknowledged.put(sequence, id);
        queuedSeen(id, generation);
    }

    /** Typed into generation {@code generation}, which ended before it answered. */
    synchronized void unanswered(int sequence, int generation) {
        unanswered.put(sequence, generation);
    }

    /** The sender printed the {@code queued} event of message {@code id}: it is stored. */
    synchronized void queuedSeen(String id, int generation) {
        lastMove.putIfAbsent(id, new Move("queued", generation, Instant.now()));
        moved();
    }

    /** The sender printed a new state for {@code id} (it may be a message stored by an earlier generation). */
    synchronized void stateChanged(String id, String state, int generation) {
        lastMove.put(id, new Move(state, generation, Instant.now()));
        moved();
    }

    /** The receiver printed {@code received} for one of this way's messages. */
    synchronized void received() {
        moved();
    }

    synchronized int typedCount() {
        return typedInto.size();
    }

    synchronized Set<Integer> acknowledged() {
        return Set.copyOf(acknowledged.keySet());
    }

    synchronized Map<Integer, Integer> typedInto() {
        return Map.copyOf(typedInto);
    }

    synchronized Map<Integer, String> refused() {
        return Map.copyOf(refused);
    }

    synchronized Map<Integer, Integer> unanswered() {
        return Map.copyOf(unanswered);
    }

    /** Every message the sender said it stored, and every one it moved on since, is delivered. */
    synchronized boolean allDelivered() {
        return lastMove.values().stream().allMatch(move -> move.state().equals("delivered"));
    }

    /** The last state printed for message {@code id}, if any process printed one. */
    synchronized Optional<Move> lastMoveOf(String id) {
        return Optional.ofNullable(lastMove.get(id));
    }

    /** How many known messages are in each state other than delivered, e.g. {@code {sent=48}}. */
    synchronized Map<String, Integer> undelivered() {
        Map<String, Integer> counts = new TreeMap<>();
        lastMove.values().stream().map(Move::state).filter(state -> !state.equals("delivered"))
                .forEach(state -> counts.merge(state, 1, Integer::sum));
        return counts;
    }

    synchronized Duration sinceLastMove() {
        return Duration.ofNanos(System.nanoTime() - lastMoveNanos);
    }

    private void moved() {
        lastMoveNanos = System.nanoTime();
    }
}
