package chat.pronto.ui.common;

import javafx.scene.shape.SVGPath;

/** Small vector icons drawn with the theme's colours (no icon font or emoji font needed). */
public final class Icons {
    private static final String LOCK = "M4 7V5a4 4 0 0 1 8 0v2h1a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8"
            + "a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 0 0-4 0v2z";
    private static final String WARNING = "M8 1l7.5 13h-15L8 1zm-1 5v4h2V6H7zm0 5v2h2v-2H7z";

    /** A paper clip (drawn for Pronto on the same 16 × 16 grid as the others). */
    private static final String PAPERCLIP = "M10.5 3.5v7a2.5 2.5 0 0 1-5 0V3a1.5 1.5 0 0 1 3 0v7a.5.5 0 0 1-1 0V4h-1v6"
            + "a1.5 1.5 0 0 0 3 0V3a2.5 2.5 0 0 0-5 0v7.5a3.5 3.5 0 0 0 7 0v-7h-1z";

    /** A shield (the same outline for both; the check is cut out so it shows the background). */
    private static final String SHIELD = "M8 .8l6.2 2.5v4.3c0 3.7-2.7 6.6-6.2 7.6C4.5 14.2 1.8 11.3 1.8 7.6V3.3L8 .8z";
    private static final String CHECK = "M7 11.2L4.1 8.3l1.2-1.2L7 8.8l3.7-3.7 1.2 1.2L7 11.2z";

    /** A round disc (the check is cut out of it, as in the shield). */
    private static final String DISC = "M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1z";

    private Icons() {
    }

    /** A closed padlock: the stream is encrypted and the key pinned. */
    public static SVGPath lock() {
        return icon(LOCK, "icon-lock");
    }

    /** A paper clip: send files. */
    public static SVGPath paperclip() {
        return icon(PAPERCLIP, "icon-paperclip");
    }

    /** A warning triangle: the stream is not encrypted. */
    public static SVGPath warning() {
        return icon(WARNING, "icon-warning");
    }

    /** A shield with a check: the user compared this key with its owner (verified). */
    public static SVGPath shieldCheck() {
        SVGPath icon = icon(SHIELD + CHECK, "icon-verified");
        icon.setFillRule(javafx.scene.shape.FillRule.EVEN_ODD);
        return icon;
    }

    /** A check in a disc: this is fine (people are seen). */
    public static SVGPath checkCircle() {
        SVGPath icon = icon(DISC + CHECK, "icon-ok");
        icon.setFillRule(javafx.scene.shape.FillRule.EVEN_ODD);
        return icon;
    }

    /** A plain shield: verify a key. */
    public static SVGPath shield() {
        return icon(SHIELD, "icon-shield");
    }

    private static SVGPath icon(String path, String styleClass) {
        SVGPath icon = new SVGPath();
        icon.setContent(path);
        icon.getStyleClass().addAll("icon", styleClass);
        return icon;
    }
}
