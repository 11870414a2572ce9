package chat.pronto.soak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The count of one way's messages at the end, from the two histories (and, for messages that never
 * were stored, from what the typist saw): stored by the sender, received by the receiver, missing,
 * duplicated, out of order, and the states left on the sender.
 *
 * @param sent        the sender's outgoing rows for this way, in history order
 * @param received    the sequence numbers of the receiver's incoming rows for this way, in history order
 * @param typedInto   every typed message and the generation it was typed into
 * @param acknowledged the messages a process answered {@code queued} for
 */
record DirectionCount(String way, String sender, String receiver, List<SentRow> sent, List<Integer> received,
                      Map<Integer, Integer> typedInto, Set<Integer> acknowledged, Map<Integer, String> refused,
                      Map<Integer, Integer> unanswered, int foreignRows) {

    /**
     * One outgoing message as the sender's history holds it; {@code failure}: why it failed, or "";
     * {@code lastMove}: the last state a process printed for it, if it printed one.
     */
    record SentRow(int sequence, String id, String state, Instant storedAt, String failure,
                   Optional<DirectionLedger.Move> lastMove) {
    }

    /** A received message whose number is lower than one received before it. */
    record OutOfOrder(int sequence, int after) {
    }

    Set<Integer> stored() {
        Set<Integer> stored = new TreeSet<>();
        sent.forEach(row -> stored.add(row.sequence()));
        return stored;
    }

    /** Sequence numbers with more than one row on the sender (each is typed once: none expected). */
    Set<Integer> storedTwice() {
        return repeated(sent.stream().map(SentRow::sequence).toList()).keySet();
    }

    /** Typed, but no process stored it: legitimately lost when the process died first; not counted further. */
    Set<Integer> typedNotStored() {
        Set<Integer> lost = new TreeSet<>(typedInto.keySet());
        lost.removeAll(stored());
        return lost;
    }

    /** A process answered {@code queued}, yet its history does not hold it: a broken promise. */
    Set<Integer> acknowledgedNotStored() {
        Set<Integer> broken = new TreeSet<>(acknowledged);
        broken.removeAll(stored());
        return broken;
    }

    Set<Integer> receivedDistinct() {
        return new TreeSet<>(received);
    }

    /** Stored by the sender, never received. */
    Set<Integer> missing() {
        Set<Integer> missing = new TreeSet<>(stored());
        missing.removeAll(receivedDistinct());
        return missing;
    }

    /** Received by the receiver, never stored by the sender (a phantom: none expected). */
    Set<Integer> receivedNotStored() {
        Set<Integer> phantom = new TreeSet<>(receivedDistinct());
        phantom.removeAll(stored());
        return phantom;
    }

    /** Sequence numbers the receiver holds more than once, with how many times. */
    Map<Integer, Integer> duplicated() {
        return repeated(received);
    }

    /** Received after a higher number from the same sender, in the receiver's history order. */
    List<OutOfOrder> outOfOrder() {
        List<OutOfOrder> late = new ArrayList<>();
        int highest = Integer.MIN_VALUE;
        for (int sequence : received) {
            if (sequence < highest) {
                late.add(new OutOfOrder(sequence, highest));
            }
            highest = Math.max(highest, sequence);
        }
        return late;
    }

    /** The sender's states, every one of them shown (QUEUED, SENT, DELIVERED, FAILED). */
    Map<String, Integer> states() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String state : List.of("QUEUED", "SENT", "DELIVERED", "FAILED")) {
            counts.put(state, 0);
        }
        sent.forEach(row -> counts.merge(row.state(), 1, Integer::sum));
        return counts;
    }

    /** The sender's row for each message it stored. */
    Map<Integer, SentRow> sentBySequence() {
        Map<Integer, SentRow> rows = new TreeMap<>();
        sent.forEach(row -> rows.putIfAbsent(row.sequence(), row));
        return rows;
    }

    List<SentRow> notDelivered() {
        return sent.stream().filter(row -> !row.state().equals("DELIVERED")).toList();
    }

    private static Map<Integer, Integer> repeated(List<Integer> sequences) {
        Map<Integer, Integer> counts = new TreeMap<>();
        sequences.forEach(sequence -> counts.merge(sequence, 1, Integer::sum));
        counts.values().removeIf(count -> count < 2);
        return counts;
    }
}
