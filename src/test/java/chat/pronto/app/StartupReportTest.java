package chat.pronto.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import chat.pronto.ui.StartupMoments;

/** The start-up report's moments line, as {@code StartupBenchmark} reads it. */
class StartupReportTest {
    @Test
    void theMomentsLineNamesEachMomentWithTheClockReadWhenItPassed() {
        long before = System.currentTimeMillis();
        StartupMoments.note("test-moment-one");
        StartupMoments.note("test-moment-two");
        long after = System.currentTimeMillis();

        String line = StartupReport.moments();

        assertTrue(line.startsWith("startup\tmoments\t"), line);
        List<String> fields = Arrays.asList(line.split("\t"));
        int one = index(fields, "test-moment-one=");
        int two = index(fields, "test-moment-two=");
        assertTrue(one >= 2 && two == one + 1, "in the order they passed: " + line);
        for (int at : List.of(one, two)) {
            long clock = Long.parseLong(fields.get(at).substring(fields.get(at).indexOf('=') + 1));
            assertTrue(clock >= before && clock <= after, "the clock when it passed: " + fields.get(at));
        }
        assertEquals(fields.size() - 2, StartupMoments.all().size(), "every moment noted, nothing else: " + line);
    }

    private static int index(List<String> fields, String start) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }
}
