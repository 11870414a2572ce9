package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.app.Main;
import chat.pronto.lab.Avahi;
import chat.pronto.lab.Finch;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;
import chat.pronto.model.AvatarHash;

/**
 * Pictures (XEP-0174 avatars) between Pronto (the app in terminal mode, machine lines) and Pidgin's
 * finch (libpurple Bonjour over avahi) on a lab link: finch's buddy icon reaches Pronto's avatar
 * cache, and Pronto's {@code --avatar} becomes finch's icon for it, byte for byte.
 */
class FinchAvatarLabIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private NetnsLab lab;
    private Avahi avahi;
    private Finch finch;
    private ProntoProcess alice;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        assumeTrue(Avahi.installed() && Finch.installed(), "needs avahi, dbus, finch and tmux (.ci/run installs them)");
        assumeTrue(Finch.remoteInstalled(), "needs python3-dbus and libpurple-bin (.ci/run installs them)");
        lab = NetnsLab.twoHosts();
        avahi = Avahi.start(lab, lab.host(1), "hostb");
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

    /** A real PNG (libpurple names stored icons by their image type) of noise: several kB, several IP fragments. */
    private static byte[] png(int side, long seed) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** Pronto first, finch once Pronto listens (see FinchInteropIT on the start-time race). */
    private void startBoth(List<String> prontoOptions, Path finchIcon) throws Exception {
        NetnsLab.Host a = lab.host(0);
        List<String> args = new ArrayList<>(List.of("--console", "--machine", "--name", "alice@hosta",
                "--interface", a.address(), "--bind", a.address(), "--port", "5299",
                "--data-dir", dataDir().toString(), "--nick", "alice"));
        args.addAll(prontoOptions);
        alice = ProntoProcess.start(lab, a, Main.class, args);
        await().atMost(WAIT).until(() -> alice.output().contains("Pronto is listening as alice@hosta"));
        finch = Finch.start(lab, lab.host(1), avahi, "bob@hostb", "Bob", "Builder", 5298, finchIcon);
        await().atMost(WAIT).until(() -> alice.lines().stream().anyMatch(line -> line.startsWith("contact\tbob@hostb\t")));
    }

    private Path dataDir() {
        return lab.host(0).directory().resolve("pronto");
    }

    @Test
    void finchsBuddyIconReachesPronto() throws Exception {
        byte[] icon = png(40, 1);
        String hash = AvatarHash.of(icon);
        Path file = Files.write(lab.host(1).directory().resolve("bob.png"), icon);
        startBoth(List.of(), file);

        Path cached = dataDir().resolve("avatars").resolve(hash);
        waitFor("Pronto to keep finch's picture as " + cached, () -> Files.isRegularFile(cached));
        assertArrayEquals(icon, Files.readAllBytes(cached));
        // And the console says so: "avatar: phsh=<sha1> (here)".
        waitFor("show bob@hostb to list the picture as here", () -> {
            alice.tell("show bob@hostb");
            return alice.output().contains("avatar: phsh=" + hash + " (here)");
        });
    }

    @Test
    void prontosAvatarBecomesFinchsIconForIt() throws Exception {
        byte[] picture = png(40, 2);
        String hash = AvatarHash.of(picture);
        Path file = Files.write(lab.host(0).directory().resolve("alice.png"), picture);
        startBoth(List.of("--avatar", file.toString()), null);

        // libpurple fetches the NULL record once it resolves alice's TXT with a phsh it has no icon for.
        String[] icon = new String[1];
        waitFor("finch to hold alice's icon", () -> {
            icon[0] = finch.buddyIcon("alice@hosta");
            return icon[0].startsWith("checksum ");
        });
        List<String> lines = icon[0].lines().toList();
        assertEquals("checksum " + hash, lines.get(0), icon[0]);
        Path stored = Path.of(lines.get(1).substring("path ".length()));
        assertArrayEquals(picture, Files.readAllBytes(stored), "the icon finch keeps in " + stored);
    }

    private void waitFor(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited in vain for " + what + "; Pronto printed:\n" + alice.output()
                    + "\nfinch logged:\n" + finch.debugLog().lines()
                            .filter(line -> line.contains("bonjour") || line.contains("icon"))
                            .collect(Collectors.joining("\n")) + "\n(lab files in " + lab + ")", e);
        }
    }
}
