package chat.pronto.ui;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;

import chat.pronto.model.DeliveryState;
import chat.pronto.model.Status;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/**
 * Makes the README's first screenshot: Alice chatting with Carol over an encrypted stream, Bob away with
 * two unread messages. Three real cores on 127.0.0.1. Run under Xvfb:
 * {@code .bench/main chat.pronto.ui.MainWindowScreenshot OUT.png [--dark]}.
 */
public final class MainWindowScreenshot {
    private MainWindowScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "assets/screenshots/main-window-light.png");
        boolean dark = args.length > 1 && args[1].equals("--dark");
        FakeLink link = new FakeLink();
        ChatCore alice = ChatCore.on(link, "alice@wonderland").start();
        ChatCore carol = ChatCore.on(link, "carol@rabbithole").start();
        ChatCore bob = ChatCore.on(link, "bob@teaparty").start();
        alice.chat.updatePresence(alice.chat.ownPresence().withNames("Alice Liddell", "Alice", "Liddell"));
        carol.chat.updatePresence(carol.chat.ownPresence().withNames("Carol Hare", "Carol", "Hare"));
        bob.chat.updatePresence(bob.chat.ownPresence().withNames("Bob the Builder", "Bob", "Builder")
                .withStatus(Status.AWAY, "reading in the garden"));

        MainWindow window = ScreenshotKit.showWindow(alice.chat, dark, 1000, 680);
        carol.chat.send(alice.id(), "Shall I bring the March Hare?").get();
        alice.events.awaitReceived("Shall I bring the March Hare?");
        String reply = alice.chat.send(carol.id(), "On my way! Save me a cup, please.").get().id();
        alice.events.awaitState(reply, DeliveryState.DELIVERED);
        bob.chat.send(alice.id(), "The tea is ready.").get();
        bob.chat.send(alice.id(), "Where is everyone?").get();
        alice.events.awaitReceived("Where is everyone?");
        Platform.runLater(() -> {
            window.open(carol.id());
            window.conversationFor(carol.id()).draftProperty().set("And tell the Hatter");
        });
        // The conversation's history comes from the store, through the FX thread's queue behind its first layout.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ScreenshotKit.fx(() -> window.conversationFor(carol.id()).messages().size()) < 2
                && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        TimeUnit.MILLISECONDS.sleep(500); // the people list's last updates painted: a picture, not a test

        ScreenshotKit.shoot(window.scene(), out);
        alice.close();
        carol.close();
        bob.close();
        Platform.exit();
        System.exit(0);
    }
}
