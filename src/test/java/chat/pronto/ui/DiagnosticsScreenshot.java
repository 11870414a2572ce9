package chat.pronto.ui;

import static chat.pronto.ui.ScreenshotKit.awaitDialog;
import static chat.pronto.ui.ScreenshotKit.fx;
import static chat.pronto.ui.ScreenshotKit.shoot;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.Scene;

import chat.pronto.model.InterfaceCheck;
import chat.pronto.model.NetworkCheck;
import chat.pronto.model.NetworkCheck.Cause;
import chat.pronto.model.NetworkCheck.Finding;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.SavedPeer;
import chat.pronto.testing.FakeChatService;

/**
 * Makes the screenshots of the network diagnostics (diagnostics.png: on guest Wi-Fi that isolates
 * clients, with a container network and a VPN), of the people added by address (saved-peers.png) and
 * of the empty people list with its two links (nobody-nearby.png), of the settings (settings.png),
 * over the fake chat service (no network). Under Xvfb:
 * {@code java -Dprism.order=sw -cp … chat.pronto.ui.DiagnosticsScreenshot assets/screenshots [--dark]}.
 */
public final class DiagnosticsScreenshot {
    private DiagnosticsScreenshot() {
    }

    /** lab-a hears itself but nobody else; docker0 left alone; a WireGuard tunnel up; ufw without an mDNS rule. */
    static NetworkCheck isolatedWifi() {
        return new NetworkCheck(Instant.now(), PeerId.of("alice@wonderland"), 5298,
                List.of(new InterfaceCheck("lab-a", List.of("192.168.40.23", "fe80::5c2e:1bff:fe7a:42d1"), "", 14, 0,
                                0, 95, true, ""),
                        new InterfaceCheck("docker0", List.of("172.17.0.1"),
                                "leads to containers, virtual machines or a VPN", 0, 0, 0, 0, null, ""),
                        new InterfaceCheck("wg0", List.of("10.8.0.2"), "a tunnel or VPN", 0, 0, 0, 0, null, "")),
                List.of(Finding.of(Cause.NOBODY_ELSE_HEARD, "lab-a", 95), Finding.of(Cause.VPN_UP, "wg0"),
                        Finding.of(Cause.FIREWALL_ACTIVE, "ufw")),
                List.of("ufw: active, no rule allows mDNS (UDP 5353)"),
                List.of(Problem.of(Problem.Kind.NO_PEERS_SEEN, "192.168.40.23", 90),
                        Problem.of(Problem.Kind.CANNOT_CONNECT, "192.168.40.31", 5298, "Connection refused")),
                0, 1);
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args.length > 0 ? args[0] : "assets/screenshots");
        boolean dark = args.length > 1 && args[1].equals("--dark");
        String suffix = dark ? "-dark" : "";
        FakeChatService chat = new FakeChatService();
        chat.networkCheck = isolatedWifi();
        chat.saved.addAll(List.of(new SavedPeer(PeerId.of("bob@teaparty"), "192.168.40.31", 5298,
                        SavedPeer.Origin.ADDRESS),
                new SavedPeer(PeerId.of("carol@rabbithole"), "carol-laptop.local", 5298, SavedPeer.Origin.INVITE),
                new SavedPeer(PeerId.of("dave@cellar"), "10.8.0.7", 0, SavedPeer.Origin.REACHED_US)));
        MainWindow window = ScreenshotKit.showWindow(chat, dark, 1000, 700);
        TimeUnit.MILLISECONDS.sleep(400);
        shoot(window.scene(), folder.resolve("nobody-nearby" + suffix + ".png"));
        fx(() -> {
            window.openDiagnostics();
            return null;
        });
        Scene diagnostics = awaitDialog(".diagnostics", ".finding");
        fx(() -> {
            diagnostics.getWindow().setHeight(770); // the whole report in one picture; on screen it scrolls
            return null;
        });
        TimeUnit.MILLISECONDS.sleep(300);
        shoot(diagnostics, folder.resolve("diagnostics" + suffix + ".png"));
        fx(() -> {
            diagnostics.getWindow().hide();
            window.openSavedPeers();
            return null;
        });
        Scene saved = awaitDialog(".saved-peers", ".saved-peer");
        shoot(saved, folder.resolve("saved-peers" + suffix + ".png"));
        fx(() -> {
            saved.getWindow().hide();
            return null;
        });
        // Opened later, not waited on: the settings wait for their answer (showAndWait).
        Platform.runLater(() -> window.openSettings(new javafx.scene.control.CheckMenuItem()));
        shoot(awaitDialog(".settings", ".settings-scroll"), folder.resolve("settings" + suffix + ".png"));
        Platform.exit();
        System.exit(0);
    }
}
