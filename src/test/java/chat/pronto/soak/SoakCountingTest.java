package chat.pronto.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The soak's own arithmetic, without processes: what it reads, how it counts, how it plans. */
class SoakCountingTest {
    private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aMessageTextReadsBackAsItsWayAndNumber() {
        assertEquals("a->b #000123", new MessageText("a->b", 123).text());
        assertEquals(Optional.of(new MessageText("b->a", 7)), MessageText.read("b->a #000007"));
        assertEquals(Optional.empty(), MessageText.read("hello"));
    }

    @Test
    void aMachineLineIsSplitAtTabsAndItsFieldsUnescaped() {
        MachineLine line = MachineLine.read("received\tbob@hostb\tid-1\t2026\ttab\\there\\nnew line \\\\ back");
        assertEquals("received", line.keyword());
        assertEquals("tab\there\nnew line \\ back", line.field(3));
        assertEquals("", line.field(9));
        assertEquals("Pronto is listening as a@b on port 1", MachineLine.read("Pronto is listening as a@b on port 1").keyword());
    }

    @Test
    void sequenceNumbersAreWrittenAsRanges() {
        assertEquals("#000001–#000003, #000007, #000009–#000010", SequenceRanges.of(List.of(9, 2, 1, 3, 7, 10)));
        assertEquals("none", SequenceRanges.of(List.of()));
    }

    @Test
    void theCountFindsMissingDuplicatedOutOfOrderAndUndelivered() {
        List<DirectionCount.SentRow> sent = List.of(row(1, "DELIVERED"), row(2, "DELIVERED"), row(3, "SENT"),
                row(4, "DELIVERED"), row(5, "QUEUED"));
        List<Integer> received = List.of(1, 4, 2, 2, 9);
        DirectionCount count = new DirectionCount("a->b", "alice@hosta", "bob@hostb", sent, received,
                Map.of(1, 1, 2, 1, 3, 1, 4, 2, 5, 2, 6, 2), Set.of(1, 2, 3, 4, 5, 7), Map.of(), Map.of(6, 2), 0);

        assertEquals(Set.of(3, 5), count.missing());
        assertEquals(Map.of(2, 2), count.duplicated());
        assertEquals(List.of(new DirectionCount.OutOfOrder(2, 4), new DirectionCount.OutOfOrder(2, 4)), count.outOfOrder());
        assertEquals(Set.of(6), count.typedNotStored());
        assertEquals(Set.of(7), count.acknowledgedNotStored());
        assertEquals(Set.of(9), count.receivedNotStored());
        assertEquals(Map.of("QUEUED", 1, "SENT", 1, "DELIVERED", 3, "FAILED", 0), count.states());
        assertEquals(List.of(3, 5), count.notDelivered().stream().map(DirectionCount.SentRow::sequence).toList());
    }

    @Test
    void theSameSeedPlansTheSameFaultsAndAFewFaultsHoldEveryKind() {
        SoakSettings settings = new SoakSettings(1000, 8, 42, 25, 10, 16, Duration.ofSeconds(60), Duration.ofSeconds(10),
                false);
        List<FaultPlan.Fault> plan = FaultPlan.make(settings, new Random(42));

        assertEquals(plan, FaultPlan.make(settings, new Random(42)));
        for (FaultPlan.Kind kind : FaultPlan.Kind.values()) {
            assertEquals(2, plan.stream().filter(fault -> fault.kind() == kind).count(), kind.name());
        }
        for (int i = 1; i < plan.size(); i++) {
            assertEquals(true, plan.get(i - 1).at().compareTo(plan.get(i).at()) <= 0, "moments in order");
        }
    }

    private static DirectionCount.SentRow row(int sequence, String state) {
        return new DirectionCount.SentRow(sequence, "id-" + sequence, state, T.plusSeconds(sequence), "",
                Optional.empty());
    }
}
