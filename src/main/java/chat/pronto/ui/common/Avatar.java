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

    private final Label letters = new Label();
    private final javafx.scene.image.ImageView picture = new javafx.scene.image.ImageView();
    private String tint;

    /** An avatar whose letters follow {@code initials}, tinted by {@code key}. */
    public Avatar(ObservableStringValue initials, String key, double size) {
        this(size);
        letters.textProperty().bind(initials);
        tint(key);
    }

    /** An empty avatar that a reused cell fills with {@link #show}. */
    public Avatar(double size) {
        getStyleClass().add("avatar");
        setMinSize(size, size);
        setPrefSize(size, size);
        setMaxSize(size, size);
        letters.getStyleClass().add("avatar-initials");
        picture.setFitWidth(size);
        picture.setFitHeight(size);
        picture.setPreserveRatio(false);
        picture.setSmooth(true);
        picture.setClip(new javafx.scene.shape.Circle(size / 2, size / 2, size / 2));
        picture.getStyleClass().add("avatar-picture");
        picture.setVisible(false);
        getChildren().addAll(letters, picture);
    }

    /** Shows the person's picture over the initials; null (or a picture that failed to load) shows the initials. */
    public void picture(javafx.scene.image.Image image) {
        boolean usable = image != null && !image.isError() && image.getWidth() > 0;
        picture.setImage(usable ? image : null);
        picture.setVisible(usable);
        letters.setVisible(!usable);
    }

    /** The picture on show, or null. */
    public javafx.scene.image.Image picture() {
        return picture.getImage();
    }

    /** Shows someone else: their initials in the tint of their key (an unbound avatar only). */
    public void show(String initials, String key) {
        letters.setText(initials);
        tint(key);
    }

    private void tint(String key) {
        String next = "tint-" + Math.floorMod(key.hashCode(), TINTS);
        if (!next.equals(tint)) {
            getStyleClass().remove(tint);
            getStyleClass().add(next);
            tint = next;
        }
    }
}
