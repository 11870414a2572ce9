package chat.pronto.ui.chat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Web links in a message, and opening one in the browser (off the FX thread). */
final class Links {
    private static final Logger LOG = LoggerFactory.getLogger(Links.class);
    /** http(s) links; a trailing full stop, comma or bracket belongs to the sentence, not the link. */
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+[^\\s<>\".,;:!?)\\]'’]");

    private Links() {
    }

    static List<String> in(String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = LINK.matcher(text);
        while (matcher.find() && found.size() < 5) {
            String link = matcher.group();
            int end = matcher.end();
            // A bracket closing one opened inside the link belongs to it (Wikipedia-style paths).
            while (end < text.length() && text.charAt(end) == ')' && count(link, '(') > count(link, ')')) {
                link = link + ')';
                end++;
            }
            found.add(link);
        }
        return found;
    }

    private static long count(String text, char c) {
        return text.chars().filter(ch -> ch == c).count();
    }

    /**
     * Opens {@code link} in the browser. Where the desktop cannot (no browser known), the link is put on
     * the clipboard instead, so a click is never lost.
     */
    static void open(String link) {
        URI uri;
        try {
            uri = URI.create(link);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        if (java.awt.Desktop.isDesktopSupported()
                && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
            Thread opener = new Thread(() -> {
                try {
                    java.awt.Desktop.getDesktop().browse(uri);
                } catch (Exception e) {
                    LOG.info("could not open {}: {}", link, e.getMessage());
                }
            }, "pronto-open-link");
            opener.setDaemon(true);
            opener.start();
        } else {
            ClipboardContent content = new ClipboardContent();
            content.putString(link);
            Clipboard.getSystemClipboard().setContent(content);
        }
    }
}
