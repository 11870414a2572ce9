package chat.pronto.ui.common;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;

/**
 * The one place where chat events cross onto the JavaFX thread: every view model listens here and is
 * only ever called on the FX thread (or on the executor a test gives it). A burst of events crosses
 * in one hand-over, its end told after its last event.
 */
public final class FxEvents implements ChatListener {
    /** A burst longer than this crosses in parts, so a flood still shows as it comes. */
    private static final int MOST_GATHERED = 256;

    private final Executor fx;
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
    // Guarded by this.
    private List<ChatEvent> gathered = new ArrayList<>();

    public FxEvents(Executor fx) {
        this.fx = fx;
    }

    public void add(ChatListener listener) {
        listeners.add(listener);
    }

    @Override
    public void onChatEvent(ChatEvent event) {
        List<ChatEvent> part = null;
        synchronized (this) {
            gathered.add(event);
            if (gathered.size() >= MOST_GATHERED) {
                part = take();
            }
        }
        if (part != null) {
            hand(part, false);
        }
    }

    @Override
    public void eventsDrained() {
        List<ChatEvent> last;
        synchronized (this) {
            last = take();
        }
        hand(last, true);
    }

    private List<ChatEvent> take() {
        List<ChatEvent> taken = gathered;
        gathered = new ArrayList<>();
        return taken;
    }

    private void hand(List<ChatEvent> events, boolean ended) {
        fx.execute(() -> {
            for (ChatEvent event : events) {
                listeners.forEach(listener -> listener.onChatEvent(event));
            }
            if (ended) {
                listeners.forEach(ChatListener::eventsDrained);
            }
        });
    }
}
