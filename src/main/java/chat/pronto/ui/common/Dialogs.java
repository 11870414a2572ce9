package chat.pronto.ui.common;

import javafx.scene.Scene;
import javafx.scene.control.Dialog;
import javafx.stage.Window;

/** Dialogs wear the window's theme: a dialog's scene does not inherit the owner's style sheets. */
public final class Dialogs {
    private Dialogs() {
    }

    /**
     * Grows (or shrinks) the dialog to its content once laid out: a dialog is sized when shown, and
     * what arrives later (a key, a QR code, a reason under a field) would otherwise be squeezed.
     */
    public static void fit(Dialog<?> dialog) {
        javafx.application.Platform.runLater(() -> {
            Scene scene = dialog.getDialogPane().getScene();
            if (scene != null && scene.getWindow() != null && scene.getWindow().isShowing()) {
                // Styles first: nodes added since the last pulse measure without their padding and fonts.
                scene.getRoot().applyCss();
                scene.getWindow().sizeToScene();
            }
        });
    }

    /** A label that wraps and is never squeezed below the height its lines need. */
    public static javafx.scene.control.Label wrapped(String text, String styleClass) {
        javafx.scene.control.Label label = new javafx.scene.control.Label(text);
        label.setWrapText(true);
        label.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        label.getStyleClass().add(styleClass);
        return label;
    }

    /**
     * One line of text that can be selected and copied (an address, a firewall rule) but looks like a
     * label: a read-only field, since a label's text cannot be selected.
     */
    public static javafx.scene.control.TextField selectable(String text, String styleClass) {
        javafx.scene.control.TextField line = new javafx.scene.control.TextField(text);
        line.setEditable(false);
        line.setFocusTraversable(false);
        line.setMaxWidth(Double.MAX_VALUE);
        line.getStyleClass().addAll("selectable-line", styleClass);
        return line;
    }

    /** A right-click "Copy" that puts {@code text} on the clipboard, for wrapped sentences a label cannot select. */
    public static void copyMenu(javafx.scene.control.Control control, String text) {
        javafx.scene.control.MenuItem copy = new javafx.scene.control.MenuItem("Copy");
        copy.setOnAction(event -> javafx.scene.input.Clipboard.getSystemClipboard()
                .setContent(java.util.Map.of(javafx.scene.input.DataFormat.PLAIN_TEXT, text)));
        control.setContextMenu(new javafx.scene.control.ContextMenu(copy));
    }

    /** Owned by {@code owner} and styled as it is (light or dark); {@code owner} may be null in tests. */
    public static void themed(Dialog<?> dialog, Window owner) {
        if (owner == null) {
            return;
        }
        dialog.initOwner(owner);
        Scene from = owner.getScene();
        Scene scene = dialog.getDialogPane().getScene();
        if (from != null && scene != null) {
            scene.getStylesheets().setAll(from.getStylesheets());
        }
    }
}
