package chat.pronto.ui.trust;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import chat.pronto.model.PeerId;
import chat.pronto.model.SavedPeer;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.words.Sentences;

/**
 * One saved peer: who, where Pronto dials them, how they came to be saved, and Forget. The row takes
 * itself away once the chat service has forgotten the peer; a failure is said under it. FX thread only.
 */
final class SavedPeerRow extends HBox {
    private final Label problem = Dialogs.wrapped("", "field-problem");

    /**
     * @param forget asks the chat service to forget a peer; {@code fx} brings its answer back
     * @param gone   called once the row is out of the list
     */
    SavedPeerRow(SavedPeer peer, Function<PeerId, CompletableFuture<Void>> forget, Executor fx, Runnable gone) {
        super(12);
        getStyleClass().add("saved-peer");
        Label name = new Label(peer.id().name());
        name.getStyleClass().add("saved-peer-name");
        Label where = new Label(peer.hostAndPort().orElse(peer.host() + " · port not known yet") + " · "
                + origin(peer.origin()));
        where.getStyleClass().add("saved-peer-detail");
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        VBox words = new VBox(2, name, where, problem);
        HBox.setHgrow(words, Priority.ALWAYS);

        Button button = new Button("Forget");
        button.getStyleClass().add("forget-peer");
        button.setAccessibleText("Forget " + peer.id().name());
        button.setMinWidth(Button.USE_PREF_SIZE);
        button.setOnAction(event -> {
            button.setDisable(true);
            problem.setText("");
            forget.apply(peer.id()).whenCompleteAsync((done, failure) -> {
                if (failure == null) {
                    ((javafx.scene.layout.Pane) getParent()).getChildren().remove(this);
                    gone.run();
                    return;
                }
                button.setDisable(false);
                problem.setText("Could not forget " + peer.id().name() + ": " + Sentences.of(failure, "them"));
            }, fx);
        });
        getChildren().addAll(words, button);
        setAlignment(Pos.CENTER_LEFT);
    }

    /** How the peer came to be saved, in the words of the list. */
    static String origin(SavedPeer.Origin origin) {
        return switch (origin) {
            case ADDRESS -> "added by address";
            case INVITE -> "added from an invite link";
            case REACHED_US -> "they reached you";
        };
    }
}
