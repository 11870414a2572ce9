package chat.pronto.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happened when, on the soak's clock: every fault (numbered, when it began and how it went) and
 * what the processes said that matters for reading the result (a peer lost and seen again, a process
 * that ended by itself, a rename). Printed as it goes, and kept for the report.
 */
final class Timeline {
    /** A fault as it began: the count points at the first fault after a message was stored. */
    record Fault(int number, String what, Duration at, Instant wall) {
        String describe() {
            return "fault #" + number + " at " + SoakClock.format(at) + ": " + what;
        }
    }

    private final SoakClock clock;
    private final PrintStream live;
    private final List<String> entries = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();

    Timeline(SoakClock clock, PrintStream live) {
        this.clock = clock;
        this.live = live;
    }

    synchronized Fault faultBegins(String what) {
        Fault fault = new Fault(faults.size() + 1, what, clock.elapsed(), Instant.now());
        faults.add(fault);
        add("fault #" + fault.number() + ": " + what);
        return fault;
    }

    synchronized void note(String what) {
        add("  " + what);
    }

    synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    /** The first fault that began at or after {@code stored}, if any. */
    synchronized Optional<Fault> firstFaultAfter(Instant stored) {
        return faults.stream().filter(fault -> !fault.wall().isBefore(stored)).findFirst();
    }

    /** Where {@code stored} falls among the faults: "after fault #2, before fault #3 at +…: kill -9 …". */
    synchronized String spanOf(Instant stored) {
        Optional<Fault> next = firstFaultAfter(stored);
        int before = next.map(Fault::number).orElse(faults.size() + 1) - 1;
        String after = before == 0 ? "before any fault" : "after fault #" + before;
        return next.map(fault -> after + (before == 0 ? ", the first being " : ", before ") + fault.describe())
                .orElse(after + " (the last)");
    }

    private void add(String text) {
        String entry = clock.now() + "  " + text;
        entries.add(entry);
        live.println("[soak] " + entry);
    }
}
