package chat.pronto.session;

import static chat.pronto.lab.MachineOutput.fields;
import static chat.pronto.lab.MachineOutput.isContact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.app.Main;
import chat.pronto.lab.MachineOutput;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;

/**
 * Issue 15's lab: two Pronto processes on two subnets joined by a router that forwards no multicast,
 * so mDNS shows each nothing of the other. Added by address — and, from a fresh start, by the other's
 * invite link — they chat over TLS; the saved peer comes back after both restart. Every contact line
 * of the other says {@code by-address}: mDNS never showed it.
 */
class ReachLabIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final List<String> APP_JVM = List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1");
    private NetnsLab lab;
    private final List<ProntoProcess> running = new ArrayList<>();

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.routed();
    }

    @AfterEach
    void stopLab() {
        running.forEach(pronto -> NetnsLab.kill(pronto.process()));
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void addedByAddressAcrossARouterTheyChatEncryptedAndFindEachOtherAgainAfterBothRestart() throws Exception {
        ProntoProcess alice = pronto(0, "alice@hosta", "alice");
        ProntoProcess bob = pronto(1, "bob@hostb", "bob");

        alice.tell("add 10.78.2.2:5299");
        awaitLine(alice, "bob added", line -> line[0].equals("info") && line[1].equals("added bob@hostb"));
        awaitEncryptedByAddress(alice, "bob@hostb");
        awaitEncryptedByAddress(bob, "alice@hosta");
        chat(alice, bob, "bob@hostb", "hello across the router");
        chat(bob, alice, "alice@hosta", "hello back");

        quit(alice);
        quit(bob);
        ProntoProcess bobAgain = pronto(1, "bob@hostb", "bob");
        ProntoProcess aliceAgain = pronto(0, "alice@hosta", "alice");
        awaitEncryptedByAddress(aliceAgain, "bob@hostb");
        awaitEncryptedByAddress(bobAgain, "alice@hosta");
        chat(aliceAgain, bobAgain, "bob@hostb", "after both restarted");
        assertOnlyByAddress(aliceAgain, "bob@hostb");
        assertOnlyByAddress(bobAgain, "alice@hosta");
    }

    @Test
    void anInviteLinkAcrossARouterAddsThePeerVerified() throws Exception {
        ProntoProcess alice = pronto(0, "alice@hosta", "alice");
        ProntoProcess bob = pronto(1, "bob@hostb", "bob");
        bob.tell("invite");
        String link = awaitLine(bob, "bob's link", line -> line[0].equals("info")
                && line[1].startsWith("your invite link: "))[1].substring("your invite link: ".length());
        assertTrue(link.contains("addr=10.78.2.2") && link.contains("port=5299"), link);

        alice.tell("add " + link);
        awaitLine(alice, "bob added", line -> line[0].equals("info")
                && line[1].equals("added bob@hostb, its key verified by the link"));
        awaitLine(alice, "bob verified", line -> isContact(line, "bob@hostb") && line[5].equals("ENCRYPTED")
                && line[6].equals("verified") && line[7].equals("by-address"));
        chat(alice, bob, "bob@hostb", "from your link");

        // A link whose key is not bob's: the key-changed flow, nothing added.
        String forged = link.replaceAll("fp=[0-9a-f]{64}", "fp=" + "ab".repeat(32));
        ProntoProcess carol = pronto(0, "carol@hosta", "carol", 5300);
        carol.tell("add " + forged);
        awaitLine(carol, "the changed key", line -> line[0].equals("key-changed") && line[1].equals("bob@hostb")
                && line[4].equals("was-verified"));
        awaitLine(carol, "refused", line -> line[0].equals("info") && line[1].contains("different key"));
        carol.tell("saved");
        awaitLine(carol, "nobody saved", line -> line[0].equals("info") && line[1].startsWith("nobody saved"));
    }

    private ProntoProcess pronto(int host, String name, String folder) throws IOException {
        return pronto(host, name, folder, 5299);
    }

    private ProntoProcess pronto(int host, String name, String folder, int port) throws IOException {
        NetnsLab.Host where = lab.host(host);
        Path data = where.directory().resolve(folder);
        ProntoProcess pronto = ProntoProcess.start(lab, where, Main.class, List.of("--console", "--machine",
                "--name", name, "--interface", where.address(), "--port", Integer.toString(port),
                "--data-dir", data.toString(), "--nick", name.substring(0, name.indexOf('@'))), APP_JVM);
        running.add(pronto);
        return pronto;
    }

    private void quit(ProntoProcess pronto) throws Exception {
        pronto.tell("quit");
        assertTrue(pronto.process().waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "quit");
    }

    private void chat(ProntoProcess from, ProntoProcess to, String peer, String text) throws IOException {
        from.tell("msg " + peer + " " + text);
        String[] queued = awaitLine(from, "queued " + text, line -> line[0].equals("queued") && line[4].equals(text));
        awaitLine(to, "received " + text, line -> line[0].equals("received") && line[4].equals(text));
        awaitLine(from, "delivered " + text, line -> line[0].equals("state") && line[2].equals(queued[2])
                && line[3].equals("delivered"));
    }

    private void awaitEncryptedByAddress(ProntoProcess pronto, String peer) throws IOException {
        awaitLine(pronto, peer + " encrypted, by address", line -> isContact(line, peer)
                && line[5].equals("ENCRYPTED") && line[7].equals("by-address"));
    }

    /** mDNS never showed the peer: every line about it says it was reached by address. */
    private static void assertOnlyByAddress(ProntoProcess pronto, String peer) throws IOException {
        List<String[]> lines = fields(pronto).stream().filter(line -> isContact(line, peer)).toList();
        assertTrue(!lines.isEmpty());
        lines.forEach(line -> assertEquals("by-address", line[7], String.join(" | ", line)));
    }


    private String[] awaitLine(ProntoProcess pronto, String what, Predicate<String[]> wanted) throws IOException {
        return MachineOutput.awaitLine(pronto, WAIT, what, wanted, lab);
    }

}
