package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import chat.pronto.model.DeliveryState;
import chat.pronto.session.ChatEvent;
import chat.pronto.settings.Preferences;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;
import chat.pronto.threads.Threads;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.settings.UiSettings;

/** The window over a real core (streams, TLS, history) chatting with a second real core on 127.0.0.1. */
@ExtendWith(ApplicationExtension.class)
class EndToEndUiTest {
    private ChatCore alice;
    private ChatCore bob;
    private final ExecutorService background = Threads.pool("pronto-ui-background", 2);

    @Start
    void start(Stage stage) throws Exception {
        FakeLink link = new FakeLink();
        alice = ChatCore.on(link, "alice@wonderland").start();
        bob = ChatCore.on(link, "bob@teaparty").start();
        FxEvents events = new FxEvents(Platform::runLater);
        alice.chat.addListener(events);
        new MainWindow(alice.chat, events, Platform::runLater, background, UiSettings.load(null),
                Preferences.inMemory(), Notifier.NONE).attach(stage);
        stage.show();
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        Threads.shutdown(background, Duration.ofSeconds(2));
    }

    @Test
    void aMessageFromAnotherCoreShowsAndTheReplyTypedInTheWindowReachesIt(FxRobot robot) throws Exception {
        bob.chat.send(alice.id(), "Hello from the other core").get();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup(".unread-badge").tryQuery().isPresent());

        Visible.click(robot, "bob");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup("Hello from the other core").tryQuery().isPresent());
        robot.write("Hello back, from the window").type(KeyCode.ENTER);

        bob.events.awaitReceived("Hello back, from the window");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".delivery-delivered").tryQuery().isPresent());
        assertTrue(alice.events.find(ChatEvent.MessageUpdated.class,
                updated -> updated.message().state() == DeliveryState.DELIVERED).isPresent());
        // Bob's key was taken on first use just now: encrypted, and shown as new until confirmed.
        assertEquals("Encrypted · new key", robot.lookup(".security-badge").queryLabeled().getText());
    }

    @Test
    void aStanzaComposedInTheDebugConsoleReachesTheOtherCoreAndItsAnswerShows(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            robot.lookup(".console ComboBox").<javafx.scene.control.ComboBox<String>>query().getEditor()
                    .setText("bob@teaparty");
            robot.lookup(".console-compose").<javafx.scene.control.TextArea>query()
                    .setText("<iq type='get' id='e2e-ping'><ping xmlns='urn:xmpp:ping'/></iq>");
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup(".console-mdns").queryLabeled().getText().contains("127.0.0.1"));
        robot.clickOn(".console .send-button");
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                    () -> robot.lookup(".console-iq").queryLabeled().getText().startsWith("iq e2e-ping: result after"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("iq: " + robot.lookup(".console-iq").queryLabeled().getText() + " problem: "
                    + robot.lookup(".console .problem").queryLabeled().getText() + " log: "
                    + robot.lookup(".console-log").queryListView().getItems(), e);
        }
        // The raw XML both ways is in the log.
        assertTrue(robot.lookup(".console-log").queryListView().getItems().stream()
                .anyMatch(item -> item.toString().contains("e2e-ping")));
    }
}
