package chat.pronto.ui.diagnostics;

import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Executor;

import javafx.event.ActionEvent;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DataFormat;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;

import chat.pronto.model.NetworkCheck;
import chat.pronto.session.ChatService;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.words.DiagnosisText;
import chat.pronto.words.Sentences;

/**
 * "Network diagnostics…": why nobody shows up. Asks the chat service to look (a few seconds, off the
 * FX thread), shows the likely causes first and the facts below, and copies the whole report as text
 * for a question or a bug report. Not modal: people may chat or add someone while it is open.
 * FX thread only.
 */
public final class DiagnosticsDialog extends Dialog<Void> {
    public static final ButtonType RUN_AGAIN = new ButtonType("Run again", ButtonBar.ButtonData.LEFT);
    public static final ButtonType COPY = new ButtonType("Copy as text", ButtonBar.ButtonData.LEFT);
    private final ChatService chat;
    private final Executor fx;
    private final ZoneId zone;
    private final StackPane body = new StackPane();
    private final Label note = new Label();
    private final Button again;
    private final Button copy;
    /** The report shown, what Copy puts on the clipboard; null while looking or after a failure. */
    private NetworkCheck shown;
    /** Counts runs, so the answer of a run that Run again replaced is dropped. */
    private int runs;

    /** The check completes on the chat service's threads; {@code fx} brings it back. */
    public DiagnosticsDialog(Window owner, ChatService chat, Executor fx) {
        this(owner, chat, fx, ZoneId.systemDefault());
    }

    DiagnosticsDialog(Window owner, ChatService chat, Executor fx, ZoneId zone) {
        this.chat = chat;
        this.fx = fx;
        this.zone = zone;
        Dialogs.themed(this, owner);
        initModality(Modality.NONE);
        setTitle("Network diagnostics");
        setHeaderText("Network diagnostics");
        setResizable(true);
        getDialogPane().getStyleClass().add("diagnostics");
        getDialogPane().getButtonTypes().setAll(RUN_AGAIN, COPY, ButtonType.CLOSE);

        note.getStyleClass().add("diagnostics-note");
        note.setWrapText(true);
        note.setMinHeight(Label.USE_PREF_SIZE);
        note.visibleProperty().bind(note.textProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        VBox.setVgrow(body, javafx.scene.layout.Priority.ALWAYS);
        VBox content = new VBox(8, body, note);
        // A fixed size: the report arrives seconds after the dialog opened and should not make it jump.
        content.setPrefSize(640, 580);
        getDialogPane().setContent(content);

        again = (Button) getDialogPane().lookupButton(RUN_AGAIN);
        copy = (Button) getDialogPane().lookupButton(COPY);
        again.getStyleClass().add("run-again");
        copy.getStyleClass().add("copy-report");
        // Both act and keep the dialog open (a dialog's buttons close it by default).
        again.addEventFilter(ActionEvent.ACTION, event -> {
            event.consume();
            run();
        });
        copy.addEventFilter(ActionEvent.ACTION, event -> {
            event.consume();
            copyReport();
        });
        run();
    }

    /** Looks at the network (again): the progress until the answer, then the report or why there is none. */
    void run() {
        int run = ++runs;
        shown = null;
        again.setDisable(true);
        copy.setDisable(true);
        note.setText("");
        body.getChildren().setAll(looking());
        chat.diagnose().whenCompleteAsync((check, failure) -> {
            if (run != runs) {
                return;
            }
            again.setDisable(false);
            if (failure != null) {
                body.getChildren().setAll(failed(failure));
                return;
            }
            shown = check;
            copy.setDisable(false);
            body.getChildren().setAll(report(check));
        }, fx);
    }

    private void copyReport() {
        if (shown != null) {
            Clipboard.getSystemClipboard().setContent(Map.of(DataFormat.PLAIN_TEXT, DiagnosisText.of(shown)));
            note.setText("Copied. Paste it into a message or a bug report.");
        }
    }

    private static VBox looking() {
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(42, 42);
        Label words = new Label("Looking at the network…");
        words.getStyleClass().add("diagnostics-looking");
        Label why = Dialogs.wrapped("Listening for our own announcements and for others', reading the firewalls and"
                + " trying the chat port. This takes a few seconds.", "dialog-explain");
        why.setMaxWidth(380);
        why.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        VBox box = new VBox(12, spinner, words, why);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("diagnostics-running");
        return box;
    }

    private static VBox failed(Throwable failure) {
        Label words = Dialogs.wrapped("Could not look at the network: " + Sentences.of(failure, "you"),
                "diagnostics-failed");
        VBox box = new VBox(words);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    private ScrollPane report(NetworkCheck check) {
        ScrollPane scroll = new ScrollPane(new NetworkReport(check, zone));
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("report-scroll");
        return scroll;
    }
}
