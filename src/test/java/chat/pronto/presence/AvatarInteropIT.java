package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.Avahi;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;
import chat.pronto.model.AvatarHash;

/**
 * Pictures between Pronto and avahi (through its D-Bus API, the way libpurple and Salut publish and
 * fetch them) as separate hosts on one lab link: real mDNS, no real network.
 */
class AvatarInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private NetnsLab lab;
    private Avahi avahi;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        assumeTrue(Avahi.installed(), "needs avahi-daemon, avahi-utils and dbus (.ci/run installs them)");
        assumeTrue(Avahi.canScriptPictures(), "needs python3-dbus and python3-gi (.ci/run installs python3-dbus)");
        lab = NetnsLab.twoHosts();
        avahi = Avahi.start(lab, lab.host(1), "hostb");
    }

    @AfterEach
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static byte[] picture(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private ProntoProcess pronto() throws Exception {
        return ProntoProcess.start(lab, lab.host(0), PresenceLabMain.class,
                List.of("alice@hosta", lab.host(0).address(), "5299", "Alice"));
    }

    @Test
    void prontoFetchesThePictureAnAvahiClientPublishes() throws Exception {
        ProntoProcess pronto = pronto();
        byte[] face = picture(30_000, 1); // several IP fragments on the veth
        String hash = AvatarHash.of(face);
        avahi.publishPicture("bob@hostb", 5562, face);

        await().atMost(WAIT).until(() -> pronto.output().contains("phsh=" + hash));
        await().atMost(WAIT).until(() -> pronto.output().contains("picture bob@hostb " + hash + " 30000")
                || pronto.output().contains("no picture bob@hostb"));
        assertTrue(pronto.output().contains("picture bob@hostb " + hash + " 30000"), pronto.output());
    }

    @Test
    void avahisRecordBrowserGetsProntosPictureAsLibpurpleWould() throws Exception {
        ProntoProcess pronto = pronto();
        await().atMost(WAIT).until(() -> pronto.output().contains("announced"));
        byte[] face = picture(20_000, 2);
        Path file = lab.host(0).directory().resolve("face.bin");
        Files.write(file, face);
        pronto.tell("avatar " + file);
        await().atMost(WAIT).until(() -> pronto.output().contains("avatar " + AvatarHash.of(face)));
        await().atMost(WAIT).until(() -> avahi.browse().stream()
                .anyMatch(line -> line.contains("alice\\064hosta") && line.contains("\"phsh=" + AvatarHash.of(face) + "\"")));

        Path fetched = avahi.fetchPicture("alice@hosta");
        await().atMost(WAIT).until(() -> Files.exists(fetched)
                && Files.readString(fetched, StandardCharsets.UTF_8).contains("picture " + AvatarHash.of(face) + " 20000"));
    }
}
