package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.Avahi;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;

/** Avahi, the Linux mDNS responder, and Pronto as separate hosts on one lab link (real mDNS, no real network). */
class AvahiInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private NetnsLab lab;
    private Avahi avahi;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        assumeTrue(Avahi.installed(), "needs avahi-daemon, avahi-utils and dbus (.ci/run installs them)");
        lab = NetnsLab.twoHosts();
        avahi = Avahi.start(lab, lab.host(1), "hostb");
    }

    @AfterEach
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private ProntoProcess pronto(String name, String nick) throws Exception {
        return pronto(name, nick, 5299);
    }

    private ProntoProcess pronto(String name, String nick, int port) throws Exception {
        return ProntoProcess.start(lab, lab.host(0), PresenceLabMain.class,
                List.of(name, lab.host(0).address(), Integer.toString(port), nick));
    }

    @Test
    void avahiSeesProntosRecordWithEveryKeyAndThePortTwice() throws Exception {
        pronto("alice@hosta", "Alice");

        await().atMost(WAIT).until(() -> avahi.browse().stream()
                .anyMatch(line -> line.contains(";IPv4;alice\\064hosta;")));
        String line = avahi.browse().stream().filter(found -> found.contains(";IPv4;alice\\064hosta;")).findFirst()
                .orElseThrow();
        // =;iface;IPv4;name;type;domain;host;address;port;"txt" "txt"…
        String[] fields = line.split(";", 10);
        assertTrue(fields[7].equals("10.77.0.1") && fields[8].equals("5299"), line);
        for (String key : List.of("\"txtvers=1\"", "\"port.p2pj=5299\"", "\"status=avail\"", "\"nick=Alice\"")) {
            assertTrue(fields[9].contains(key), key + " missing in " + line);
        }
    }

    @Test
    void avahiAndProntoSeeEachOtherOverIpv6() throws Exception {
        ProntoProcess pronto = ProntoProcess.start(lab, lab.host(0), PresenceLabMain.class,
                List.of("alice@hosta", lab.host(0).address6(), "5299", "Alice"));
        avahi.publish("bob@hostb", 5562, List.of("txtvers=1", "port.p2pj=5562", "status=avail", "nick=Bob"));

        await().atMost(WAIT).until(() -> avahi.browse().stream()
                .anyMatch(line -> line.contains(";IPv6;alice\\064hosta;") && line.contains(";fd77::1;5299;")
                        && line.contains("\"txtvers=1\"")));
        await().atMost(WAIT).until(() -> pronto.output().contains("+ bob@hostb status=AVAILABLE name=Bob port=5562"));
    }

    @Test
    void prontoSeesAvahisRecordAndItsGoodbye() throws Exception {
        ProntoProcess pronto = pronto("alice@hosta", "Alice");
        Process published = avahi.publish("bob@hostb", 5562,
                List.of("txtvers=1", "port.p2pj=5562", "status=dnd", "1st=Bob", "last=Builder"));

        await().atMost(WAIT).until(() -> pronto.output().contains(
                "+ bob@hostb status=DO_NOT_DISTURB name=Bob Builder port=5562"));

        NetnsLab.kill(published);
        await().atMost(WAIT).until(() -> pronto.output().contains("- bob@hostb"));
    }

    @Test
    void aPeerWhoseTxtRecordIsEmptyAppearsWithTheDefaults() throws Exception {
        ProntoProcess pronto = pronto("alice@hosta", "Alice");
        avahi.publish("bob@hostb", 5562, List.of()); // avahi then publishes the empty TXT record (one zero byte)

        await().atMost(WAIT).until(() -> pronto.output().contains(
                "+ bob@hostb status=AVAILABLE name=bob@hostb port=5562"));
    }

    @Test
    void aCrashLeavesNothingThatBlocksTheNextStart() throws Exception {
        ProntoProcess crashed = pronto("alice@hosta", "Alice", 5299);
        await().atMost(WAIT).until(() -> avahi.browse().stream().anyMatch(line -> line.contains("alice\\064hosta")));
        crashed.process().destroyForcibly().waitFor(); // kill -9: no goodbye

        ProntoProcess restarted = pronto("alice@hosta", "Alice", 5301);

        await().atMost(WAIT).until(() -> avahi.browse().stream().anyMatch(line -> line.contains("alice\\064hosta")
                && line.contains(";5301;")));
        assertTrue(!restarted.output().contains("renamed"), restarted.output());
    }

    @Test
    void avahiSeesProntosStatusChangeAndGoodbye() throws Exception {
        ProntoProcess pronto = pronto("alice@hosta", "Alice");
        await().atMost(WAIT).until(() -> avahi.browse().stream().anyMatch(line -> line.contains("alice\\064hosta")));

        pronto.tell("status away back soon");
        await().atMost(WAIT).until(() -> avahi.browse().stream().anyMatch(line -> line.contains("alice\\064hosta")
                && line.contains("\"status=away\"") && line.contains("\"msg=back soon\"")));

        pronto.tell("quit");
        await().atMost(WAIT).until(() -> avahi.browse().stream().noneMatch(line -> line.contains("alice\\064hosta")));
    }
}
