package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import chat.pronto.model.PeerId;
import chat.pronto.model.SavedPeer;
import chat.pronto.testing.FakeChatService;

/** "People added by address…": the saved peers listed, and forgotten one by one. */
@ExtendWith(ApplicationExtension.class)
class SavedPeersUiTest {
    private static final PeerId BOB = PeerId.of("bob@builder");
    private final WindowOverFake fixture = new WindowOverFake();
    private final FakeChatService chat = fixture.chat;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = fixture.show(stage);
    }

    @AfterEach
    void closeDialogs(FxRobot robot) {
        fixture.closeDialogsAndStop(robot);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
    }

    private static List<String> texts(FxRobot robot, String query) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> robot.lookup(query).queryAll().stream().filter(Visible::onScreen)
                .map(node -> ((Label) node).getText()).toList()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachSavedPeerIsListedWithWhereAndHowItWasAdded(FxRobot robot) throws Exception {
        chat.saved.addAll(List.of(new SavedPeer(BOB, "192.168.1.20", 5298, SavedPeer.Origin.ADDRESS),
                new SavedPeer(PeerId.of("carol@garden"), "10.0.0.7", 5299, SavedPeer.Origin.INVITE),
                new SavedPeer(PeerId.of("dave@cellar"), "10.8.0.3", 0, SavedPeer.Origin.REACHED_US)));
        MenuItem item = WaitForAsyncUtils.asyncFx(() -> ((MenuButton) Visible.node(robot, ".app-menu")).getItems()
                .stream().filter(entry -> "People added by address…".equals(entry.getText())).findFirst()
                .orElseThrow()).get(10, TimeUnit.SECONDS);
        robot.interact(item::fire);
        waitUntil(() -> Visible.find(robot, ".saved-peer").isPresent());

        assertEquals(List.of("bob@builder", "carol@garden", "dave@cellar"), texts(robot, ".saved-peer-name"));
        assertEquals(List.of("192.168.1.20:5298 · added by address", "10.0.0.7:5299 · added from an invite link",
                "10.8.0.3 · port not known yet · they reached you"), texts(robot, ".saved-peer-detail"));
    }

    @Test
    void forgetAsksTheServiceAndTakesTheRowAwayUntilNobodyIsLeft(FxRobot robot) throws Exception {
        chat.saved.addAll(List.of(new SavedPeer(BOB, "192.168.1.20", 5298, SavedPeer.Origin.ADDRESS),
                new SavedPeer(PeerId.of("carol@garden"), "10.0.0.7", 5299, SavedPeer.Origin.INVITE)));
        robot.interact(window::openSavedPeers);
        waitUntil(() -> Visible.find(robot, ".saved-peer").isPresent());

        Visible.click(robot, ".forget-peer");
        waitUntil(() -> robot.lookup(".saved-peer").queryAll().size() == 1);
        assertEquals(List.of(BOB), chat.forgotten);
        assertEquals(List.of("carol@garden"), texts(robot, ".saved-peer-name"));

        Visible.click(robot, ".forget-peer");
        waitUntil(() -> robot.lookup(".saved-peer").queryAll().isEmpty());
        assertEquals(List.of(BOB, PeerId.of("carol@garden")), chat.forgotten);
        assertTrue(chat.saved.isEmpty());
        assertTrue(texts(robot, ".saved-peers-state").get(0).startsWith("Nobody yet."), "the empty list says so");
    }

    @Test
    void withNobodySavedTheListSaysSo(FxRobot robot) throws Exception {
        robot.interact(window::openSavedPeers);
        waitUntil(() -> Visible.find(robot, ".saved-peers-state").isPresent()
                && texts(robot, ".saved-peers-state").get(0).startsWith("Nobody yet."));
        assertTrue(Visible.find(robot, ".saved-peer").isEmpty());
    }
}
