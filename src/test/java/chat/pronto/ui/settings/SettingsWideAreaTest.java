package chat.pronto.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.settings.Preferences;

/** The settings' wide-area DNS-SD part: folded away when unset, shows what is set, and OK keeps what was typed. */
@ExtendWith(ApplicationExtension.class)
class SettingsWideAreaTest {
    private Stage owner;

    @Start
    void start(Stage stage) {
        owner = stage;
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.StackPane(), 200, 100));
        stage.show();
    }

    private SettingsDialog open(FxRobot robot, Preferences preferences) {
        SettingsDialog[] dialog = new SettingsDialog[1];
        robot.interact(() -> {
            dialog[0] = new SettingsDialog(owner, UiSettings.load(null), preferences, OwnPresence.available("alice"),
                    PeerId.of("alice@wonderland"));
            dialog[0].show();
        });
        return dialog[0];
    }

    @Test
    void unsetItIsFoldedAwayAndWhatIsTypedIsKeptAfterOk(FxRobot robot) {
        Preferences preferences = Preferences.inMemory();
        SettingsDialog dialog = open(robot, preferences);
        TitledPane pane = robot.lookup(".wide-area-settings").queryAs(TitledPane.class);
        assertFalse(pane.isExpanded(), "few need it: folded away");

        robot.interact(() -> {
            pane.setExpanded(true);
            ((TextField) robot.lookup(".wide-area-settings .text-field").queryAll().iterator().next())
                    .setText("chat.example.org, lab.test");
        });
        robot.interact(() -> dialog.apply(UiSettings.load(null), preferences, OwnPresence.available("alice")));
        assertEquals(List.of("chat.example.org", "lab.test"), preferences.dnsSd().domains());
        assertFalse(preferences.dnsSd().askNetwork());
        robot.interact(dialog::close);
    }

    @Test
    void whatIsSetShowsOpened(FxRobot robot) {
        Preferences preferences = Preferences.inMemory();
        preferences.dnsSd(new Preferences.DnsSd(List.of("lab.test"), true, "chat.lab.test", "10.0.0.53", "/k"));
        SettingsDialog dialog = open(robot, preferences);
        TitledPane pane = robot.lookup(".wide-area-settings").queryAs(TitledPane.class);
        assertTrue(pane.isExpanded());
        assertTrue(robot.lookup(".wide-area-settings .text-field").queryAll().stream()
                .map(node -> ((TextField) node).getText()).toList()
                .containsAll(List.of("lab.test", "chat.lab.test", "10.0.0.53", "/k")));
        robot.interact(() -> dialog.apply(UiSettings.load(null), preferences, OwnPresence.available("alice")));
        assertEquals(new Preferences.DnsSd(List.of("lab.test"), true, "chat.lab.test", "10.0.0.53", "/k"),
                preferences.dnsSd(), "unchanged by OK");
        robot.interact(dialog::close);
    }
}
