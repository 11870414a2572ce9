package chat.pronto.ui.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
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
        list.setCellFactory(new ContactCellFactory().withVerify(item -> { }));
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

    /**
     * The list makes a screenful of cells at its start, nearly all empty; each tooltip and menu is a popup
     * window of its own, so they are made only once a row shows someone (issue 13: the first frame).
     */
    @Test
    void emptyRowsMakeNoPopupsAndAShownIconStillExplainsItself(FxRobot robot) {
        java.util.List<ContactCell> cells = robot.lookup(".list-cell").queryAllAs(ContactCell.class)
                .stream().toList();
        assertTrue(cells.stream().filter(ContactCell::isEmpty).count() >= 3, "the 200 px list has empty rows");
        for (ContactCell cell : cells) {
            if (cell.isEmpty()) {
                assertNull(cell.getContextMenu());
            }
            cell.icons().forEach(icon -> assertNull(icon.getTooltip(), "a tooltip for an icon nobody has shown"));
        }
        // Bob's row, and at most the cell the list measured him with: not one per cell.
        assertTrue(cells.stream().filter(cell -> cell.whoseTooltip() != null).count() <= 2,
                "cells that made a name tooltip, of " + cells.size());
        ContactCell bobs = cells.stream().filter(cell -> cell.getItem() == bob).findFirst().orElseThrow();
        assertEquals("Verify key…", bobs.getContextMenu().getItems().get(0).getText());
        assertEquals("bob@teaparty", bobs.getTooltip().getText());

        robot.interact(() -> bob.linkProperty().set(LinkSecurity.ENCRYPTED));
        Tooltip lock = robot.lookup(".link-encrypted").queryAs(Label.class).getTooltip();
        assertEquals("Encrypted, key pinned", lock.getText());
        robot.interact(() -> bob.linkProperty().set(LinkSecurity.LEGACY));
        assertEquals("Not encrypted: anyone on this network can read it",
                robot.lookup(".link-plain").queryAs(Label.class).getTooltip().getText());
    }

    /**
     * A long name with its marks must not make the row wider than the list (found in the window: a
     * peer reached by address with a new key pushed the list into scrolling sideways, the "new key"
     * mark cut in half and the unread count out of sight). The words give way (ellipsis), the marks do not.
     */
    @Test
    void aLongRowFitsTheListAndKeepsItsMarksWhole(FxRobot robot) {
        ContactItem alice = new ContactItem(PeerId.of("alice.with.a.long.name@a-machine-with-a-long-name"));
        robot.interact(() -> {
            alice.directProperty().set(true);
            alice.statusMessageProperty().set("back in five minutes, probably more like ten");
            alice.linkProperty().set(LinkSecurity.ENCRYPTED);
            alice.keyIsNewProperty().set(true);
            alice.unreadProperty().set(301);
            items.add(alice);
        });
        robot.interact(() -> { }); // one more pulse: the list lays out the new row

        Label badge = robot.lookup(".unread-badge").queryAs(Label.class);
        Label fresh = robot.lookup(".key-new").queryAs(Label.class);
        ListView<?> list = robot.lookup(".list-view").queryAs(ListView.class);
        double listRight = list.localToScene(list.getLayoutBounds()).getMaxX();
        for (Label mark : java.util.List.of(badge, fresh)) {
            javafx.geometry.Bounds shown = mark.localToScene(mark.getLayoutBounds());
            assertTrue(shown.getMaxX() <= listRight, mark.getText() + " ends at " + shown.getMaxX() + ", the list at " + listRight);
            assertTrue(mark.getWidth() >= mark.prefWidth(-1) - 0.5, mark.getText() + " is cut: " + mark.getWidth() + " of " + mark.prefWidth(-1));
        }
        assertEquals("99+", badge.getText());
        boolean sideways = robot.lookup(".scroll-bar").queryAllAs(javafx.scene.control.ScrollBar.class).stream()
                .anyMatch(bar -> bar.getOrientation() == javafx.geometry.Orientation.HORIZONTAL && bar.isVisible());
        assertTrue(!sideways, "the list scrolls sideways");
        Label detail = robot.lookup(".contact-detail").queryAllAs(Label.class).stream()
                .filter(label -> label.getText().startsWith("alice.")).findFirst().orElseThrow();
        assertTrue(detail.getWidth() < detail.prefWidth(-1), "the words give way: " + detail.getWidth());
    }
}
