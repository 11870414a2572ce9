package chat.pronto.ui.common;

import javafx.scene.Scene;
import javafx.scene.control.Dialog;
import javafx.stage.Window;

/** Dialogs wear the window's theme: a dialog's scene does not inherit the owner's style sheets. */
public final class Dialogs {
    private Dialogs() {
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
