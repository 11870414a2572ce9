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
 * Two hosts on one lab link that both want to be alice@hosta, each running Pronto on its whole
 * interface as the app does (IPv4, a unique local IPv6 address and a link-local one: three
 * responders) with the host name Pronto makes itself. XEP-0174 §3.1 and RFC 6762 §9: the newcomer
 * renames to alice-1@hosta, everywhere at once; the established owner never renames. Repeated
 * {@code -Dpronto.lab.conflictRuns=N} times (3 in {@code mvn verify}; README gives the command for 20);
 * {@code -Dpronto.lab.conflictIpv4Only=true} runs both on their IPv4 address alone.
 */
class NameConflictIT {
    private static final int RUNS = Integer.getInteger("pronto.lab.conflictRuns", 3);
    private static final boolean IPV4_ONLY = Boolean.getBoolean("pronto.lab.conflictIpv4Only");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeEach
    void needsTheLab() {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
    }

    private static ProntoProcess pronto(NetnsLab lab, int host) throws Exception {
        return ProntoProcess.start(lab, lab.host(host), PresenceLabMain.class,
                List.of("alice@hosta", IPV4_ONLY ? lab.host(host).address() : lab.host(host).device(), "5299", "Alice"));
    }

    @Test
    void theNewcomerRenamesEverywhereAndTheOwnerNever() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            try (NetnsLab lab = NetnsLab.twoHosts()) {
                ProntoProcess owner = pronto(lab, 0);
                await().atMost(WAIT).until(() -> owner.output().contains("announced"));
                ProntoProcess newcomer = pronto(lab, 1);

                // Each sees the other under its own name, over IPv4 and IPv6, and never itself.
                await().atMost(WAIT).until(() -> owner.lines().stream().anyMatch(line -> line.contains(" alice-1@hosta ")
                        && line.contains("/10.77.0.2") && (IPV4_ONLY || line.contains("/fd77:0:0:0:0:0:0:2")))
                        && newcomer.lines().stream().anyMatch(line -> line.contains(" alice@hosta ")
                        && line.contains("/10.77.0.1") && (IPV4_ONLY || line.contains("/fd77:0:0:0:0:0:0:1"))));
                await().atMost(WAIT).until(() -> newcomer.output().contains("announced"));
                String outcome = outcome(run, lab, owner, newcomer);
                try {
                    // and nothing changes afterwards
                    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                            .until(() -> Names.renames(owner) == 0 && Names.renames(newcomer) == 1);
                    outcome = outcome(run, lab, owner, newcomer);
                    if (!outcome.contains("owner [alice@hosta] (renamed 0x), newcomer [alice-1@hosta] (renamed 1x)")
                            || (owner.output() + newcomer.output()).matches("(?s).*@hosta \\(\\d+\\).*")
                            || owner.output().contains("+ alice@hosta ") || newcomer.output().contains("+ alice-1@hosta ")) {
                        wrong.add(outcome);
                    }
                } catch (ConditionTimeoutException e) {
                    wrong.add(outcome(run, lab, owner, newcomer));
                }
                System.out.println(outcome);
            }
        }
        assertEquals(List.of(), wrong, RUNS + " runs");
    }

    private static String outcome(int run, NetnsLab lab, ProntoProcess owner, ProntoProcess newcomer) throws Exception {
        return "run " + run + ": owner " + Names.advertised(owner) + " (renamed " + Names.renames(owner) + "x), newcomer "
                + Names.advertised(newcomer) + " (renamed " + Names.renames(newcomer) + "x) in " + lab;
    }
}
