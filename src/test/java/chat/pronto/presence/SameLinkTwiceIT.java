package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.Names;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;

/**
 * A host with two interfaces on one LAN (wired and Wi-Fi): here two veths from one namespace into
 * the same bridge, each with IPv4, a unique local and a link-local IPv6 address, so six responders
 * that all hear one another. They are one host: none of them may take another's records for a
 * stranger's and rename it.
 */
class SameLinkTwiceIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private NetnsLab lab;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.bridged(2, 1);
    }

    @AfterEach
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aHostOnOneLinkThroughTwoInterfacesKeepsItsNameAndIsSeenOnce() throws Exception {
        NetnsLab.Host a = lab.host(0);
        ProntoProcess alice = ProntoProcess.start(lab, a, PresenceLabMain.class,
                List.of("alice@hosta", a.legs().get(0).device() + "," + a.legs().get(1).device(), "5299", "Alice"));
        ProntoProcess bob = ProntoProcess.start(lab, lab.host(1), PresenceLabMain.class,
                List.of("bob@hostb", lab.host(1).device(), "5298", "Bob"));

        await().atMost(WAIT).until(() -> alice.output().contains("announced") && bob.output().contains("+ alice@hosta ")
                && alice.output().contains("+ bob@hostb "));
        // Both legs' addresses reach bob, as one peer.
        await().atMost(WAIT).until(() -> bob.lines().stream().anyMatch(line -> line.contains(" alice@hosta ")
                && line.contains("/10.77.0.1") && line.contains("/10.77.0.101")));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> Names.renames(alice) == 0);

        assertEquals(List.of("alice@hosta"), Names.advertised(alice), lab.toString());
        assertFalse(bob.output().contains("alice-1@hosta"), bob.output());
        assertFalse(alice.output().contains("+ alice"), "alice never sees herself: " + alice.output());
    }
}
