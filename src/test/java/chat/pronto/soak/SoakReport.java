package chat.pronto.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The soak's result in words: the settings (and how to run it again), the time line of faults, and
 * per way the counts, with every missing or undelivered message by number, by the state it was left
 * in, and by the first fault after it was stored.
 */
final class SoakReport {
    private SoakReport() {
    }

    static String of(SoakSettings settings, Timeline timeline, List<DirectionCount> counts, String drain,
                     List<String> harnessProblems, String took, String logs) {
        StringBuilder report = new StringBuilder();
        report.append("SOAK ").append(settings.describe()).append('\n');
        report.append("took ").append(took).append("; logs in ").append(logs).append('\n');
        report.append("time line:\n");
        timeline.entries().forEach(entry -> report.append("  ").append(entry).append('\n'));
        report.append("drain: ").append(drain).append('\n');
        harnessProblems.forEach(problem -> report.append("HARNESS: ").append(problem).append('\n'));
        for (DirectionCount count : counts) {
            report.append(direction(count, timeline));
        }
        report.append("summary:\n");
        counts.forEach(count -> report.append("  ").append(summary(count)).append('\n'));
        return report.toString();
    }

    static String summary(DirectionCount count) {
        return "%s: stored %d, received %d, missing %d, duplicated %d, out of order %d, states %s".formatted(
                count.way(), count.stored().size(), count.receivedDistinct().size(), count.missing().size(),
                count.duplicated().size(), count.outOfOrder().size(), count.states());
    }

    private static String direction(DirectionCount count, Timeline timeline) {
        StringBuilder text = new StringBuilder();
        text.append(count.way()).append(" (").append(count.sender()).append(" → ").append(count.receiver()).append(")\n");
        text.append("  typed ").append(count.typedInto().size()).append(", answered queued ")
                .append(count.acknowledged().size()).append(", stored by ").append(count.sender()).append(' ')
                .append(count.stored().size()).append('\n');
        Set<Integer> notStored = count.typedNotStored();
        text.append("  typed but never stored (excluded from the counts below): ").append(notStored.size()).append('\n');
        whyNotStored(count, notStored).forEach((why, sequences) -> text.append("    ").append(why).append(": ")
                .append(sequences.size()).append(" — ").append(SequenceRanges.of(sequences)).append('\n'));
        text.append("  received by ").append(count.receiver()).append(" (distinct): ")
                .append(count.receivedDistinct().size()).append('\n');
        text.append("  missing (stored, never received): ").append(count.missing().size()).append(" — ")
                .append(SequenceRanges.of(count.missing())).append('\n');
        text.append("  duplicated (received more than once): ").append(count.duplicated().size())
                .append(count.duplicated().isEmpty() ? "" : " — " + count.duplicated().entrySet().stream().limit(50)
                        .map(entry -> "#%06d×%d".formatted(entry.getKey(), entry.getValue()))
                        .collect(Collectors.joining(", "))).append('\n');
        text.append("  out of order (received after a higher number): ").append(count.outOfOrder().size())
                .append(count.outOfOrder().isEmpty() ? "" : " — " + count.outOfOrder().stream().limit(30)
                        .map(late -> "#%06d after #%06d".formatted(late.sequence(), late.after()))
                        .collect(Collectors.joining(", ")) + (count.outOfOrder().size() > 30 ? ", …" : ""))
                .append('\n');
        if (!count.outOfOrder().isEmpty()) {
            Map<Integer, DirectionCount.SentRow> rows = count.sentBySequence();
            Map<String, List<Integer>> spans = new LinkedHashMap<>();
            count.outOfOrder().forEach(late -> spans.computeIfAbsent(rows.containsKey(late.sequence())
                    ? "stored " + timeline.spanOf(rows.get(late.sequence()).storedAt()) : "never stored",
                    key -> new ArrayList<>()).add(late.sequence()));
            spans.forEach((span, sequences) -> text.append("    ").append(span).append(": ").append(sequences.size())
                    .append(" — ").append(SequenceRanges.of(sequences)).append('\n'));
        }
        text.append("  received but never stored by the sender: ").append(count.receivedNotStored().size())
                .append(count.receivedNotStored().isEmpty() ? "" : " — " + SequenceRanges.of(count.receivedNotStored()))
                .append('\n');
        text.append("  answered queued but not in the sender's history: ").append(count.acknowledgedNotStored().size())
                .append(count.acknowledgedNotStored().isEmpty() ? "" : " — "
                        + SequenceRanges.of(count.acknowledgedNotStored())).append('\n');
        if (!count.storedTwice().isEmpty()) {
            text.append("  stored twice by the sender: ").append(SequenceRanges.of(count.storedTwice())).append('\n');
        }
        if (count.foreignRows() > 0) {
            text.append("  rows that are no soak message of this way: ").append(count.foreignRows()).append('\n');
        }
        text.append("  states left on ").append(count.sender()).append(": ").append(count.states()).append('\n');
        List<DirectionCount.SentRow> notDelivered = count.notDelivered();
        if (!notDelivered.isEmpty()) {
            text.append("  not DELIVERED, by state (and why it failed), whether ").append(count.receiver())
                    .append(" has it, and the last state a process printed for it, by whom and when:\n");
            Set<Integer> received = count.receivedDistinct();
            Map<String, List<Integer>> groups = new LinkedHashMap<>();
            for (DirectionCount.SentRow row : notDelivered) {
                String group = row.state() + (row.failure().isEmpty() ? "" : " (" + row.failure() + ")") + ", "
                        + (received.contains(row.sequence()) ? "received" : "never received") + ", "
                        + row.lastMove().map(move -> "last printed " + move.state() + " by " + count.sender() + " g"
                                + move.generation() + " " + timeline.spanOf(move.at()))
                        .orElse("stored " + timeline.spanOf(row.storedAt()) + ", no state printed");
                groups.computeIfAbsent(group, key -> new ArrayList<>()).add(row.sequence());
            }
            groups.forEach((group, sequences) -> text.append("    ").append(group).append(": ").append(sequences.size())
                    .append(" — ").append(SequenceRanges.of(sequences)).append('\n'));
        }
        return text.toString();
    }

    private static Map<String, Set<Integer>> whyNotStored(DirectionCount count, Set<Integer> notStored) {
        Map<String, Set<Integer>> why = new LinkedHashMap<>();
        for (int sequence : notStored) {
            String reason;
            if (count.unanswered().containsKey(sequence)) {
                reason = "typed into " + count.sender() + " g" + count.unanswered().get(sequence)
                        + ", which ended before it answered";
            } else if (count.refused().containsKey(sequence)) {
                reason = "refused: " + count.refused().get(sequence);
            } else if (count.acknowledged().contains(sequence)) {
                reason = "answered queued, yet not in the history";
            } else {
                reason = "no answer seen";
            }
            why.computeIfAbsent(reason, key -> new TreeSet<>()).add(sequence);
        }
        return why;
    }
}
