package chat.pronto.soak;

import java.util.Collection;
import java.util.StringJoiner;
import java.util.TreeSet;

/** Message numbers written short: {@code #000401–#000420, #000455}. */
final class SequenceRanges {
    private SequenceRanges() {
    }

    static String of(Collection<Integer> sequences) {
        if (sequences.isEmpty()) {
            return "none";
        }
        StringJoiner ranges = new StringJoiner(", ");
        Integer first = null;
        Integer last = null;
        for (int sequence : new TreeSet<>(sequences)) {
            if (last != null && sequence == last + 1) {
                last = sequence;
                continue;
            }
            if (first != null) {
                ranges.add(range(first, last));
            }
            first = sequence;
            last = sequence;
        }
        ranges.add(range(first, last));
        return ranges.toString();
    }

    private static String range(int first, int last) {
        return first == last ? "#%06d".formatted(first) : "#%06d–#%06d".formatted(first, last);
    }
}
