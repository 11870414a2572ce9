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
import chat.pronto.lab.ZeroconfPeer;

/** python-zeroconf and Pronto as two hosts on one lab link. */
class ZeroconfInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private NetnsLab lab;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        assumeTrue(ZeroconfPeer.installed(), "needs python3-zeroconf (.ci/run installs it)");
        lab = NetnsLab.twoHosts();
    }

    @AfterEach
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aPeerThatPublishesNoTxtAtAllAppearsWithTheDefaults() throws Exception {
        ProntoProcess pronto = ProntoProcess.start(lab, lab.host(0), PresenceLabMain.class,
                List.of("alice@hosta", lab.host(0).address(), "5299", "Alice"));
        await().atMost(WAIT).until(() -> pronto.output().contains("announced"));

        ZeroconfPeer.publish(lab, lab.host(1), "bob@hostb", 5563, List.of());

        await().atMost(WAIT).until(() -> pronto.output().contains(
                "+ bob@hostb status=AVAILABLE name=bob@hostb port=5563 addresses=[/10.77.0.2]"));
    }
}
