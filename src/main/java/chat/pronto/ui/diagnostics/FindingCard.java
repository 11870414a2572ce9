package chat.pronto.ui.diagnostics;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.shape.SVGPath;

import chat.pronto.model.NetworkCheck.Cause;
import chat.pronto.model.NetworkCheck.Finding;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.ui.common.Icons;
import chat.pronto.words.DiagnosisText;

/** One likely cause as a card: a warning triangle for a problem, a green check when people are seen. */
final class FindingCard extends HBox {
    FindingCard(Finding finding) {
        super(10);
        boolean fine = finding.cause() == Cause.PEERS_SEEN;
        String sentence = DiagnosisText.of(finding);
        SVGPath icon = fine ? Icons.checkCircle() : Icons.warning();
        Label words = Dialogs.wrapped(sentence, "finding-text");
        // A card's sentence is what people paste into a question: right-click copies it.
        Dialogs.copyMenu(words, sentence);
        HBox.setHgrow(words, Priority.ALWAYS);
        words.setMaxWidth(Double.MAX_VALUE);
        getChildren().addAll(icon, words);
        setAlignment(Pos.TOP_LEFT);
        getStyleClass().addAll("finding", fine ? "finding-ok" : "finding-problem");
    }
}
