package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.Names;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;

/**
 * Two hosts that start as alice@hosta at the same instant (RFC 6762 §8.2): neither finds an owner,
 * both probe at once, and the tie-break of their proposed records makes exactly one of them rename.
 * Repeated {@code -Dpronto.lab.simultaneousRuns=N} times (3 in {@code mvn verify}; README gives the
 * command for 20).
 */
class SimultaneousStartIT {
    private static final int RUNS = Integer.getInteger("pronto.lab.simultaneousRuns", 3);
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Time for both JVMs to come up before the agreed instant. */
    private static final long BOOT_MS = 2500;

    @BeforeEach
    void needsTheLab() {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
    }

    @Test
    void exactlyOneOfTwoSimultaneousStartersRenames() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            try (NetnsLab lab = NetnsLab.twoHosts()) {
                long startAt = System.currentTimeMillis() + BOOT_MS;
                List<ProntoProcess> both = new ArrayList<>();
                for (int host = 0; host < 2; host++) {
                    both.add(ProntoProcess.start(lab, lab.host(host), PresenceLabMain.class,
                            List.of("alice@hosta", lab.host(host).device(), "5299", "Alice", "start-at=" + startAt)));
                }
                ProntoProcess a = both.get(0);
                ProntoProcess b = both.get(1);
                await().atMost(WAIT).until(() -> a.output().contains("announced") && b.output().contains("announced"));
                await().atMost(WAIT).until(() -> a.output().contains("+ alice") && b.output().contains("+ alice"));
                try {
                    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                            .until(() -> Names.renames(a) + Names.renames(b) == 1); // and nothing changes afterwards
                } catch (ConditionTimeoutException e) {
                    // told below
                }
                List<String> namesOfA = Names.advertised(a);
                List<String> namesOfB = Names.advertised(b);
                String outcome = "run " + run + ": " + namesOfA + " (renamed " + Names.renames(a) + "x) and " + namesOfB
                        + " (renamed " + Names.renames(b) + "x) in " + lab;
                System.out.println(outcome);
                boolean oneEach = namesOfA.size() == 1 && namesOfB.size() == 1;
                boolean exactlyOneRenamed = Names.renames(a) + Names.renames(b) == 1;
                List<String> names = oneEach ? List.of(namesOfA.get(0), namesOfB.get(0)) : List.of();
                if (!exactlyOneRenamed || !names.contains("alice@hosta") || !names.contains("alice-1@hosta")) {
                    wrong.add(outcome);
                }
            }
        }
        assertEquals(List.of(), wrong, RUNS + " runs");
    }
}
