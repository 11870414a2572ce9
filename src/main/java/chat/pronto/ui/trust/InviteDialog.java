package chat.pronto.ui.trust;

import java.util.Map;
import java.util.concurrent.Executor;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DataFormat;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import chat.pronto.session.ChatService;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.ui.common.QrCode;
import chat.pronto.words.Sentences;

/**
 * "Invite someone…": our invite link to hand over (text to copy, a QR code to scan) and our key, so
 * whoever opens it reaches us and knows the key is ours. FX thread only.
 */
public final class InviteDialog extends Dialog<Void> {
    private final TextArea link = new TextArea();
    private final ImageView qr = new ImageView();
    private final Label key = new Label("…");
    private final Label note = new Label("Getting your link…");
    private final Button copy = new Button("Copy link");

    /** Futures complete on the chat service's threads; {@code fx} brings their answers back. */
    public InviteDialog(Window owner, ChatService chat, Executor fx) {
        Dialogs.themed(this, owner);
        setTitle("Invite someone");
        setHeaderText("Invite someone");
        getDialogPane().getStyleClass().add("invite");
        getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);

        Label explain = new Label("Send this link to someone Pronto does not find by itself (by mail or chat), or let"
                + " them scan the code. In Pronto they choose Add someone… and paste it: they reach you, and know"
                + " that the key below is yours.");
        explain.setWrapText(true);
        explain.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        explain.getStyleClass().add("dialog-explain");
        link.setEditable(false);
        link.setWrapText(true);
        link.setPrefRowCount(4);
        link.setAccessibleText("Your invite link");
        link.getStyleClass().add("invite-link");
        copy.getStyleClass().add("copy-link");
        copy.setDisable(true);
        copy.setOnAction(event -> {
            Clipboard.getSystemClipboard().setContent(Map.of(DataFormat.PLAIN_TEXT, link.getText()));
            note.setText("Copied. Paste it wherever you talk with them.");
        });
        qr.getStyleClass().add("invite-qr");
        qr.setAccessibleText("Your invite link as a QR code");
        qr.setSmooth(false);
        Label keyTitle = new Label("Your key");
        keyTitle.getStyleClass().add("key-title");
        key.getStyleClass().add("fingerprint");
        note.getStyleClass().add("settings-hint");
        note.setWrapText(true);
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);

        VBox words = new VBox(8, explain, link, new HBox(8, copy), note, keyTitle, key);
        words.setPrefWidth(420);
        words.setMinWidth(420);
        HBox content = new HBox(18, words, qr);
        content.setAlignment(Pos.TOP_LEFT);
        getDialogPane().setContent(content);

        chat.inviteLink().whenCompleteAsync((invite, failure) -> {
            if (failure != null) {
                note.setText("Could not make your invite link: " + Sentences.of(failure, "you"));
                return;
            }
            String text = invite.format();
            link.setText(text);
            qr.setImage(QrCode.of(text, 4));
            copy.setDisable(false);
            note.setText("The link holds the addresses you have now; make a new one if they change.");
            Dialogs.fit(this);
        }, fx);
        chat.ownFingerprint().whenCompleteAsync((fingerprint, failure) ->
                key.setText(failure != null ? "(not known: " + Sentences.of(failure, "you") + ")"
                        : KeyText.grouped(fingerprint)), fx);
        key.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    }
}
