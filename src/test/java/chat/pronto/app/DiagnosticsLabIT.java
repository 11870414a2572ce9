package chat.pronto.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;

/**
 * Issue 15: {@code pronto --diagnose} names the cause in three broken set-ups made in namespaces —
 * no interface that can multicast, a firewall rule that drops mDNS, and an access point that isolates
 * its clients (a bridge that forwards no multicast between its ports) — and says all is well when
 * it is.
 */
class DiagnosticsLabIT {
    private static final Duration RUN = Duration.ofSeconds(60);
    private NetnsLab lab;
    private final List<ProntoProcess> running = new ArrayList<>();

    @AfterEach
    void stopLab() {
        running.forEach(pronto -> NetnsLab.kill(pronto.process()));
        if (lab != null) {
            lab.close();
        }
    }

    private String diagnose(NetnsLab.Host host, String name) throws Exception {
        List<String> command = ProntoProcess.javaCommand(Main.class, List.of("--diagnose", "--diagnose-seconds", "4",
                "--name", name, "--data-dir", host.directory().resolve(name).toString()));
        command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-Xmx128m"));
        String output = lab.run(host, Map.of(), RUN, command);
        assertTrue(output.contains("Pronto network diagnostics"), "it reported:\n" + output);
        return output;
    }

    @Test
    void noInterfaceThatCanMulticast() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.twoHosts();
        NetnsLab.Host a = lab.host(0);
        lab.inHost(a, "ip", "link", "set", a.device(), "multicast", "off");
        String report = diagnose(a, "alice@hosta");
        assertTrue(report.contains("No network interface can find people nearby") && report.contains(
                "lab-a: multicast is off on it"), report);
    }

    @Test
    void aFirewallRuleThatDropsMdns() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.twoHosts();
        NetnsLab.Host a = lab.host(0);
        lab.inHost(a, "nft", "add", "table", "inet", "guard");
        lab.inHost(a, "nft", "add chain inet guard input { type filter hook input priority 0; }");
        lab.inHost(a, "nft", "add", "rule", "inet", "guard", "input", "udp", "dport", "5353", "drop");
        String report = diagnose(a, "alice@hosta");
        assertTrue(report.contains("On lab-a our own announcements never came back"), report);
        assertTrue(report.contains("nftables has a rule that drops mDNS: udp dport 5353 drop"), report);
    }

    @Test
    void anAccessPointThatIsolatesItsClients() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.bridged(1, 1);
        lab.inBridge("nft", "add", "table", "bridge", "isolation");
        lab.inBridge("nft", "add chain bridge isolation forward { type filter hook forward priority 0; }");
        lab.inBridge("nft", "add", "rule", "bridge", "isolation", "forward", "pkttype", "multicast", "drop");
        running.add(console(lab.host(1), "bob@hostb"));
        String report = diagnose(lab.host(0), "alice@hosta");
        assertTrue(report.contains("On lab-a we hear our own announcements but nobody else's"), report);
        assertTrue(report.contains("the access point may isolate clients"), report);
    }

    @Test
    void allIsWellWhenPeersAreSeen() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.bridged(1, 1);
        running.add(console(lab.host(1), "bob@hostb"));
        String report = diagnose(lab.host(0), "alice@hosta");
        assertTrue(report.contains("1 people seen on the network: discovery works."), report);
        assertFalse(report.contains("never came back") || report.contains("nobody else's"), report);
        assertTrue(report.contains("chat port from its own address: answers"), report);
    }

    private ProntoProcess console(NetnsLab.Host host, String name) throws Exception {
        return ProntoProcess.start(lab, host, Main.class, List.of("--console", "--machine", "--name", name,
                "--data-dir", host.directory().resolve(name).toString()), List.of("-XX:TieredStopAtLevel=1",
                "-Xmx128m"));
    }
}
