package chat.pronto.ui.chat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


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
     * Opens {@code link} in the browser through JavaFX's host services (xdg-open and friends; no AWT
     * needed in the packaged runtime), on {@code background} since it starts a process.
     */
    static void open(String link, Executor background) {
        try {
            URI.create(link);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        background.execute(() -> {
            try {
                HOST.showDocument(link);
            } catch (RuntimeException e) {
                LOG.info("could not open {}: {}", link, e.getMessage());
            }
        });
    }

    /** Host services need an Application; Pronto starts the toolkit itself, so a bare one stands in. */
    private static final javafx.application.HostServices HOST = new javafx.application.Application() {
        @Override
        public void start(javafx.stage.Stage stage) {
        }
    }.getHostServices();
}
