package chat.pronto.ui.chat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;

/** Files dropped on a conversation or pasted into it, and pictures pasted from the clipboard (a screenshot). */
public final class DroppedFiles {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH.mm.ss");

    private DroppedFiles() {
    }

    /** Lets files be dropped on {@code target}; they go to {@code send} (highlighted while dragged over). */
    public static void accept(Node target, Consumer<List<Path>> send) {
        target.addEventHandler(DragEvent.DRAG_OVER, event -> {
            if (event.getDragboard().hasFiles()) {
                event.acceptTransferModes(TransferMode.COPY);
                if (!target.getStyleClass().contains("drop-target")) {
                    target.getStyleClass().add("drop-target");
                }
                event.consume();
            }
        });
        target.addEventHandler(DragEvent.DRAG_EXITED, event -> target.getStyleClass().remove("drop-target"));
        target.addEventHandler(DragEvent.DRAG_DROPPED, event -> {
            target.getStyleClass().remove("drop-target");
            if (event.getDragboard().hasFiles()) {
                send.accept(event.getDragboard().getFiles().stream().map(File::toPath).toList());
                event.setDropCompleted(true);
                event.consume();
            }
        });
    }

    /**
     * Paste: files on the clipboard are sent; a picture (a screenshot) is written as a PNG on
     * {@code background} and sent. False when the clipboard holds neither (then it is text to paste).
     */
    static boolean paste(Clipboard clipboard, Path folder, Executor background, Executor fx, Consumer<List<Path>> send) {
        if (clipboard.hasFiles()) {
            send.accept(clipboard.getFiles().stream().map(File::toPath).toList());
            return true;
        }
        Image image = clipboard.hasImage() ? clipboard.getImage() : null; // decoded once
        if (image == null) {
            return false;
        }
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] pixels = new int[width * height];
        // The pixels are read here (FX thread: the image belongs to it); encoding and writing run in the background.
        image.getPixelReader().getPixels(0, 0, width, height,
                javafx.scene.image.PixelFormat.getIntArgbInstance(), pixels, 0, width);
        try {
            background.execute(() -> {
                try {
                    Path png = writePng(pixels, width, height, folder);
                    fx.execute(() -> send.accept(List.of(png)));
                } catch (IOException e) {
                    org.slf4j.LoggerFactory.getLogger(DroppedFiles.class).warn("could not keep the pasted picture: {}",
                            e.getMessage());
                }
            });
        } catch (RejectedExecutionException closing) {
            return true;
        }
        return true;
    }

    /**
     * Writes ARGB pixels as "Pasted picture <time>.png" in {@code folder} (Pronto's data folder: the file
     * must outlive a restart, since an interrupted transfer resumes from it), or a new private temporary
     * folder when there is none.
     */
    static Path writePng(int[] argb, int width, int height, Path folder) throws IOException {
        java.awt.image.BufferedImage buffered = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        buffered.setRGB(0, 0, width, height, argb, 0, width);
        Path into = folder != null ? Files.createDirectories(folder) : Files.createTempDirectory("pronto-pasted-");
        String stem = "Pasted picture " + LocalDateTime.now().format(STAMP);
        Path file = into.resolve(stem + ".png");
        for (int copy = 1; Files.exists(file); copy++) {
            file = into.resolve(stem + " (" + copy + ").png"); // two pastes in a second: never over one being sent
        }
        if (!javax.imageio.ImageIO.write(buffered, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }
}
