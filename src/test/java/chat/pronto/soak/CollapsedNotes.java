package chat.pronto.soak;

import java.util.HashMap;
import java.util.Map;

/**
 * Notes for the time line, per side, where a sentence that comes again and again in a row (Pronto
 * says "unreachable" once per attempt, "failed" once per message) is noted once and then only
 * counted; the count goes with the side's next other note.
 */
final class CollapsedNotes {
    private final Timeline timeline;
    private final Map<String, String> lastRepeatable = new HashMap<>();
    private final Map<String, Integer> repeats = new HashMap<>();

    CollapsedNotes(Timeline timeline) {
        this.timeline = timeline;
    }

    /** A note that may come many times in a row: noted the first time, counted after that. */
    synchronized void repeatable(String side, String sentence, String detail) {
        if (sentence.equals(lastRepeatable.get(side))) {
            repeats.merge(side, 1, Integer::sum);
            return;
        }
        String before = countSoFar(side);
        lastRepeatable.put(side, sentence);
        timeline.note(side + sentence + detail + before);
    }

    /** A note that is noted every time. */
    synchronized void note(String side, String sentence) {
        timeline.note(side + sentence + countSoFar(side));
    }

    private String countSoFar(String side) {
        lastRepeatable.remove(side);
        Integer count = repeats.remove(side);
        return count == null ? "" : " [after " + count + " more like the last]";
    }
}
