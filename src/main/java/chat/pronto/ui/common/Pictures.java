package chat.pronto.ui.common;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import javafx.scene.image.Image;

import chat.pronto.model.PeerId;
import chat.pronto.session.ChatService;

/**
 * People's pictures as images, by the SHA-1 that names them: the bytes come from the chat service,
 * are decoded on a background thread (never the FX thread) and kept, the most recently used first.
 * A picture that cannot be decoded is remembered as such: the initials stay, and nobody asks again.
 */
public final class Pictures {
    /** Decoded at this size: the largest avatar on screen, twice over for sharp edges on HiDPI. */
    static final double SIZE = 96;
    private static final int KEPT = 512;
    private static final Image BROKEN = new javafx.scene.image.WritableImage(1, 1);

    private final ChatService chat;
    private final Executor background;
    private final Executor fx;
    private final Map<String, Image> decoded = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Image> eldest) {
            return size() > KEPT;
        }
    };

    public Pictures(ChatService chat, Executor background, Executor fx) {
        this.chat = chat;
        this.background = background;
        this.fx = fx;
    }

    /**
     * Gives {@code peer}'s picture named {@code hash} to {@code then} on the FX thread (at once when it
     * is kept), or null when it cannot be shown. FX thread only.
     */
    public void load(PeerId peer, String hash, Consumer<Image> then) {
        Image kept = decoded.get(hash);
        if (kept != null) {
            then.accept(kept == BROKEN ? null : kept);
            return;
        }
        chat.avatar(peer).thenAcceptAsync(bytes -> {
            Image image = decode(bytes);
            fx.execute(() -> {
                decoded.put(hash, image == null ? BROKEN : image);
                then.accept(image);
            });
        }, background).exceptionally(failure -> null);
    }

    /** The image in {@code bytes}, or null when there is none or it is not a picture JavaFX can read. */
    static Image decode(Optional<byte[]> bytes) {
        if (bytes.isEmpty() || bytes.get().length == 0) {
            return null;
        }
        Image image = new Image(new ByteArrayInputStream(bytes.get()), SIZE, SIZE, true, true);
        return image.isError() || image.getWidth() <= 0 ? null : image;
    }
}
