package chat.pronto.soak;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import chat.pronto.lab.NetnsLab;

/**
 * The soak (issue 12, item 4): two Pronto processes in two lab namespaces send numbered messages
 * both ways while a seeded chaos loop kills either with {@code kill -9} and restarts it, takes the
 * link down and up, and restarts both; then both histories are counted. Nothing stored may be
 * missing, duplicated or out of order, and every stored message must end DELIVERED.
 *
 * <p>The bounded run is this test's default; the long run is the same test with system properties
 * (README, Soak). See {@link SoakSettings}.
 */
class SoakIT {
    private NetnsLab lab;

    @BeforeEach
    void makeTheLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.twoHosts();
    }

    @AfterEach
    void removeTheLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void noStoredMessageIsLostDuplicatedOrReorderedThroughKillsLinkCutsAndRestarts() throws Exception {
        SoakRun.Result result = new SoakRun(lab, SoakSettings.fromSystemProperties(), System.out).run();

        String see = " (the report above, also in " + result.reportFile() + ")";
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(List.of(), result.harnessProblems(), "the harness could do its part" + see));
        for (DirectionCount count : result.counts()) {
            String way = count.way() + ": ";
            checks.add(() -> assertTrue(count.stored().size() > 0, way + "something was stored" + see));
            checks.add(() -> assertEquals(0, count.missing().size(), way + "stored but never received: "
                    + SequenceRanges.of(count.missing()) + see));
            checks.add(() -> assertEquals(0, count.duplicated().size(), way + "received more than once: "
                    + SequenceRanges.of(count.duplicated().keySet()) + see));
            checks.add(() -> assertEquals(0, count.outOfOrder().size(), way + "received after a higher number: "
                    + SequenceRanges.of(count.outOfOrder().stream().map(DirectionCount.OutOfOrder::sequence).toList())
                    + see));
            checks.add(() -> assertEquals(0, count.notDelivered().size(), way + "not DELIVERED at the end: "
                    + count.states() + ", " + SequenceRanges.of(count.notDelivered().stream()
                    .map(DirectionCount.SentRow::sequence).toList()) + see));
            checks.add(() -> assertEquals(0, count.receivedNotStored().size(), way + "received but never stored by "
                    + count.sender() + ": " + SequenceRanges.of(count.receivedNotStored()) + see));
            checks.add(() -> assertEquals(0, count.acknowledgedNotStored().size(), way + "answered queued but not in "
                    + count.sender() + "'s history: " + SequenceRanges.of(count.acknowledgedNotStored()) + see));
        }
        assertAll("soak, " + String.join("; ", result.counts().stream().map(SoakReport::summary).toList()), checks);
    }
}
