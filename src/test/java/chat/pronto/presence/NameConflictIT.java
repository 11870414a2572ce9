package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;

/** Two hosts on one lab link that both want to be alice@hosta (XEP-0174 §3.1: the newcomer renames). */
class NameConflictIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private NetnsLab lab;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.twoHosts();
    }

    @AfterEach
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private ProntoProcess pronto(int host, String name) throws Exception {
        return ProntoProcess.start(lab, lab.host(host), PresenceLabMain.class,
                List.of(name, lab.host(host).address(), "5299", "Alice", "labhost" + host));
    }

    @Test
    void theNewcomerRenamesItselfUserDash1AndBothAreSeen() throws Exception {
        ProntoProcess owner = pronto(0, "alice@hosta");
        await().atMost(WAIT).until(() -> owner.output().contains("announced"));

        ProntoProcess newcomer = pronto(1, "alice@hosta");

        await().atMost(WAIT).until(() -> newcomer.output().contains("renamed alice-1@hosta"));
        await().atMost(WAIT).until(() -> owner.output().contains("+ alice-1@hosta "));
        await().atMost(WAIT).until(() -> newcomer.output().contains("+ alice@hosta "));
        assertFalse(owner.output().contains("renamed"), owner.output());
        assertFalse((owner.output() + newcomer.output()).matches("(?s).*@hosta \\(\\d+\\).*"),
                "no DNS-SD style 'name (2)' is ever used");
    }
}
