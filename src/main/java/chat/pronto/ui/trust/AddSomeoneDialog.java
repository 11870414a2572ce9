package chat.pronto.ui.trust;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import chat.pronto.model.PeerId;
import chat.pronto.session.ChatService;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.words.Sentences;

/**
 * "Add someone…": reaches a person mDNS does not show, by address or by the invite link they sent.
 * The field is checked as it is typed; Add stays open while connecting and on failure, and the
 * dialog's result is the peer once it answered. FX thread only.
 */
public final class AddSomeoneDialog extends Dialog<PeerId> {
    public static final ButtonType ADD = new ButtonType("Add", ButtonBar.ButtonData.OK_DONE);
    private final TextField address = new TextField();
    private final Label reason = new Label();
    private final Label progress = new Label();
    private boolean connecting;

    /** Puts {@code text} in the field, checked as if typed (empty: nothing). */
    public void prefill(String text) {
        address.setText(text == null ? "" : text.strip());
    }

    /** Futures complete on the chat service's threads; {@code fx} brings their answers back. */
    public AddSomeoneDialog(Window owner, ChatService chat, Executor fx) {
        Dialogs.themed(this, owner);
        setTitle("Add someone");
        setHeaderText("Add someone by address or invite link");
        getDialogPane().getStyleClass().add("add-someone");
        getDialogPane().getButtonTypes().setAll(ADD, ButtonType.CANCEL);
        setResultConverter(button -> null); // a result is only ever the peer that answered

        Label explain = new Label("For someone Pronto does not find by itself (another network, or Wi-Fi that keeps"
                + " devices apart): type their address, such as 192.168.1.20 or laptop.local:5298, or paste the"
                + " invite link they sent you.");
        explain.setWrapText(true);
        explain.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        explain.getStyleClass().add("dialog-explain");
        address.setPromptText("Address or xmpp: invite link");
        address.setAccessibleText("Address or invite link");
        address.getStyleClass().add("add-address");
        reason.getStyleClass().add("field-problem");
        reason.setWrapText(true);
        reason.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        progress.getStyleClass().add("add-progress");
        progress.setWrapText(true);
        progress.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        for (Label label : new Label[] {reason, progress}) {
            label.visibleProperty().bind(label.textProperty().isNotEmpty());
            label.managedProperty().bind(label.visibleProperty());
        }
        VBox content = new VBox(8, explain, address, reason, progress);
        content.setPrefWidth(460);
        getDialogPane().setContent(content);

        Button add = (Button) getDialogPane().lookupButton(ADD);
        add.setDisable(true);
        address.textProperty().addListener((observable, before, now) -> {
            AddressInput input = AddressInput.read(now);
            // Nothing typed is not an error yet: the prompt says what to type.
            reason.setText(input.text().isEmpty() ? "" : input.problem().orElse(""));
            progress.setText("");
            progress.getStyleClass().remove("problem");
            add.setDisable(connecting || !input.usable());
            Dialogs.fit(this);
        });
        // Add connects; the dialog closes only once the peer answered.
        add.addEventFilter(ActionEvent.ACTION, event -> {
            event.consume();
            AddressInput input = AddressInput.read(address.getText());
            if (!connecting && input.usable()) {
                connect(chat, fx, input, add);
            }
        });
        setOnShown(event -> address.requestFocus());
    }

    private void connect(ChatService chat, Executor fx, AddressInput input, Button add) {
        connecting = true;
        add.setDisable(true);
        address.setEditable(false);
        progress.getStyleClass().remove("problem");
        progress.setText(input.invite() ? "Opening the invite… connecting" : "Connecting to " + input.text() + "…");
        Dialogs.fit(this);
        CompletableFuture<PeerId> reached = input.invite() ? chat.openInvite(input.text())
                : chat.addByAddress(input.text());
        reached.whenCompleteAsync((peer, failure) -> {
            if (!isShowing()) {
                return; // cancelled while connecting: the answer has nowhere to go
            }
            connecting = false;
            address.setEditable(true);
            if (failure == null) {
                setResult(peer);
                close();
                return;
            }
            add.setDisable(!AddressInput.read(address.getText()).usable());
            progress.getStyleClass().add("problem");
            Dialogs.fit(this);
            progress.setText("Could not add " + input.text().replaceAll("\\?.*", "") + ": "
                    + Sentences.of(failure, "them"));
        }, fx);
    }
}
