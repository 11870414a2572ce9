package chat.pronto.ui.diagnostics;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

import chat.pronto.model.NetworkCheck;
import chat.pronto.ui.common.Dialogs;
import chat.pronto.words.Sentences;

/**
 * A network check laid out to read: the likely causes first (what to do comes from them), then the
 * facts behind them — interfaces, firewalls, the last problems. Builds nodes only; FX thread.
 */
final class NetworkReport extends VBox {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("HH:mm:ss");

    NetworkReport(NetworkCheck check, ZoneId zone) {
        super(8);
        getStyleClass().add("network-report");
        getChildren().add(Dialogs.wrapped(summary(check, zone), "report-summary"));

        getChildren().add(title("Likely causes"));
        if (check.findings().isEmpty()) {
            getChildren().add(Dialogs.wrapped("Nothing found wrong, and nobody seen yet either.", "report-empty"));
        }
        check.findings().forEach(finding -> getChildren().add(new FindingCard(finding)));

        getChildren().add(title("Network interfaces"));
        if (check.interfaces().isEmpty()) {
            getChildren().add(Dialogs.wrapped("No network interface found.", "report-empty"));
        }
        check.interfaces().forEach(nif -> getChildren().add(new InterfaceRow(nif)));

        getChildren().add(title("Firewalls"));
        if (check.firewalls().isEmpty()) {
            getChildren().add(Dialogs.wrapped("None found (ufw, firewalld, nftables).", "report-empty"));
        }
        check.firewalls().forEach(line -> getChildren().add(Dialogs.selectable(line, "firewall-line")));

        getChildren().add(title("Last problems"));
        if (check.recent().isEmpty()) {
            getChildren().add(Dialogs.wrapped("None lately.", "report-empty"));
        }
        check.recent().forEach(problem -> {
            String sentence = capitalized(Sentences.of(problem));
            Label line = Dialogs.wrapped(sentence, "recent-problem");
            Dialogs.copyMenu(line, sentence);
            getChildren().add(line);
        });
    }

    /** Who we are, where we listen, whom we see, and when this was looked at. */
    private static String summary(NetworkCheck check, ZoneId zone) {
        return "You are " + check.self() + ", listening on port " + check.port() + ". People seen: "
                + check.peersOnLink() + " on the network, " + check.peersByAddress() + " by address. Checked at "
                + AT.format(check.at().atZone(zone)) + ".";
    }

    /** Some sentences start in lower case, to follow a "could not send:" elsewhere; here each stands alone. */
    private static String capitalized(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    private static Label title(String text) {
        Label title = new Label(text);
        title.getStyleClass().add("report-section");
        return title;
    }
}
