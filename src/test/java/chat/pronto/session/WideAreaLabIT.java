package chat.pronto.session;

import static org.awaitility.Awaitility.await;
import static chat.pronto.lab.MachineOutput.isContact;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.app.Main;
import chat.pronto.lab.MachineOutput;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;

/**
 * Issue 15: wide-area DNS-SD with a real DNS server. BIND 9 runs on the router between two subnets
 * (no multicast crosses it) and serves {@code lab.test}, which offers {@code chat.lab.test} for
 * browsing ({@code b._dns-sd._udp}) and takes updates signed with a TSIG key. Two Pronto processes,
 * one per subnet, register there with DNS UPDATE, find each other by browsing, and chat encrypted;
 * one that quits withdraws its records and the other sees it go. Told no domain and no server, they
 * find the browsing domain the network offers (the search domain's, and the subnet's reverse domain's).
 */
class WideAreaLabIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private NetnsLab lab;
    private final List<ProntoProcess> running = new ArrayList<>();
    private Process named;
    private Path key;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/named")), "needs BIND 9 (Debian's bind9; CI installs it)");
        lab = NetnsLab.routed();
        NetnsLab.Host router = lab.host(2);
        Path dir = router.directory();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String base64 = Base64.getEncoder().encodeToString(secret);
        Files.writeString(dir.resolve("lab.test.zone"), """
                $TTL 60
                @ IN SOA ns.lab.test. admin.lab.test. 1 60 60 600 60
                @ IN NS ns.lab.test.
                ns IN A 10.78.1.1
                b._dns-sd._udp IN PTR chat.lab.test.
                lb._dns-sd._udp IN PTR chat.lab.test.
                """);
        Files.writeString(dir.resolve("named.conf"), """
                options {
                    directory "%1$s";
                    pid-file "%1$s/named.pid";
                    managed-keys-directory "%1$s";
                    listen-on { 10.78.1.1; 10.78.2.1; };
                    listen-on-v6 { none; };
                    recursion no;
                    dnssec-validation no;
                    notify no;
                };
                key "pronto-lab" { algorithm hmac-sha256; secret "%2$s"; };
                zone "lab.test" { type primary; file "%1$s/lab.test.zone"; allow-update { key "pronto-lab"; }; };
                zone "2.78.10.in-addr.arpa" { type primary; file "%1$s/reverse.zone"; };
                """.formatted(dir, base64));
        // RFC 6763 §11: the subnet 10.78.2.0/24 offers chat.lab.test for browsing.
        Files.writeString(dir.resolve("reverse.zone"), """
                $TTL 60
                @ IN SOA ns.lab.test. admin.lab.test. 1 60 60 600 60
                @ IN NS ns.lab.test.
                b._dns-sd._udp.0 IN PTR chat.lab.test.
                """);
        key = Files.writeString(lab.host(0).directory().resolve("tsig.key"), "pronto-lab:hmac-sha256:" + base64 + "\n");
        named = lab.start(router, "named.log", Map.of(), List.of("/usr/sbin/named", "-g", "-4", "-c",
                dir.resolve("named.conf").toString()));
        await().atMost(WAIT).until(() -> Files.readString(dir.resolve("named.log")).contains("running"));
    }

    /** What {@code ip netns exec} puts over /etc/resolv.conf in {@code host}'s namespace. */
    private void resolverOf(NetnsLab.Host host, String conf) throws IOException {
        Path folder = Files.createDirectories(Path.of("/etc/netns", host.namespace()));
        resolvers.add(folder);
        Files.writeString(folder.resolve("resolv.conf"), conf);
    }

    private final List<Path> resolvers = new ArrayList<>();

    @AfterEach
    void stopLab() throws IOException {
        for (Path folder : resolvers) {
            Files.deleteIfExists(folder.resolve("resolv.conf"));
            Files.deleteIfExists(folder);
        }
        running.forEach(pronto -> NetnsLab.kill(pronto.process()));
        if (named != null) {
            NetnsLab.kill(named);
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void twoSubnetsFindEachOtherThroughTheDnsServerAndChat() throws Exception {
        ProntoProcess alice = pronto(0, "alice@hosta", "10.78.1.1");
        ProntoProcess bob = pronto(1, "bob@hostb", "10.78.2.1");
        awaitLine(alice, "bob through DNS", line -> isContact(line, "bob@hostb") && line[7].equals("discovered"));
        awaitLine(bob, "alice through DNS", line -> isContact(line, "alice@hosta") && line[7].equals("discovered"));

        alice.tell("msg bob@hostb hello through wide-area DNS-SD");
        String[] queued = awaitLine(alice, "queued", line -> line[0].equals("queued"));
        awaitLine(bob, "received", line -> line[0].equals("received")
                && line[4].equals("hello through wide-area DNS-SD"));
        awaitLine(alice, "delivered", line -> line[0].equals("state") && line[2].equals(queued[2])
                && line[3].equals("delivered"));
        awaitLine(alice, "bob encrypted", line -> isContact(line, "bob@hostb") && line[5].equals("ENCRYPTED"));

        bob.tell("status away out to lunch");
        awaitLine(alice, "bob's new status from his TXT record", line -> isContact(line, "bob@hostb")
                && line[3].equals("away") && line[4].equals("out to lunch"));

        alice.tell("quit");
        assertTrue(alice.process().waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        awaitLine(bob, "alice gone (her records withdrawn)", line -> line[0].equals("gone")
                && line[1].equals("alice@hosta"));
    }

    @Test
    void theDomainsTheNetworkOffersAreFoundWithoutNamingThem() throws Exception {
        // Alice's network hands out the search domain lab.test; Bob's only a server, whose subnet's
        // reverse-mapping domain offers the browsing domain. Neither is told a domain or a server.
        resolverOf(lab.host(0), "nameserver 10.78.1.1\nsearch lab.test\n");
        resolverOf(lab.host(1), "nameserver 10.78.2.1\n");
        ProntoProcess alice = pronto(0, "alice@hosta", List.of("--dns-sd-ask-network"));
        ProntoProcess bob = pronto(1, "bob@hostb", List.of("--dns-sd-ask-network"));
        awaitLine(alice, "bob through the search domain", line -> isContact(line, "bob@hostb")
                && line[7].equals("discovered"));
        awaitLine(bob, "alice through the subnet's reverse domain", line -> isContact(line, "alice@hosta")
                && line[7].equals("discovered"));
    }

    private ProntoProcess pronto(int host, String name, String dns) throws IOException {
        return pronto(host, name, List.of("--dns-sd-domain", "lab.test", "--dns-server", dns));
    }

    private ProntoProcess pronto(int host, String name, List<String> where) throws IOException {
        NetnsLab.Host in = lab.host(host);
        List<String> args = new ArrayList<>(List.of("--console", "--machine", "--name", name, "--interface",
                in.address(), "--data-dir", in.directory().resolve("pronto").toString(), "--dns-sd-register",
                "chat.lab.test", "--tsig-key-file", key.toString(), "--nick", name.substring(0, name.indexOf('@'))));
        args.addAll(where);
        ProntoProcess pronto = ProntoProcess.start(lab, in, Main.class, args,
                List.of("-XX:TieredStopAtLevel=1", "-Xmx128m", "-Dpronto.wideArea.everySeconds=1"));
        running.add(pronto);
        return pronto;
    }


    private String[] awaitLine(ProntoProcess pronto, String what, Predicate<String[]> wanted) throws IOException {
        return MachineOutput.awaitLine(pronto, WAIT, what, wanted, lab);
    }

}
