package chat.pronto.ui.trust;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import chat.pronto.model.SafetyCode;
import chat.pronto.session.ChatService;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.ui.common.Icons;
import chat.pronto.ui.common.QrCode;
import chat.pronto.ui.roster.ContactItem;
import chat.pronto.words.Sentences;

/**
 * Verifying one person's key: both fingerprints, the safety code both screens derive from them (digits
 * to read aloud, colours to compare at a glance), our invite link to scan, and the verified mark to
 * set or take away. Follows the contact while open (a key pinned meanwhile shows). FX thread only.
 */
public final class VerifyDialog extends Dialog<Void> {
    private final ChatService chat;
    private final Executor fx;
    private final ContactItem contact;
    private final String name;
    private final Label ownKey = new Label("…");
    private final Label theirKey = new Label();
    private final Label digits = new Label();
    private final StackPane grid = new StackPane();
    private final ImageView qr = new ImageView();
    private final Label state = new Label();
    private final Label problem = new Label();
    private final Button mark = new Button("Mark as verified", Icons.shieldCheck());
    private final Button unmark = new Button("Remove verification");
    /** As the core last said, or as we just set it (the contact event follows). */
    private final BooleanProperty verified = new SimpleBooleanProperty();
    private String own;
    private boolean busy;

    public VerifyDialog(Window owner, ChatService chat, Executor fx, ContactItem contact) {
        this.chat = chat;
        this.fx = fx;
        this.contact = contact;
        this.name = contact.displayNameProperty().get();
        Dialogs.themed(this, owner);
        setTitle("Verify " + name);
        setHeaderText("Is this really " + name + "?");
        getDialogPane().getStyleClass().add("verify");
        getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);

        Label explain = new Label("Compare these with " + name + " in person or on a call: they open Verify on their"
                + " side and read their numbers to you. If the numbers and colours are the same on both screens,"
                + " nobody is in between, and you can mark " + name + " as verified.");
        explain.setWrapText(true);
        explain.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        explain.getStyleClass().add("dialog-explain");

        ownKey.getStyleClass().add("fingerprint");
        ownKey.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        digits.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        digits.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // never "…": every digit is read aloud
        ownKey.setAccessibleText("Your key");
        theirKey.getStyleClass().add("fingerprint");
        theirKey.setAccessibleText(name + "'s key");
        theirKey.setWrapText(true);
        theirKey.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox keys = new HBox(24, titled("Your key", ownKey), titled(name + "'s key", theirKey));
        keys.getStyleClass().add("verify-keys");

        digits.getStyleClass().add("safety-digits");
        digits.setAccessibleText("Safety number");
        VBox code = titled("Safety number", digits);
        HBox.setHgrow(code, Priority.ALWAYS);
        qr.getStyleClass().add("verify-qr");
        qr.setAccessibleText("Your invite link as a QR code");
        qr.setSmooth(false);
        HBox.setHgrow(grid, Priority.NEVER);
        HBox compare = new HBox(24, code, titled("Colours", grid), titled("Your invite link", qr));
        compare.setAlignment(Pos.TOP_LEFT);

        state.getStyleClass().add("verify-state");
        state.setWrapText(true);
        state.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        problem.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        mark.getStyleClass().add("mark-verified");
        unmark.getStyleClass().add("unmark-verified");
        mark.visibleProperty().bind(verified.not());
        mark.managedProperty().bind(mark.visibleProperty());
        unmark.visibleProperty().bind(verified);
        unmark.managedProperty().bind(unmark.visibleProperty());
        mark.setOnAction(event -> markVerified());
        unmark.setOnAction(event -> change(chat.unmarkVerified(contact.id()), false));
        HBox actions = new HBox(10, mark, unmark);
        actions.setAlignment(Pos.CENTER_LEFT);

        VBox content = new VBox(14, explain, keys, compare, state, problem, actions);
        content.setPrefWidth(900);
        getDialogPane().setContent(content);

        verified.set(contact.verifiedProperty().get());
        // Followed while open only: the contact outlives the dialog, which must not stay reachable from it.
        javafx.beans.InvalidationListener follow = observable -> {
            verified.set(contact.verifiedProperty().get());
            refresh();
        };
        contact.verifiedProperty().addListener(follow);
        contact.fingerprintProperty().addListener(follow);
        setOnHidden(event -> {
            contact.verifiedProperty().removeListener(follow);
            contact.fingerprintProperty().removeListener(follow);
        });
        refresh();
        chat.ownFingerprint().whenCompleteAsync((fingerprint, failure) -> {
            if (failure != null) {
                ownKey.setText("(not known)");
                problem.setText("Could not read your own key: " + Sentences.of(failure, "you"));
                return;
            }
            own = KeyText.hex(fingerprint).orElse(null);
            ownKey.setText(own == null ? "(not known)" : KeyText.grouped(own));
            refresh();
        }, fx);
        chat.inviteLink().thenAcceptAsync(invite -> {
            qr.setImage(QrCode.of(invite.format(), 3));
            Dialogs.fit(this);
        }, fx);
    }

    private static VBox titled(String title, Node shown) {
        Label heading = new Label(title);
        heading.getStyleClass().add("key-title");
        return new VBox(6, heading, shown);
    }

    private void refresh() {
        Optional<String> theirs = KeyText.hex(contact.fingerprintProperty().get());
        theirKey.setText(theirs.map(KeyText::grouped).orElse("No key yet: you have not had an encrypted chat with "
                + name + ", so there is nothing to compare. Chat once (Pronto encrypts by itself), then come back."));
        if (theirs.isPresent() && own != null) {
            SafetyCode safety = SafetyCode.of(own, theirs.get());
            digits.setText(safety.digits());
            grid.getChildren().setAll(new SafetyGrid(safety.grid(), 16));
        } else {
            digits.setText(theirs.isPresent() ? "…" : "—");
            grid.getChildren().clear();
        }
        mark.setDisable(busy || theirs.isEmpty() || own == null);
        unmark.setDisable(busy || theirs.isEmpty());
        getDialogPane().getStyleClass().remove("verify-verified");
        if (verified.get()) {
            getDialogPane().getStyleClass().add("verify-verified");
        }
        Dialogs.fit(this);
        state.setText(theirs.isEmpty() ? "Nothing to verify yet."
                : verified.get() ? "Verified: you compared keys with " + name + ". Pronto warns you, and holds"
                        + " messages back, if this key ever changes."
                : "Not verified: Pronto trusted this key the first time " + name + " connected.");
    }

    private void markVerified() {
        KeyText.hex(contact.fingerprintProperty().get())
                .ifPresent(hex -> change(chat.markVerified(contact.id(), hex), true));
    }

    private void change(CompletableFuture<Void> asked, boolean nowVerified) {
        busy = true;
        problem.setText("");
        refresh();
        asked.whenCompleteAsync((done, failure) -> {
            busy = false;
            if (failure != null) {
                problem.setText((nowVerified ? "Could not mark " : "Could not unmark ") + name + ": "
                        + Sentences.of(failure, name));
            } else {
                verified.set(nowVerified);
            }
            refresh();
        }, fx);
    }
}
