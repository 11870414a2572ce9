package chat.pronto.ui;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

/**
 * Tells, once, when the first frame that shows {@code list} has been painted — for start-up
 * measurements, not a guess from a timer. JavaFX lays a frame out on the FX thread and paints it on
 * its render thread; the next pulse that has anything to copy waits for that painting to finish before
 * it goes on. So: at the first pulse whose layout shows the list (frame F), ask for one more pulse;
 * make that pulse wait for F's painting (an equal copy of the scene's fill marks the scene dirty and
 * changes nothing on screen); run {@code painted} right after it, on the FX thread. At most one frame
 * interval (16.7 ms) late after that frame is painted — but a freshly mapped window can still show
 * white for a while after it: watching Xvfb's framebuffer, the content appeared 100–170 ms after this
 * report (issue 13), so {@code StartupBenchmark} takes its figure from the screen and prints this one beside it.
 */
final class FirstFrame {
    private final Scene scene;
    private final Control list;
    private final Runnable painted;
    private final Runnable listener = this::afterLayout;
    private boolean laidOut;

    private FirstFrame(Scene scene, Control list, Runnable painted) {
        this.scene = scene;
        this.list = list;
        this.painted = painted;
    }

    /** Call on the FX thread before the window is shown. */
    static void watch(Scene scene, Control list, Runnable painted) {
        FirstFrame watch = new FirstFrame(scene, list, painted);
        scene.addPostLayoutPulseListener(watch.listener);
    }

    private void afterLayout() {
        if (!laidOut) {
            if (shown()) {
                laidOut = true; // this pulse paints the list: frame F
                Platform.requestNextPulse();
            }
            return;
        }
        Paint fill = scene.getFill();
        if (fill instanceof Color color) {
            scene.setFill(new Color(color.getRed(), color.getGreen(), color.getBlue(), color.getOpacity()));
        }
        scene.removePostLayoutPulseListener(listener);
        Platform.runLater(painted); // after this pulse, which waited for frame F to be painted
    }

    private boolean shown() {
        return scene.getWindow() != null && scene.getWindow().isShowing() && list.getScene() == scene
                && list.isVisible() && list.getSkin() != null && list.getWidth() > 0 && list.getHeight() > 0;
    }
}
