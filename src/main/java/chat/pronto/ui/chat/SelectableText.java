package chat.pronto.ui.chat;

import java.lang.ref.WeakReference;
import java.text.BreakIterator;

import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.Cursor;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.shape.Path;
import javafx.scene.text.Text;

/**
 * A message's text that wraps, fits its lines and can be selected and copied like a read-only text area's,
 * at a fraction of its cost: one {@link Text} and the selection's shape, where a text area brings a skin,
 * a scroll pane and a context menu of its own for every bubble (most of the time a conversation took to
 * open). Drag to select, double-click for a word, triple-click for all; Ctrl+C (⌘C) or the context menu
 * copies; one message's selection at a time, as in a page of text.
 */
final class SelectableText extends Region {
    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination SELECT_ALL = new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN);
    /**
     * Measure the text unwrapped and wrapped: asking the shown text would change its wrapping in the middle
     * of the parent's layout, and every such change asks for another layout.
     */
    private static final Text WIDE = new Text();
    private static final Text WRAPPED = new Text();
    /** The text that holds a selection now: pressing in another clears it. */
    private static WeakReference<SelectableText> selecting = new WeakReference<>(null);
    /**
     * One menu for every message of a window, made the first time someone asks for it, kept on the
     * window's root: a shown menu keeps its owner, which must not keep a closed window alive.
     */
    private static final String MENU_KEY = "pronto.messageTextMenu";

    private final Text text;
    private final Path selection = new Path();
    private double widest = Double.MAX_VALUE;
    private int anchor;

    SelectableText(String body) {
        text = new Text(body);
        text.getStyleClass().add("message-body");
        text.setTextOrigin(VPos.TOP);
        // Selected glyphs keep their colour: the highlight behind them is light enough to read them on.
        text.selectionFillProperty().bind(text.fillProperty());
        selection.getStyleClass().add("message-selection");
        selection.setManaged(false);
        selection.setStroke(null);
        text.selectionShapeProperty().addListener((observable, before, now) -> selection.getElements().setAll(now));
        getChildren().addAll(selection, text);
        getStyleClass().add("message-text");
        setCursor(Cursor.TEXT);
        // Reached with Tab too, as a read-only text area was: copying a message must not need a mouse.
        setFocusTraversable(true);
        setAccessibleRole(AccessibleRole.TEXT);
        setAccessibleText(body);
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        addEventHandler(ContextMenuEvent.CONTEXT_MENU_REQUESTED, this::menuRequested);
    }

    String getText() {
        return text.getText();
    }

    /** Shows {@code body} instead, nothing selected (a row of the list shows one message after another). */
    void setText(String body) {
        if (!body.equals(text.getText())) {
            deselect();
            text.setText(body);
            setAccessibleText(body);
            requestLayout();
        }
    }

    /** What is selected, empty when nothing is. */
    String selectedText() {
        int start = text.getSelectionStart();
        int end = text.getSelectionEnd();
        return start >= 0 && end > start ? text.getText().substring(start, end) : "";
    }

    /** The widest the text may be before it wraps. */
    void setWidest(double width) {
        if (width != widest) {
            widest = width;
            requestLayout();
        }
    }

    void select(int start, int end) {
        SelectableText before = selecting.get();
        if (before != null && before != this) {
            before.deselect();
        }
        selecting = new WeakReference<>(this);
        int length = text.getText().length();
        text.setSelectionStart(Math.max(0, Math.min(start, length)));
        text.setSelectionEnd(Math.max(0, Math.min(end, length)));
    }

    void selectAll() {
        select(0, text.getText().length());
    }

    void deselect() {
        text.setSelectionStart(-1);
        text.setSelectionEnd(-1);
        anchor = 0;
        if (selecting.get() == this) {
            selecting = new WeakReference<>(null);
        }
    }

    /** Puts the selection, or the whole message when nothing is selected, on the clipboard. */
    void copy() {
        String selected = selectedText();
        ClipboardContent content = new ClipboardContent();
        content.putString(selected.isEmpty() ? text.getText() : selected);
        Clipboard.getSystemClipboard().setContent(content);
    }

    @Override
    public Orientation getContentBias() {
        return Orientation.HORIZONTAL;
    }

    @Override
    protected double computeMinWidth(double height) {
        return Math.min(computePrefWidth(height), snappedLeftInset() + snappedRightInset() + 1);
    }

    @Override
    protected double computePrefWidth(double height) {
        WIDE.setFont(text.getFont());
        WIDE.setText(text.getText());
        // A pixel more than the widest line, so that rounding cannot wrap a line that fits.
        double natural = Math.ceil(WIDE.getLayoutBounds().getWidth()) + 1;
        return snappedLeftInset() + Math.min(natural, widest) + snappedRightInset();
    }

    @Override
    protected double computeMaxWidth(double height) {
        return snappedLeftInset() + widest + snappedRightInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computePrefHeight(double width) {
        double inner = (width < 0 ? computePrefWidth(-1) : width) - snappedLeftInset() - snappedRightInset();
        WRAPPED.setFont(text.getFont());
        WRAPPED.setText(text.getText());
        WRAPPED.setWrappingWidth(Math.max(1, inner));
        return snappedTopInset() + Math.ceil(WRAPPED.getLayoutBounds().getHeight()) + snappedBottomInset();
    }

    @Override
    protected void layoutChildren() {
        text.setWrappingWidth(Math.max(1, getWidth() - snappedLeftInset() - snappedRightInset()));
        text.relocate(snappedLeftInset(), snappedTopInset());
        selection.setLayoutX(text.getLayoutX());
        selection.setLayoutY(text.getLayoutY());
    }

    /** Where the caret goes for a press at {@code event}: before or after the character hit, by its half. */
    private int indexAt(MouseEvent event) {
        return hit(event).getInsertionIndex();
    }

    private javafx.scene.text.HitInfo hit(MouseEvent event) {
        Point2D local = text.sceneToLocal(event.getSceneX(), event.getSceneY());
        return text.hitTest(local);
    }

    private void pressed(MouseEvent event) {
        if (event.getButton() != MouseButton.PRIMARY) {
            return;
        }
        requestFocus();
        int at = indexAt(event);
        if (event.getClickCount() >= 3) {
            selectAll();
        } else if (event.getClickCount() == 2) {
            // The character under the pointer, not the caret's place: on a word's last letter's right half
            // the caret goes after the word, and the word is what was clicked.
            selectWordAround(hit(event).getCharIndex());
        } else if (event.isShiftDown() && selecting.get() == this) {
            select(Math.min(anchor, at), Math.max(anchor, at));
        } else {
            anchor = at;
            select(at, at);
        }
        event.consume(); // the list's own press handling would take the focus (and the copy keys) away
    }

    private void dragged(MouseEvent event) {
        if (event.getButton() != MouseButton.PRIMARY) {
            return;
        }
        int at = indexAt(event);
        select(Math.min(anchor, at), Math.max(anchor, at));
        event.consume();
    }

    private void selectWordAround(int at) {
        String all = text.getText();
        if (all.isEmpty()) {
            return;
        }
        BreakIterator words = BreakIterator.getWordInstance();
        words.setText(all);
        int inside = Math.max(0, Math.min(at, all.length() - 1));
        int start = words.preceding(inside + 1);
        int end = words.following(inside);
        anchor = start == BreakIterator.DONE ? 0 : start;
        select(anchor, end == BreakIterator.DONE ? all.length() : end);
    }

    private void keyPressed(KeyEvent event) {
        if (COPY.match(event)) {
            copy();
            event.consume();
        } else if (SELECT_ALL.match(event)) {
            selectAll();
            event.consume();
        }
    }

    private void menuRequested(ContextMenuEvent event) {
        if (getScene() == null) {
            return;
        }
        ContextMenu menu = (ContextMenu) getScene().getRoot().getProperties().computeIfAbsent(MENU_KEY, key -> {
            MenuItem copy = new MenuItem("Copy");
            MenuItem all = new MenuItem("Select all");
            return new ContextMenu(copy, all);
        });
        menu.getItems().get(0).setText(selectedText().isEmpty() ? "Copy message" : "Copy");
        menu.getItems().get(0).setOnAction(action -> copy());
        menu.getItems().get(1).setOnAction(action -> selectAll());
        menu.show(this, event.getScreenX(), event.getScreenY());
        event.consume();
    }
}
