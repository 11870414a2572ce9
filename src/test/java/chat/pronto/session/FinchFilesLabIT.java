package chat.pronto.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.app.Main;
import chat.pronto.lab.Avahi;
import chat.pronto.lab.Finch;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;

/**
 * Files between Pronto (the app in terminal mode, machine lines) and Pidgin's finch (libpurple
 * Bonjour) on a lab link: finch sends and Pronto accepts, Pronto sends and finch accepts or
 * declines. finch is driven over libpurple's D-Bus API, as its users script it. libpurple speaks
 * plain XEP-0065 only (no TLS, no hash, no resume), so the transfers are plain and checked here
 * byte for byte.
 */
class FinchFilesLabIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SIZE = 300 * 1024 + 7;
    private NetnsLab lab;
    private Finch finch;
    private ProntoProcess alice;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        assumeTrue(Avahi.installed() && Finch.installed(), "needs avahi, dbus, finch and tmux (.ci/run installs them)");
        assumeTrue(Finch.remoteInstalled(), "needs python3-dbus and libpurple-bin (.ci/run installs them)");
        lab = NetnsLab.twoHosts();
        Avahi avahi = Avahi.start(lab, lab.host(1), "hostb");
        NetnsLab.Host a = lab.host(0);
        alice = ProntoProcess.start(lab, a, Main.class, List.of("--console", "--machine", "--name", "alice@hosta",
                "--interface", a.address(), "--bind", a.address(), "--port", "5299",
                "--data-dir", a.directory().resolve("pronto").toString(), "--nick", "alice"));
        await().atMost(WAIT).until(() -> alice.output().contains("Pronto is listening as alice@hosta"));
        // Pronto first, finch once Pronto has announced itself (see FinchInteropIT on the start-time race).
        finch = Finch.start(lab, lab.host(1), avahi, "bob@hostb", "Bob", "Builder", 5298);
        await().atMost(WAIT).until(() -> alice.lines().stream().anyMatch(line -> line.startsWith("contact\tbob@hostb\t")));
    }

    @AfterEach
    void stopLab() throws Exception {
        if (finch != null) {
            finch.stop();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aFileFromFinchArrivesWholeAndIsShownUnencrypted() throws Exception {
        Path file = randomFile(lab.host(1).directory().resolve("from finch.bin"));
        // libpurple needs a moment after login, and to have seen alice, before it sends: retry until it does.
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> finch.sendFile("alice@hosta", file).contains("sent"));

        String[] offered = transferLine("in", "offered");
        assertEquals("from finch.bin", offered[4]);
        assertEquals(Long.toString(SIZE), offered[5]);
        Path into = Files.createDirectories(lab.host(0).directory().resolve("received"));
        alice.tell("accept " + offered[1] + " " + into);

        String[] done = transferLine("in", "done");
        assertEquals(offered[1], done[1]);
        assertEquals("plain", done[8], "libpurple has no encryption for files");
        assertEquals(into.resolve("from finch.bin").toString(), done[9]);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(Path.of(done[9])));
        try (var left = Files.list(into)) {
            assertEquals(List.of(Path.of(done[9])), left.toList(), "no partial file left behind");
        }
        // libpurple's sender keeps the connection until the receiver closes it: Pronto closes it.
        await().atMost(WAIT).until(() -> finch.debugLog().contains("Client completed receiving; closing server socket"));
    }

    @Test
    void aFileToFinchArrivesWholeAndIsDone() throws Exception {
        assumeTrue(Finch.autoAcceptInstalled(), "needs libpurple's Autoaccept plugin (package pidgin-data/libpurple0)");
        Path file = randomFile(lab.host(0).directory().resolve("for finch.bin"));
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> finch.autoAcceptFrom("alice@hosta").contains("set"));
        alice.tell("send-file bob@hostb \"" + file + "\"");

        String[] done = transferLine("out", "done");
        assertEquals("plain", done[8]);
        Path arrived = finch.inbox().resolve("for finch.bin");
        await().atMost(WAIT).until(() -> Files.exists(arrived) && Files.size(arrived) == SIZE);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(arrived));
    }

    @Test
    void aFileFinchDeclinesIsShownDeclined() throws Exception {
        Path file = randomFile(lab.host(0).directory().resolve("unwanted.bin"));
        alice.tell("send-file bob@hostb \"" + file + "\"");

        assertEquals("declined unwanted.bin", finch.declineFileOffer("alice@hosta", WAIT).strip(), finchState());
        String[] declined = transferLine("out", "declined");
        assertTrue(declined[10].contains("declined"), declined[10]);
    }

    private static Path randomFile(Path file) throws Exception {
        byte[] bytes = new byte[SIZE];
        new Random(SIZE).nextBytes(bytes);
        return Files.write(file, bytes);
    }

    /** Waits for Pronto's machine line {@code transfer ID in|out PEER NAME SIZE STATE DONE tls|plain FILE REASON}. */
    private String[] transferLine(String direction, String state) throws Exception {
        try {
            return await().atMost(WAIT).until(() -> alice.lines().stream().map(line -> line.split("\t", -1))
                            .filter(fields -> fields.length == 11 && fields[0].equals("transfer")
                                    && fields[2].equals(direction) && fields[6].equals(state))
                            .findFirst(), Optional::isPresent).get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Pronto never showed a " + direction + " transfer " + state + "; it printed:\n"
                    + alice.output() + "\nfinch: " + finchState(), e);
        }
    }

    /** finch's Bonjour lines (libpurple's transfers over D-Bus are not safe to list: it keeps ids of freed ones). */
    private String finchState() throws Exception {
        return finch.debugLog().lines().filter(line -> line.contains("bonjour:") || line.contains("xfer"))
                .collect(java.util.stream.Collectors.joining("\n")) + "\n(lab files in " + lab + ")";
    }
}
