package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;

/** Two hosts whose link has nothing but IPv6 link-local addresses: what mDNS resolves must be dialable. */
class LinkLocalIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private NetnsLab lab;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.twoHostsLinkLocalOnly();
    }

    @AfterEach
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aPeerResolvedOverIpv6LinkLocalCanBeDialedAtTheAddressItAdvertises() throws Exception {
        ProntoProcess bob = ProntoProcess.start(lab, lab.host(1), PresenceLabMain.class,
                List.of("bob@hostb", lab.host(1).device(), "5298", "Bob", "hostb", "listen"));
        ProntoProcess alice = ProntoProcess.start(lab, lab.host(0), PresenceLabMain.class,
                List.of("alice@hosta", lab.host(0).device(), "5299", "Alice", "hosta", "connect"));

        await().atMost(WAIT).until(() -> alice.output().contains("+ bob@hostb status=AVAILABLE name=Bob port=5298"));
        // The only address bob has is fe80::2 on lab-b; alice must dial it through her own lab-a.
        await().atMost(WAIT).until(() -> alice.lines().stream()
                .anyMatch(line -> line.matches("\\d+ connect bob@hostb fe80:0:0:0:0:0:0:2%\\S+ ok")));
        await().atMost(WAIT).until(() -> bob.output().contains("+ alice@hosta status=AVAILABLE name=Alice port=5299"));
    }
}
