package chat.pronto.ui.common;

import javafx.beans.value.ObservableStringValue;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;

/** A round avatar with initials, tinted by a colour derived from the name (so people are told apart). */
public final class Avatar extends StackPane {
    private static final int TINTS = 8;

    /** The first letters of the first two words of a name ("Alice Liddell" → "AL"; "bob@box" → "B"). */
    public static String initials(String name) {
        String[] words = name.replaceAll("@.*", "").split("[\\s._-]+");
        StringBuilder letters = new StringBuilder();
        for (String word : words) {
            if (!word.isEmpty() && letters.length() < 2) {
                letters.appendCodePoint(word.codePointAt(0));
            }
        }
        return letters.length() == 0 ? "?" : letters.toString().toUpperCase(java.util.Locale.ROOT);
    }

    public Avatar(ObservableStringValue initials, String key, double size) {
        getStyleClass().addAll("avatar", "tint-" + Math.floorMod(key.hashCode(), TINTS));
        setMinSize(size, size);
        setPrefSize(size, size);
        setMaxSize(size, size);
        Label letters = new Label();
        letters.textProperty().bind(initials);
        letters.getStyleClass().add("avatar-initials");
        getChildren().add(letters);
    }
}
