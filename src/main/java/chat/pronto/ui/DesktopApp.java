package chat.pronto.ui;

import java.util.concurrent.CountDownLatch;

import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import chat.pronto.session.ChatService;
import chat.pronto.ui.common.FxEvents;

/**
 * Starts the desktop window over a chat service and blocks until it is closed. No
 * {@code Application} subclass: the toolkit is started directly, so the service is simply passed in.
 */
public final class DesktopApp {
    private DesktopApp() {
    }

    /** Opens the window; returns when the user closed it (the caller then closes the service). */
    public static void run(ChatService chat) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            FxEvents events = new FxEvents(Platform::runLater);
            MainWindow window = new MainWindow(chat, events, Platform::runLater);
            chat.addListener(events);
            Stage stage = new Stage();
            window.attach(stage);
            stage.getIcons().add(new Image(DesktopApp.class.getResource("icon-64.png").toExternalForm()));
            stage.setMinWidth(720);
            stage.setMinHeight(480);
            stage.setOnHidden(event -> closed.countDown());
            window.scene().getAccelerators().put(
                    new javafx.scene.input.KeyCodeCombination(javafx.scene.input.KeyCode.Q,
                            javafx.scene.input.KeyCombination.SHORTCUT_DOWN), stage::hide);
            stage.show();
        });
        closed.await();
        Platform.exit();
    }
}
