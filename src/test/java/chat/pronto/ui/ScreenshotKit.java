package chat.pronto.ui;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.stage.Window;

import chat.pronto.session.ChatService;
import chat.pronto.settings.Preferences;
import chat.pronto.threads.Threads;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.settings.UiSettings;

/** What the screenshot makers share: work on the FX thread, waiting for a dialog, writing a scene as PNG. */
final class ScreenshotKit {
    private ScreenshotKit() {
    }

    /** Starts JavaFX and shows the main window over {@code service}, {@code width} × {@code height}, light or dark. */
    static MainWindow showWindow(ChatService service, boolean dark, double width, double height) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        FxEvents events = new FxEvents(Platform::runLater);
        service.addListener(events);
        return fx(() -> {
            UiSettings look = UiSettings.load(null);
            look.theme(dark ? UiSettings.Theme.DARK : UiSettings.Theme.LIGHT);
            MainWindow main = new MainWindow(service, events, Platform::runLater, Threads.pool("pronto-screenshot", 2),
                    look, Preferences.inMemory(), Notifier.NONE);
            Stage stage = new Stage();
            main.attach(stage);
            stage.setWidth(width);
            stage.setHeight(height);
            stage.show();
            return main;
        });
    }

    /** Runs {@code work} on the FX thread and gives its result (10 s at the most). */
    static <T> T fx(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Platform.runLater(task);
        return task.get(10, TimeUnit.SECONDS);
    }

    /** The scene of the open dialog that holds {@code root}, once {@code shown} is in it. */
    static Scene awaitDialog(String root, String shown) throws Exception {
        for (int tries = 0; tries < 100; tries++) {
            Scene found = fx(() -> Window.getWindows().stream().map(Window::getScene)
                    .filter(scene -> scene != null && scene.lookup(root) != null && scene.lookup(shown) != null)
                    .findFirst().orElse(null));
            if (found != null) {
                TimeUnit.MILLISECONDS.sleep(400); // a few pulses for CSS and layout: a picture, not a test
                return found;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException(root + " never showed " + shown);
    }

    /** Writes what {@code scene} shows to {@code out} as a PNG. */
    static void shoot(Scene scene, Path out) throws Exception {
        fx(() -> {
            WritableImage image = scene.snapshot(null);
            int w = (int) image.getWidth();
            int h = (int) image.getHeight();
            int[] pixels = new int[w * h];
            image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), pixels, 0, w);
            BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            png.setRGB(0, 0, w, h, pixels, 0, w);
            Files.createDirectories(out.toAbsolutePath().getParent());
            javax.imageio.ImageIO.write(png, "png", out.toFile());
            return null;
        });
    }
}
