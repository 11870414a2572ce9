package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.model.TrafficLine;
import chat.pronto.settings.Preferences;
import chat.pronto.testing.FakeChatService;
import chat.pronto.threads.Threads;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.console.ConsoleViewModel;
import chat.pronto.ui.settings.UiSettings;

/** The debug console window over a chat service the test drives. */
@ExtendWith(ApplicationExtension.class)
class ConsoleUiTest {
    private final FakeChatService chat = new FakeChatService();
    private final ExecutorService background = Threads.pool("pronto-ui-background", 2);
    private final ExecutorService presence = Threads.single("pronto-test-presence");
    private MainWindow window;

    @Start
    void start(Stage stage) {
        FxEvents events = new FxEvents(Platform::runLater);
        chat.addListener(events);
        chat.answerFrom = presence; // contacts come back from another thread, as the real service's do
        window = new MainWindow(chat, events, Platform::runLater, background, UiSettings.load(null),
                Preferences.inMemory(), Notifier.NONE);
        window.attach(stage);
        stage.show();
    }

    @AfterEach
    void stopExecutors() {
        Threads.shutdown(background, Duration.ofSeconds(2));
        Threads.shutdown(presence, Duration.ofSeconds(2));
    }

    @Test
    void theRecipientListOffersEveryoneSeenAndTheMdnsLineDescribesTheOneTyped(FxRobot robot) throws Exception {
        chat.seen.put(PeerId.of("bob@teaparty"), FakeChatService.contact("bob@teaparty", "Bob", Status.AWAY,
                "at lunch", LinkSecurity.ENCRYPTED));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        ComboBox<String> to = robot.lookup(".console ComboBox").query();

        robot.interact(() -> to.getEditor().setText("bob@teaparty"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> robot.lookup(".console-mdns").queryLabeled().getText().contains("status=away msg=at lunch"));
        robot.interact(() -> to.getEditor().setText("nobody@nowhere"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> robot.lookup(".console-mdns").queryLabeled().getText().equals("mDNS: not seen"));

        robot.interact(to::show);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> to.getItems().equals(List.of("bob@teaparty")));
        robot.interact(to::hide);
    }

    private static TrafficLine line(boolean incoming, String xml) {
        return new TrafficLine(Instant.now(), 7, "bob@teaparty", incoming, xml, true);
    }

    @Test
    void trafficShowsFiltersPausesAndAnIqAnswerIsMatchedById(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.D).release(KeyCode.D, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".console-log").tryQuery().isPresent(), "Ctrl+Shift+D opens the console");

        chat.traffic(line(false, "<message to='bob@teaparty'><body>out</body></message>"));
        chat.traffic(line(true, "<message from='bob@teaparty'><body>in</body></message>"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, robot.lookup(".console-log").queryListView().getItems().size());

        robot.interact(() -> robot.lookup(".console-toolbar .choice-box")
                .<javafx.scene.control.ChoiceBox<ConsoleViewModel.Show>>query().setValue(ConsoleViewModel.Show.IN));
        assertEquals(1, robot.lookup(".console-log").queryListView().getItems().size(), "incoming only");
        robot.interact(() -> robot.lookup(".console-toolbar .choice-box")
                .<javafx.scene.control.ChoiceBox<ConsoleViewModel.Show>>query().setValue(ConsoleViewModel.Show.ALL));

        robot.clickOn("Pause");
        chat.traffic(line(true, "<presence from='bob@teaparty'/>"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, robot.lookup(".console-log").queryListView().getItems().size(), "held while paused");
        robot.clickOn("Pause");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3, robot.lookup(".console-log").queryListView().getItems().size(), "shown on resume");

        robot.interact(() -> {
            robot.lookup(".console ComboBox").<ComboBox<String>>query().getEditor().setText("bob@teaparty");
            robot.lookup(".console-compose").<TextArea>query().setText("<iq type='get' id='q1'><ping xmlns='urn:xmpp:ping'/></iq>");
        });
        robot.clickOn(".console .send-button");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !chat.raw.isEmpty());
        assertTrue(chat.raw.get(0).startsWith("bob@teaparty <iq type='get' id='q1'>"), chat.raw.get(0));
        WaitForAsyncUtils.waitForFxEvents();
        chat.traffic(line(true, "<iq type='result' id='q1' from='bob@teaparty'/>"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> robot.lookup(".console-iq").queryLabeled().getText().startsWith("iq q1: result after"));
    }
}
