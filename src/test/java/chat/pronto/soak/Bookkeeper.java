package chat.pronto.soak;

import java.util.List;
import java.util.Map;

/**
 * Hears everything both sides' processes say and files it: messages to the ledger of their way
 * (a→b or b→a), and what matters for reading the result to the time line.
 */
final class Bookkeeper implements SoakSide.Listener {
    private final Map<String, DirectionLedger> ledgerBySender;
    private final CollapsedNotes notes;

    /** {@code ledgerBySender}: each side's name to the ledger of the messages it sends. */
    Bookkeeper(Map<String, DirectionLedger> ledgerBySender, Timeline timeline) {
        this.ledgerBySender = Map.copyOf(ledgerBySender);
        this.notes = new CollapsedNotes(timeline);
    }

    @Override
    public void printed(SoakSide side, int generation, MachineLine line) {
        boolean aboutPeer = line.field(0).equals(side.peer());
        String who = side.name() + " g" + generation;
        switch (line.keyword()) {
            case "queued" -> {
                if (aboutPeer) {
                    ledgerBySender.get(side.name()).queuedSeen(line.field(1), generation);
                }
            }
            case "state" -> {
                if (aboutPeer) {
                    ledgerBySender.get(side.name()).stateChanged(line.field(1), line.field(2), generation);
                    if (line.field(2).equals("failed")) {
                        notes.repeatable(who, ": a message to " + side.peer() + " FAILED: " + line.field(3), "");
                    }
                }
            }
            case "received" -> {
                if (aboutPeer) {
                    ledgerBySender.get(side.peer()).received();
                }
            }
            case "contact" -> {
                if (aboutPeer) {
                    notes.note(who, " sees " + side.peer() + ": " + line.field(2) + ", link " + line.field(4));
                }
            }
            case "gone" -> {
                if (aboutPeer) {
                    notes.note(who, ": " + side.peer() + " gone");
                }
            }
            case "unreachable" -> notes.repeatable(who, ": " + line.field(0) + " unreachable: " + line.field(1),
                    line.field(2).isEmpty() ? "" : " (again in " + line.field(2) + " ms)");
            case "renamed" -> notes.note(who, " RENAMED itself: " + line.field(0));
            case "notice" -> notes.note(who, " notice: " + line.field(0));
            case "key-changed" -> notes.note(who, ": the key of " + line.field(0) + " changed");
            default -> {
                // traffic, typing, the banner: nothing the count needs
            }
        }
    }

    @Override
    public void answered(SoakSide side, int generation, int sequence, String answer) {
        ledgerBySender.get(side.name()).answered(sequence, answer, generation);
    }

    @Override
    public void ended(SoakSide side, int generation, List<Integer> unanswered, int exitCode, boolean expected) {
        DirectionLedger ledger = ledgerBySender.get(side.name());
        unanswered.forEach(sequence -> ledger.unanswered(sequence, generation));
        notes.note(side.name() + " g" + generation, (expected ? " ended" : " ENDED BY ITSELF") + " (exit " + exitCode
                + ")" + (unanswered.isEmpty() ? "" : "; typed into it and never answered: "
                + SequenceRanges.of(unanswered)));
    }
}
