package chat.pronto.ui.diagnostics;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import chat.pronto.model.InterfaceCheck;
import chat.pronto.ui.common.Dialogs;

/**
 * One network interface, compact: its name and addresses, whether discovery uses it (or why not), and
 * for one in use the counts that tell where mDNS stops — our own packets seen back, packets from
 * others, people, the chat port. The counts that point at a problem are marked.
 */
final class InterfaceRow extends VBox {
    InterfaceRow(InterfaceCheck nif) {
        super(4);
        getStyleClass().addAll("interface-row", nif.used() ? "interface-used" : "interface-ignored");
        Label name = new Label(nif.name());
        name.getStyleClass().add("interface-name");
        name.setMinWidth(Label.USE_PREF_SIZE);
        String addresses = nif.addresses().isEmpty() ? "no address" : String.join("  ", nif.addresses());
        var where = Dialogs.selectable(addresses, "interface-addresses");
        HBox.setHgrow(where, Priority.ALWAYS);
        Label state = new Label(nif.used() ? "in use" : "not used");
        state.getStyleClass().addAll("interface-state", nif.used() ? "state-used" : "state-ignored");
        state.setMinWidth(Label.USE_PREF_SIZE);
        HBox head = new HBox(10, name, where, state);
        head.setAlignment(Pos.CENTER_LEFT);
        getChildren().add(head);

        if (nif.used()) {
            getChildren().add(counts(nif));
        } else {
            getChildren().add(Dialogs.wrapped("Not used: " + nif.ignoredBecause(), "interface-why"));
        }
        if (!nif.error().isEmpty()) {
            getChildren().add(Dialogs.wrapped("Error: " + nif.error(), "interface-error"));
        }
    }

    private static FlowPane counts(InterfaceCheck nif) {
        FlowPane counts = new FlowPane(6, 4);
        counts.getStyleClass().add("interface-counts");
        counts.getChildren().addAll(
                fact("up " + duration(nif.upSeconds()), false),
                // None of our own back: something on this computer drops mDNS.
                fact("own packets seen back: " + nif.ownSeenBack(), nif.ownSeenBack() == 0),
                // Ourselves but nobody else: isolation, or nobody there.
                fact("from others: " + nif.fromOthers(), nif.fromOthers() == 0),
                fact("people: " + nif.peersSeen(), false));
        if (nif.portReachable() != null) {
            counts.getChildren().add(fact(nif.portReachable() ? "chat port answers" : "chat port does not answer",
                    !nif.portReachable()));
        }
        return counts;
    }

    private static Label fact(String text, boolean bad) {
        Label fact = new Label(text);
        fact.getStyleClass().add("interface-fact");
        if (bad) {
            fact.getStyleClass().add("fact-bad");
        }
        return fact;
    }

    /** "42 s", "3 min", "2 h 5 min": how long discovery has run, as people say it. */
    static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 120) {
            return minutes + " min";
        }
        return minutes / 60 + " h " + minutes % 60 + " min";
    }
}
