package chat.pronto.ui;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;

import org.testfx.api.FxRobot;

import chat.pronto.settings.Preferences;
import chat.pronto.testing.FakeChatService;
import chat.pronto.threads.Threads;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.settings.UiSettings;

/** The real window over a chat service the test drives; dialogs a test left open are closed after it. */
final class WindowOverFake {
    final FakeChatService chat = new FakeChatService();
    private final ExecutorService background = Threads.pool("pronto-ui-background", 2);

    /** Builds the window on {@code stage} and shows it (FX thread: a {@code @Start} method). */
    MainWindow show(Stage stage) {
        FxEvents events = new FxEvents(Platform::runLater);
        chat.addListener(events);
        MainWindow window = new MainWindow(chat, events, Platform::runLater, background, UiSettings.load(null),
                Preferences.inMemory(), Notifier.NONE);
        window.attach(stage);
        stage.show();
        return window;
    }

    /** Dialogs a test left open would otherwise answer the next test's lookups. */
    void closeDialogsAndStop(FxRobot robot) {
        robot.interact(() -> List.copyOf(Window.getWindows()).stream()
                .filter(open -> open instanceof Stage stage && stage.getOwner() != null).forEach(Window::hide));
        Threads.shutdown(background, Duration.ofSeconds(2));
    }
}
