package chat.pronto.ui.chat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import javafx.scene.image.Image;

/**
 * Small versions of pictures for the conversation: decoded and scaled on a background thread (never
 * on the FX thread), then kept in memory, the most recently used first.
 */
final class Thumbnails {
    static final double WIDTH = 260;
    static final double HEIGHT = 200;
    /** Pictures larger than this on disk are shown as files: decoding them would take seconds and much memory. */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final int KEPT = 64;
    /** What JavaFX can decode (WebP it cannot: such files show as files). */
    private static final Set<String> PICTURES = Set.of("png", "jpg", "jpeg", "gif", "bmp");

    private final Executor background;
    private final Executor fx;
    private final Map<String, Image> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Image> eldest) {
            return size() > KEPT;
        }
    };

    Thumbnails(Executor background, Executor fx) {
        this.background = background;
        this.fx = fx;
    }

    static boolean isPicture(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && PICTURES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The thumbnail of {@code file}, now when kept or later on the FX thread; nothing when it cannot be read. */
    void load(Path file, Consumer<Image> then) {
        String key = file.toString();
        Image kept = cache.get(key);
        if (kept != null) {
            then.accept(kept);
            return;
        }
        try {
            background.execute(() -> {
                try {
                    if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                        return;
                    }
                    Image image = new Image(file.toUri().toString(), WIDTH, HEIGHT, true, true, false);
                    if (!image.isError()) {
                        fx.execute(() -> {
                            cache.put(key, image);
                            then.accept(image);
                        });
                    }
                } catch (java.io.IOException | RuntimeException unreadable) {
                    // shown as a file instead
                }
            });
        } catch (RejectedExecutionException closing) {
            // the window is closing
        }
    }
}
