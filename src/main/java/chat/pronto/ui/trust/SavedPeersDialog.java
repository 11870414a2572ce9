package chat.pronto.ui.trust;

import java.util.List;
import java.util.concurrent.Executor;

import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import chat.pronto.model.SavedPeer;
import chat.pronto.session.ChatService;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.words.Sentences;

/**
 * "People added by address…": those Pronto dials by address rather than finding them over mDNS,
 * with a way to forget each. FX thread only.
 */
public final class SavedPeersDialog extends Dialog<Void> {
    static final String NOBODY = "Nobody yet. People you add by address or with an invite link, and people who"
            + " reach you from outside this network, are listed here.";
    /** The list grows to its rows up to about five of them; then it scrolls. */
    private static final double TALLEST = 330;
    private static final double WIDTH = 500;
    private final VBox rows = new VBox(6);
    private final ScrollPane list = new ScrollPane(rows);
    private final Label state = Dialogs.wrapped("Loading…", "saved-peers-state");

    /** Futures complete on the chat service's threads; {@code fx} brings their answers back. */
    public SavedPeersDialog(Window owner, ChatService chat, Executor fx) {
        Dialogs.themed(this, owner);
        setTitle("People added by address");
        setHeaderText("People added by address");
        getDialogPane().getStyleClass().add("saved-peers");
        getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);

        Label explain = Dialogs.wrapped("Pronto calls these people at their address when it starts and while they"
                + " are offline. Forget someone to stop; their key stays known, and they can still reach you.",
                "dialog-explain");
        state.visibleProperty().bind(state.textProperty().isNotEmpty());
        state.managedProperty().bind(state.visibleProperty());
        rows.getStyleClass().add("saved-peer-list");
        list.setFitToWidth(true);
        list.getStyleClass().add("saved-peer-scroll");
        list.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(rows.getChildren()));
        list.managedProperty().bind(list.visibleProperty());
        VBox content = new VBox(10, explain, state, list);
        // Wrapped words are measured at their own width: give them the dialog's, so none is squeezed.
        for (Label words : new Label[] {explain, state}) {
            words.setPrefWidth(WIDTH);
        }
        content.setPrefWidth(WIDTH);
        content.setMinWidth(WIDTH);
        getDialogPane().setContent(content);

        chat.savedPeers().whenCompleteAsync((saved, failure) -> {
            if (failure != null) {
                state.setText("Could not read the list: " + Sentences.of(failure, "you"));
                state.getStyleClass().add("field-problem");
                return;
            }
            show(saved, chat, fx);
        }, fx);
    }

    private void show(List<SavedPeer> saved, ChatService chat, Executor fx) {
        saved.forEach(peer -> rows.getChildren().add(new SavedPeerRow(peer, chat::forgetPeer, fx, this::sayIfEmpty)));
        // A scroll pane asks for little room of its own: it is given its rows' height (measured styled).
        rows.applyCss();
        list.setPrefViewportHeight(Math.min(rows.prefHeight(-1), TALLEST));
        sayIfEmpty();
    }

    private void sayIfEmpty() {
        state.setText(rows.getChildren().isEmpty() ? NOBODY : "");
        Dialogs.fit(this);
    }
}
