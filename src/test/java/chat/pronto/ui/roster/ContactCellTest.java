package chat.pronto.ui.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;

/**
 * A row keeps its nodes while its peer changes: a click aimed at the name (by a person or a test robot)
 * must not land on a node that an unread count or a key event has just thrown away.
 */
@ExtendWith(ApplicationExtension.class)
class ContactCellTest {
    private final ContactItem bob = new ContactItem(PeerId.of("bob@teaparty"));
    private final ObservableList<ContactItem> items = FXCollections.observableArrayList(item -> new javafx.beans.Observable[] {
            item.unreadProperty(), item.linkProperty(), item.keyIsNewProperty(), item.typingProperty()});

    @Start
    void start(Stage stage) {
        ListView<ContactItem> list = new ListView<>(items);
        list.setCellFactory(new ContactCellFactory());
        items.add(bob);
        stage.setScene(new Scene(list, 320, 200));
        stage.show();
    }

    @Test
    void theRowKeepsItsNodesWhenThePeerChanges(FxRobot robot) {
        Label name = robot.lookup(".contact-name").queryAs(Label.class);
        assertEquals("bob@teaparty", name.getText());

        robot.interact(() -> {
            bob.unreadProperty().set(3);
            bob.linkProperty().set(LinkSecurity.ENCRYPTED);
            bob.keyIsNewProperty().set(true);
            bob.typingProperty().set("typing…");
        });

        assertSame(name, robot.lookup(".contact-name").queryAs(Label.class));
        assertNotNull(name.getScene(), "the name the robot found is still on screen");
        assertEquals("3", robot.lookup(".unread-badge").queryAs(Label.class).getText());
        assertTrue(robot.lookup(".key-new").tryQuery().isPresent());
        assertEquals("bob@teaparty · typing…", robot.lookup(".contact-typing").queryAs(Label.class).getText());

        robot.interact(() -> {
            bob.unreadProperty().set(0);
            bob.keyIsNewProperty().set(false);
            bob.typingProperty().set("");
        });
        assertTrue(robot.lookup(".unread-badge").tryQuery().isEmpty(), "no badge once read");
        assertTrue(robot.lookup(".key-new").tryQuery().isEmpty());
        assertEquals("bob@teaparty", robot.lookup(".contact-detail").queryAs(Label.class).getText());
    }
}
