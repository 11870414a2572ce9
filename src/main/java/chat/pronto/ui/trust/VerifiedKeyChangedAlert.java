package chat.pronto.ui.trust;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;

import chat.pronto.session.ChatEvent;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.ui.common.Icons;

/**
 * The key of someone the user had verified changed: unlike a key merely trusted on first use, this is
 * what an impostor looks like, so it blocks the window until answered, in red, and trusting the new key
 * needs a tick saying it was compared first. Keep refusing is the default (Enter, Escape).
 */
public final class VerifiedKeyChangedAlert extends Alert {
    public static final ButtonType KEEP_REFUSING = new ButtonType("Keep refusing", ButtonBar.ButtonData.CANCEL_CLOSE);
    public static final ButtonType TRUST = new ButtonType("Trust the new key", ButtonBar.ButtonData.OTHER);

    public VerifiedKeyChangedAlert(Window owner, ChatEvent.KeyChanged changed, String name) {
        super(AlertType.ERROR, "", TRUST, KEEP_REFUSING);
        Dialogs.themed(this, owner);
        initModality(Modality.APPLICATION_MODAL);
        setTitle("The verified key of " + name + " changed");
        setHeaderText("The verified key of " + name + " changed");
        setGraphic(Icons.shield());
        getDialogPane().getStyleClass().add("verified-key-changed");

        Label what = new Label("You had verified " + name + " (" + changed.peer() + "), but the key presented now"
                + " is a different one. This is what it looks like when someone else uses their name. Messages"
                + " to " + name + " are held back and nothing is sent until you decide.");
        what.setWrapText(true);
        what.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        what.getStyleClass().add("danger-text");
        javafx.scene.layout.GridPane keys = new javafx.scene.layout.GridPane();
        keys.setHgap(14);
        keys.setVgap(8);
        keys.addRow(0, title("Verified key"), key(changed.pinned()));
        keys.addRow(1, title("Key now"), key(changed.presented()));
        Label advice = new Label("If they really reinstalled Pronto, compare the new key with " + name
                + " in person or on a call before trusting it.");
        advice.setWrapText(true);
        advice.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        CheckBox compared = new CheckBox("I compared the new key with " + name + " and it matches");
        compared.getStyleClass().add("compared-new-key");
        VBox content = new VBox(12, what, keys, advice, compared);
        content.setPrefWidth(560);
        getDialogPane().setContent(content);

        Button trust = (Button) getDialogPane().lookupButton(TRUST);
        trust.disableProperty().bind(compared.selectedProperty().not());
        trust.setDefaultButton(false);
        trust.getStyleClass().add("danger-button");
        ((Button) getDialogPane().lookupButton(KEEP_REFUSING)).setDefaultButton(true);
    }

    /** Whether the user chose to trust the new key (after comparing it); blocks until answered. */
    public boolean askTrust() {
        return showAndWait().filter(TRUST::equals).isPresent();
    }

    private static Label title(String text) {
        Label title = new Label(text);
        title.getStyleClass().add("key-title");
        return title;
    }

    /** Two lines of eight groups, as on the verification screen (as given when it is not a fingerprint). */
    private static Label key(String shown) {
        Label key = new Label(KeyText.hex(shown).map(KeyText::grouped).orElse(shown));
        key.getStyleClass().add("fingerprint");
        key.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return key;
    }
}
