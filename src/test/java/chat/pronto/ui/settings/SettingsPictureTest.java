package chat.pronto.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.settings.Preferences;

/** The picture row of the settings: a picked picture is prepared off the FX thread and shown; Remove removes it. */
@ExtendWith(ApplicationExtension.class)
class SettingsPictureTest {
    @TempDir
    Path dir;
    private SettingsDialog dialog;
    private Stage owner;

    @Start
    void start(Stage stage) {
        owner = stage;
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(), 200, 100));
        stage.show();
    }

    @Test
    void aPickedPictureIsPreparedShownAndGivenBackAfterOk(FxRobot robot) throws Exception {
        BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        Path file = dir.resolve("me.png");
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        robot.interact(() -> {
            dialog = new SettingsDialog(owner, UiSettings.load(null), Preferences.inMemory(),
                    OwnPresence.available("alice"), PeerId.of("alice@wonderland"), null,
                    command -> new Thread(command, "test-picture").start(), Platform::runLater);
            dialog.show();
        });
        assertTrue(dialog.pictureChange().isEmpty(), "nothing changed yet");
        Button remove = robot.lookup(".remove-picture").queryAs(Button.class);
        assertTrue(remove.isDisabled(), "nothing to remove");

        robot.interact(() -> dialog.usePicture(file, command -> new Thread(command, "test-picture").start(),
                Platform::runLater, remove));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> dialog.pictureChange().isPresent());
        Optional<byte[]> picked = dialog.pictureChange().orElseThrow();
        assertEquals(96, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(picked.orElseThrow())).getWidth());
        assertTrue(robot.lookup(".settings .avatar-picture").queryAll().stream().anyMatch(javafx.scene.Node::isVisible));

        robot.clickOn(".remove-picture");
        assertEquals(Optional.of(Optional.empty()), dialog.pictureChange().map(change -> change.map(bytes -> bytes)));
        robot.interact(() -> dialog.usePicture(dir.resolve("missing.png"), Runnable::run, Runnable::run, remove));
        assertTrue(robot.lookup(".settings .settings-hint").queryAll().stream()
                .anyMatch(node -> ((Label) node).getText().contains("missing.png")));
        robot.interact(dialog::close);
    }
}
