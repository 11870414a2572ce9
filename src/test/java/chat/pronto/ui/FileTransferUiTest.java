package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.session.ChatEvent;
import chat.pronto.settings.Preferences;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;
import chat.pronto.threads.Threads;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.settings.UiSettings;

/** Files in the window, over a real core chatting with a second real core: offer, accept, progress, picture. */
@ExtendWith(ApplicationExtension.class)
class FileTransferUiTest {
    private ChatCore alice;
    private ChatCore bob;
    private MainWindow window;
    private final ExecutorService background = Threads.pool("pronto-ui-background", 2);

    @Start
    void start(Stage stage) throws Exception {
        FakeLink link = new FakeLink();
        alice = ChatCore.on(link, "alice@wonderland").start();
        bob = ChatCore.on(link, "bob@teaparty").start();
        FxEvents events = new FxEvents(Platform::runLater);
        alice.chat.addListener(events);
        window = new MainWindow(alice.chat, events, Platform::runLater, background, UiSettings.load(null),
                Preferences.inMemory(), Notifier.NONE);
        window.attach(stage);
        stage.setWidth(900);
        stage.setHeight(640);
        stage.show();
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        Threads.shutdown(background, Duration.ofSeconds(2));
    }

    /** A PNG of 64 × 48 pixels, written with the JDK (so the test needs no picture file). */
    private static Path picture(Path folder) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 48; y++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 0x80);
            }
        }
        Path file = folder.resolve("garden.png");
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void anOfferedPictureIsAcceptedFromItsCardAndShowsAsAThumbnailWithOpenButtons(FxRobot robot) throws Exception {
        Path picture = picture(bob.data);
        bob.chat.sendFile(alice.id(), picture).get();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Visible.shows(robot, ".contact-name", node -> true));
        robot.interact(() -> window.open(bob.id()));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Visible.shows(robot, ".file-accept", node -> true));
        assertEquals("garden.png", Visible.text(robot, ".file-name"));
        assertTrue(Visible.text(robot, ".file-detail").endsWith("wants to send you this file"));

        Visible.click(robot, ".file-accept");
        Transfer done = alice.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.DONE).transfer();
        assertArrayEquals(Files.readAllBytes(picture), Files.readAllBytes(Path.of(done.file())));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Visible.<ImageView>shows(robot, ".file-thumbnail",
                view -> view.getImage() != null));
        assertTrue(Visible.find(robot, ".file-open").isPresent() && Visible.find(robot, ".file-reveal").isPresent());
        assertTrue(Visible.text(robot, ".file-detail").contains("received"));
    }

    @Test
    void aFileSentFromTheWindowShowsItsProgressAndCanBeCancelled(FxRobot robot) throws Exception {
        byte[] bytes = new byte[6 * 1024 * 1024];
        new java.util.Random(7).nextBytes(bytes);
        Path file = Files.write(alice.data.resolve("backup.zip"), bytes);
        alice.chat.limitFileSending(1024 * 1024);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Visible.shows(robot, ".contact-name", node -> true));
        robot.interact(() -> window.open(bob.id()));
        robot.interact(() -> window.conversationFor(bob.id()).sendFiles(List.of(file)));
        String id = bob.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.OFFERED).transfer().id();
        bob.chat.acceptFile(id, java.util.Optional.empty()).get();

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Visible.<ProgressBar>shows(robot, ".file-progress",
                bar -> bar.getProgress() > 0) && Visible.<Label>shows(robot, ".file-detail",
                label -> label.getText().contains("/s")));
        String detail = Visible.text(robot, ".file-detail");
        assertTrue(detail.matches(".* of 6\\.0 MiB · .*/s.*"), detail);
        Visible.click(robot, ".file-cancel");
        bob.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().state() == TransferState.CANCELLED);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Visible.<Label>shows(robot, ".file-detail",
                label -> label.getText().endsWith("cancelled")));
        assertTrue(Visible.find(robot, ".file-progress").isEmpty(), "no progress bar once it has stopped");
    }
}
