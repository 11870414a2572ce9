package chat.pronto.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.image.WritableImage;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.paint.Color;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Paste in a conversation: a picture on the clipboard (a screenshot) is kept as a PNG and sent; text is pasted. */
@ExtendWith(ApplicationExtension.class)
class PastedPictureTest {
    @TempDir
    Path data;

    @Start
    void start(Stage stage) {
        stage.show();
    }

    @Test
    void aPictureOnTheClipboardBecomesAPngThatIsSent(FxRobot robot) throws Exception {
        CompletableFuture<List<Path>> sent = new CompletableFuture<>();
        boolean[] taken = new boolean[1];
        robot.interact(() -> {
            WritableImage image = new WritableImage(40, 30);
            for (int x = 0; x < 40; x++) {
                for (int y = 0; y < 30; y++) {
                    image.getPixelWriter().setColor(x, y, x < 20 ? Color.RED : Color.BLUE);
                }
            }
            ClipboardContent content = new ClipboardContent();
            content.putImage(image);
            Clipboard.getSystemClipboard().setContent(content);
            taken[0] = DroppedFiles.paste(Clipboard.getSystemClipboard(), data.resolve("pasted"),
                    command -> new Thread(command, "test-paste").start(), Platform::runLater, sent::complete);
        });
        assertTrue(taken[0], "a picture is not pasted as text");
        List<Path> files = sent.get(10, TimeUnit.SECONDS);
        assertEquals(1, files.size());
        Path png = files.get(0);
        assertEquals(data.resolve("pasted"), png.getParent(), "kept in the data folder: it must outlive a restart");
        assertTrue(png.getFileName().toString().matches("Pasted picture \\d{4}-\\d{2}-\\d{2} .*\\.png"), png.toString());
        BufferedImage back = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(40, back.getWidth());
        assertEquals(0xff0000, back.getRGB(5, 5) & 0xffffff);
        assertEquals(0x0000ff, back.getRGB(35, 5) & 0xffffff);
    }

    @Test
    void textOnTheClipboardIsLeftToTheComposeBox(FxRobot robot) throws Exception {
        boolean[] taken = new boolean[1];
        robot.interact(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putString("just words");
            Clipboard.getSystemClipboard().setContent(content);
            taken[0] = DroppedFiles.paste(Clipboard.getSystemClipboard(), data, Runnable::run, Runnable::run,
                    files -> { });
        });
        assertFalse(taken[0]);
        try (var left = Files.list(data)) {
            assertEquals(0, left.count());
        }
    }
}
