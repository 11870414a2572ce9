package chat.pronto.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.stage.Screen;
import javafx.stage.Stage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.session.ChatService;
import chat.pronto.settings.Preferences;
import chat.pronto.threads.Threads;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.common.NotifySendNotifier;
import chat.pronto.ui.settings.UiSettings;

/**
 * Starts the desktop window over a chat service and blocks until it is closed. No
 * {@code Application} subclass: the toolkit is started directly, so the service is simply passed in.
 */
public final class DesktopApp {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopApp.class);
    /** Saving a file, starting a player or a browser: short jobs, and two at once is plenty. */
    private static final int BACKGROUND_THREADS = 2;
    /** How long a closing window waits for background work still running (a settings save). */
    private static final Duration BACKGROUND_FINISH_WITHIN = Duration.ofSeconds(2);
    /** JavaFX starts in about a second; a display that is there but never answers must not hold us longer. */
    private static final Duration TOOLKIT_START_AT_MOST = Duration.ofSeconds(60);

    private DesktopApp() {
    }

    /**
     * JavaFX could not start: a display is named but cannot be opened (an SSH session whose X
     * forwarding has ended, a display that is gone). Nothing of the window exists; the caller can run
     * without it.
     */
    public static final class ToolkitUnavailableException extends Exception {
        public ToolkitUnavailableException(Throwable cause) {
            super(cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
        }

        ToolkitUnavailableException(String why) {
            super(why);
        }
    }

    /** Told on the FX thread when the window's first frame with the people list has been painted. */
    @FunctionalInterface
    public interface FirstFrameListener {
        /** {@code closeWindow} closes the window as the user would (from any thread). */
        void painted(Runnable closeWindow);
    }

    /**
     * Opens the window; returns when the user closed it (the caller then closes the service). The
     * window's settings are read from and written back to {@code settingsFile} on the caller's thread;
     * {@code preferences} (what the settings dialog changes for the core) are saved there too.
     */
    public static void run(ChatService chat, Path settingsFile, Preferences preferences)
            throws InterruptedException, ToolkitUnavailableException {
        run(chat, settingsFile, preferences, closeWindow -> { });
    }

    /** As {@link #run(ChatService, Path, Preferences)}, and tells {@code firstFrame} when the window is on screen. */
    public static void run(ChatService chat, Path settingsFile, Preferences preferences, FirstFrameListener firstFrame)
            throws InterruptedException, ToolkitUnavailableException {
        run(chat, settingsFile, preferences, new OpenRequests(), () -> { }, firstFrame);
    }

    /**
     * As above; what later launches ask ({@code requests}: come to the front, open an invite link) goes
     * to the window once it is there, and {@code toolkitUp} is told (on the caller's thread) once JavaFX
     * has started.
     */
    public static void run(ChatService chat, Path settingsFile, Preferences preferences, OpenRequests requests,
                           Runnable toolkitUp, FirstFrameListener firstFrame)
            throws InterruptedException, ToolkitUnavailableException {
        // First the toolkit: without it there is no window to make, nothing to save, nothing to exit
        // (Platform.exit() on a toolkit that never started waits for it forever).
        EarlyStart.begin(); // usually begun already, beside the core's making
        try {
            // Bounded: an error on the FX thread while JavaFX starts is swallowed there, and startup never returns.
            EarlyStart.toolkit().orElseThrow().get(TOOLKIT_START_AT_MOST.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException mistake) {
                throw mistake; // started twice, or after an exit: our mistake, not the machine's
            }
            throw new ToolkitUnavailableException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ToolkitUnavailableException("JavaFX did not start within " + TOOLKIT_START_AT_MOST.toSeconds() + " s");
        }
        toolkitUp.run();
        UiSettings settings = UiSettings.load(settingsFile);
        settings.systemPrefersDark(EarlyStart.prefersDark().map(CompletableFuture::join)
                .orElseGet(SystemTheme::prefersDark));
        CountDownLatch closed = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failed = new java.util.concurrent.atomic.AtomicReference<>();
        // The window's own work off the FX thread (never the common pool); it ends with the window.
        ExecutorService background = Threads.pool("pronto-ui-background", BACKGROUND_THREADS);
        Notifier notifier = NotifySendNotifier.forThisDesktop();
        Runnable open = () -> {
            try {
                StartupMoments.note("window-building");
                FxEvents events = new FxEvents(Platform::runLater);
                // Listen first: what happens while the window is being built waits in the FX queue.
                chat.addListener(events);
                MainWindow window = new MainWindow(chat, events, Platform::runLater, background, settings, preferences,
                        notifier);
                StartupMoments.note("window-made");
                Stage stage = new Stage();
                window.attach(stage);
                StartupMoments.note("window-attached");
                stage.getIcons().add(new Image(DesktopApp.class.getResource("icon-64.png").toExternalForm()));
                stage.setMinWidth(720);
                stage.setMinHeight(480);
                if (!Double.isNaN(settings.x()) && onSomeScreen(settings.x(), settings.y())) {
                    stage.setX(settings.x());
                    stage.setY(settings.y());
                }
                stage.setOnHidden(event -> {
                    requests.handledBy(request -> { }); // the window is gone: a late launch finds nobody to raise
                    settings.window(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
                    closed.countDown();
                });
                window.whenFirstPainted(() -> firstFrame.painted(() -> Platform.runLater(stage::hide)));
                StartupMoments.note("window-showing");
                stage.show();
                StartupMoments.note("window-shown");
                requests.handledBy(request -> Platform.runLater(() -> {
                    stage.setIconified(false);
                    stage.toFront();
                    request.link().ifPresent(window::openAddSomeone);
                }));
            } catch (RuntimeException e) {
                // No window: say so and end, rather than keep running unseen.
                failed.set(e);
                closed.countDown();
            }
        };
        Platform.runLater(open);
        closed.await();
        Threads.shutdown(background, BACKGROUND_FINISH_WITHIN); // a settings save in flight ends before the one below
        notifier.close();
        if (failed.get() != null) {
            Platform.exit();
            throw new IllegalStateException("the window could not open: " + failed.get(), failed.get());
        }
        try {
            // Preferences first: an older ui.properties holds them until the window's settings are
            // saved, so a failure here must leave that file as it is.
            preferences.save();
            settings.save();
        } catch (IOException e) {
            LOG.warn("could not save the settings: {}", e.getMessage());
        }
        Platform.exit();
    }

    /**
     * For {@code --self-test}: loads JavaFX's controls and its native glass layer, and starts the
     * toolkit when there is a display; catches a runtime that lacks JavaFX's modules or libraries.
     */
    public static String selfTest(boolean startToolkit) throws Exception {
        ClassLoader loader = DesktopApp.class.getClassLoader();
        Class.forName("javafx.scene.control.ListView", false, loader);
        Class.forName("com.sun.glass.ui.Application", false, loader);
        if (!startToolkit) {
            return "JavaFX classes load (no display: toolkit not started)";
        }
        CountDownLatch started = new CountDownLatch(1);
        Rendering.chooseForThisMachine();
        Platform.startup(started::countDown);
        if (!started.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the JavaFX toolkit did not start within 10 s");
        }
        String drawing = Rendering.describe();
        Platform.exit();
        return "JavaFX " + System.getProperty("javafx.runtime.version", "") + " toolkit started; " + drawing;
    }

    /** A saved position is used only if a screen still shows it (a monitor may be gone). */
    private static boolean onSomeScreen(double x, double y) {
        return Screen.getScreens().stream().anyMatch(screen -> screen.getVisualBounds().contains(x + 40, y + 20));
    }
}
