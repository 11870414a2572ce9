package chat.pronto.ui.console;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.scene.text.Text;

/** Raw XML for the eye: one tag per line, indented by depth, tags and text in their own colours. */
final class XmlText {
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private XmlText() {
    }

    /** Indents well-formed-looking XML; anything odd is shown as it came (display only). */
    static String indent(String xml) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        Matcher tags = TAG.matcher(xml);
        int last = 0;
        while (tags.find()) {
            String between = xml.substring(last, tags.start()).strip();
            String tag = tags.group();
            if (!between.isEmpty()) {
                out.append(between);
            }
            boolean closing = tag.startsWith("</");
            boolean selfClosing = tag.endsWith("/>") || tag.startsWith("<?") || tag.startsWith("<!");
            if (closing) {
                depth = Math.max(0, depth - 1);
            }
            if (between.isEmpty() || !closing) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append("  ".repeat(depth));
            }
            out.append(tag);
            if (!closing && !selfClosing && !tag.startsWith("<stream:stream")) {
                depth++;
            }
            last = tags.end();
        }
        String rest = xml.substring(last).strip();
        if (!rest.isEmpty()) {
            out.append(rest);
        }
        return out.length() == 0 ? xml : out.toString();
    }

    /** The indented XML as text pieces styled {@code xml-tag} and {@code xml-text}. */
    static List<Text> highlighted(String xml) {
        String indented = indent(xml);
        List<Text> pieces = new ArrayList<>();
        Matcher tags = TAG.matcher(indented);
        int last = 0;
        while (tags.find()) {
            if (tags.start() > last) {
                pieces.add(piece(indented.substring(last, tags.start()), "xml-text"));
            }
            pieces.add(piece(tags.group(), "xml-tag"));
            last = tags.end();
        }
        if (last < indented.length()) {
            pieces.add(piece(indented.substring(last), "xml-text"));
        }
        return pieces;
    }

    private static Text piece(String text, String style) {
        Text piece = new Text(text);
        piece.getStyleClass().add(style);
        return piece;
    }
}
