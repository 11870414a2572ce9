package chat.pronto.ui;

import static chat.pronto.ui.ScreenshotKit.awaitDialog;
import static chat.pronto.ui.ScreenshotKit.fx;
import static chat.pronto.ui.ScreenshotKit.shoot;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import chat.pronto.model.Contact;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.session.ChatEvent;
import chat.pronto.settings.Preferences;
import chat.pronto.testing.FakeChatService;
import chat.pronto.threads.Threads;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.settings.UiSettings;

/**
 * Makes the screenshots of verifying a key (verify.png), adding someone (add-someone.png), the invite
 * (invite.png), the verified badge (verified-badge.png) and a verified key that changed
 * (verified-key-changed.png), over the fake chat
 * service (no network). Under Xvfb:
 * {@code java -Dprism.order=sw -cp … chat.pronto.ui.VerifyScreenshot assets/screenshots [--dark]}.
 */
public final class VerifyScreenshot {
    private static final PeerId CAROL = PeerId.of("carol@rabbithole");

    private VerifyScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args.length > 0 ? args[0] : "assets/screenshots");
        boolean dark = args.length > 1 && args[1].equals("--dark");
        String suffix = dark ? "-dark" : "";
        FakeChatService chat = new FakeChatService();
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        FxEvents events = new FxEvents(Platform::runLater);
        chat.addListener(events);
        MainWindow window = fx(() -> {
            UiSettings look = UiSettings.load(null);
            look.theme(dark ? UiSettings.Theme.DARK : UiSettings.Theme.LIGHT);
            MainWindow main = new MainWindow(chat, events, Platform::runLater,
                    Threads.pool("pronto-screenshot", 1), look, Preferences.inMemory(), Notifier.NONE);
            Stage stage = new Stage();
            main.attach(stage);
            stage.setWidth(1000);
            stage.setHeight(700);
            stage.show();
            return main;
        });
        Contact bob = FakeChatService.contact("bob@teaparty", "Bob the Builder", Status.AWAY, "back at three",
                LinkSecurity.ENCRYPTED);
        chat.emit(new ChatEvent.ContactChanged(FakeChatService.verified(FakeChatService.withKey(bob,
                "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"), true)));
        Contact carol = FakeChatService.contact(CAROL.name(), "Carol Hare", Status.AVAILABLE, "",
                LinkSecurity.ENCRYPTED);
        chat.emit(new ChatEvent.ContactChanged(FakeChatService.direct(FakeChatService.withKey(carol,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))));

        fx(() -> {
            window.open(CAROL);
            ((Button) window.scene().lookup(".key-button")).fire();
            return null;
        });
        Scene verify = awaitDialog(".verify", ".safety-grid");
        shoot(verify, folder.resolve("verify" + suffix + ".png"));
        fx(() -> {
            verify.getWindow().hide();
            window.openAddSomeone();
            return null;
        });
        Scene add = awaitDialog(".add-someone", ".add-address");
        fx(() -> {
            TextField address = (TextField) add.lookup(".add-address");
            address.setText("carol-laptop.local:70000");
            address.positionCaret(address.getLength());
            return null;
        });
        shoot(add, folder.resolve("add-someone" + suffix + ".png"));
        fx(() -> {
            add.getWindow().hide();
            window.openInvite();
            return null;
        });
        Scene invite = awaitDialog(".invite", ".invite-qr");
        shoot(invite, folder.resolve("invite" + suffix + ".png"));
        fx(() -> {
            invite.getWindow().hide();
            window.open(PeerId.of("bob@teaparty"));
            return null;
        });
        TimeUnit.MILLISECONDS.sleep(400);
        shoot(window.scene(), folder.resolve("verified-badge" + suffix + ".png"));
        chat.emit(new ChatEvent.KeyChanged(PeerId.of("bob@teaparty"),
                "5E88 4898 DA28 0471 51D0 E56F 8DC6 2927\n7360 3D0D 6AAB BDD6 2A11 EF72 1D15 42D8",
                "C3AB 8FF1 3720 E8AD 9047 DD39 466B 3C89\n74E5 92C2 FA38 3D4A 3960 714C AEF0 C4F2", true));
        shoot(awaitDialog(".verified-key-changed", ".compared-new-key"),
                folder.resolve("verified-key-changed" + suffix + ".png"));
        System.exit(0); // the warning still waits for an answer: Platform.exit() would close it from inside its loop
    }
}
