package chat.pronto.ui;

import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

import chat.pronto.ui.common.Avatar;

/**
 * What the first frame needs that takes long the first time — loading the controls and their skins,
 * parsing the style sheets, finding the fonts — done once on a scene nobody sees, while the chat core
 * is still being made on another thread. The real window then finds all of it ready (JavaFX keeps
 * parsed style sheets and loaded fonts).
 */
final class WarmUp {
    private WarmUp() {
    }

    /** FX thread only. */
    static void firstFrame() {
        ListView<String> list = new ListView<>();
        list.setPlaceholder(new Label("…"));
        VBox side = new VBox(new Avatar(new javafx.beans.property.SimpleStringProperty("P"), "p@q", 40),
                new Label("Pronto"), new ComboBox<String>(), new TextField("…"), new MenuButton("⋯"), list);
        BorderPane root = new BorderPane(new Label("…"));
        root.setLeft(side);
        Scene scene = new Scene(root, 800, 600);
        scene.getStylesheets().add(WarmUp.class.getResource("pronto.css").toExternalForm());
        root.applyCss();
        root.layout();
    }
}
