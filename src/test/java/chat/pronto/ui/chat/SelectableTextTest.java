package chat.pronto.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.VBox;
import javafx.scene.shape.MoveTo;
import javafx.scene.text.Text;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A message's text is selected and copied with the mouse and the keys people use in any text. */
@ExtendWith(ApplicationExtension.class)
class SelectableTextTest {
    private static final String FIRST = "Tea at six in the garden?";
    private static final String SECOND = "Only if the hatter is not invited";
    private SelectableText first;
    private SelectableText second;

    @Start
    void start(Stage stage) {
        first = new SelectableText(FIRST);
        second = new SelectableText(SECOND);
        stage.setScene(new Scene(new VBox(20, first, second), 400, 200));
        stage.show();
    }

    @Test
    void aDragSelectsTheWordsItCrossesAndTheCopyKeysCopyThem(FxRobot robot) throws Exception {
        int from = FIRST.indexOf("six");
        int to = FIRST.indexOf(" garden");
        robot.drag(at(first, from), MouseButton.PRIMARY).dropTo(at(first, to));

        assertEquals("six in the", fx(first::selectedText));
        robot.press(KeyCode.CONTROL).type(KeyCode.C).release(KeyCode.CONTROL);
        assertEquals("six in the", fx(() -> Clipboard.getSystemClipboard().getString()));
    }

    @Test
    void aDoubleClickSelectsAWordAndSelectingAnotherMessageClearsIt(FxRobot robot) throws Exception {
        robot.doubleClickOn(at(first, FIRST.indexOf("garden") + 2), MouseButton.PRIMARY);
        assertEquals("garden", fx(first::selectedText));

        robot.doubleClickOn(at(second, SECOND.indexOf("hatter") + 1), MouseButton.PRIMARY);
        assertEquals("hatter", fx(second::selectedText));
        assertEquals("", fx(first::selectedText), "one selection at a time, as in a page");
    }

    /** On the right half of a word's last letter the caret would go after the word: the word is still what was hit. */
    @Test
    void aDoubleClickOnAWordsLastLetterSelectsThatWord(FxRobot robot) throws Exception {
        robot.doubleClickOn(at(first, FIRST.indexOf("six") + 3).add(-1.5, 0), MouseButton.PRIMARY);
        assertEquals("six", fx(first::selectedText));
    }

    /** A row of the list shows one message after another: the next one starts with nothing selected. */
    @Test
    void anotherMessageInTheSameTextStartsAfresh(FxRobot robot) throws Exception {
        robot.clickOn(at(first, 20), MouseButton.PRIMARY);
        robot.interact(() -> first.setText("Another message entirely"));
        robot.press(KeyCode.SHIFT).clickOn(at(first, 3), MouseButton.PRIMARY).release(KeyCode.SHIFT);
        assertEquals("", fx(first::selectedText), "a shift-click on a new message places the caret");
    }

    /** Copying a message needs no mouse: Tab reaches it, Ctrl+C copies it. */
    @Test
    void theKeyboardAloneReachesAndCopiesAMessage(FxRobot robot) throws Exception {
        robot.interact(() -> first.getScene().getRoot().requestFocus());
        robot.type(KeyCode.TAB);
        assertTrue(fx(first::isFocused), "Tab reaches the first message");
        robot.press(KeyCode.CONTROL).type(KeyCode.C).release(KeyCode.CONTROL);
        assertEquals(FIRST, fx(() -> Clipboard.getSystemClipboard().getString()));
    }

    @Test
    void selectAllAndTheMenuCopyTheWholeMessage(FxRobot robot) throws Exception {
        robot.clickOn(at(second, 3), MouseButton.PRIMARY);
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        assertEquals(SECOND, fx(second::selectedText));

        // Nothing selected in the first: its menu offers the whole message. (The headless toolkit turns no
        // click into a menu request, as the desktop's does: the request itself, where the click would be.)
        Point2D point = at(first, 3);
        robot.interact(() -> {
            Point2D local = first.screenToLocal(point);
            first.fireEvent(new javafx.scene.input.ContextMenuEvent(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    local.getX(), local.getY(), point.getX(), point.getY(), false, null));
        });
        robot.clickOn("Copy message");
        assertEquals(FIRST, fx(() -> Clipboard.getSystemClipboard().getString()));
    }

    @Test
    void aNarrowTextWrapsAndItsBoxHoldsEveryLine(FxRobot robot) throws Exception {
        String body = "A sentence long enough to wrap over several lines in a narrow bubble, as people write.";
        SelectableText text = new SelectableText(body);
        robot.interact(() -> {
            text.setWidest(150);
            ((VBox) first.getParent()).getChildren().add(text);
        });
        WaitForAsyncUtils.waitForFxEvents();
        Text shown = (Text) fx(() -> text.lookup(".message-body"));
        double line = fx(() -> {
            Text one = new Text("x");
            one.setFont(shown.getFont());
            return one.getLayoutBounds().getHeight();
        });
        assertTrue(fx(text::getWidth) <= 150 + 0.5, "no wider than allowed: " + fx(text::getWidth));
        assertTrue(fx(() -> shown.getLayoutBounds().getHeight()) >= 3 * line, "wrapped into several lines");
        assertTrue(fx(() -> shown.getBoundsInParent().getMaxY()) <= fx(text::getHeight) + 0.5,
                "every line inside the box: " + fx(() -> shown.getBoundsInParent()) + " in " + fx(text::getHeight));
        assertEquals(fx(() -> shown.getLayoutBounds().getHeight()), fx(text::getHeight), 1.0,
                "no room left under the last line either");
    }

    /** Where the robot points at the gap before character {@code index}, half-way down its line. */
    private static Point2D at(SelectableText selectable, int index) throws Exception {
        return fx(() -> {
            Text text = (Text) selectable.lookup(".message-body");
            javafx.scene.shape.PathElement[] caret = text.caretShape(index, true);
            MoveTo top = (MoveTo) caret[0];
            javafx.scene.shape.LineTo bottom = (javafx.scene.shape.LineTo) caret[1];
            return text.localToScreen(top.getX() + 0.5, (top.getY() + bottom.getY()) / 2);
        });
    }

    private static <T> T fx(java.util.concurrent.Callable<T> question) throws Exception {
        return WaitForAsyncUtils.asyncFx(question).get(5, TimeUnit.SECONDS);
    }
}
