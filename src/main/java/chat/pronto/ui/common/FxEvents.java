package chat.pronto.ui.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;

/**
 * The one place where chat events cross onto the JavaFX thread: every view model listens here and is
 * only ever called on the FX thread (or on the executor a test gives it).
 */
public final class FxEvents implements ChatListener {
    private final Executor fx;
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();

    public FxEvents(Executor fx) {
        this.fx = fx;
    }

    public void add(ChatListener listener) {
        listeners.add(listener);
    }

    @Override
    public void onChatEvent(ChatEvent event) {
        fx.execute(() -> listeners.forEach(listener -> listener.onChatEvent(event)));
    }

    /** After the burst's events, in their order on the FX thread. */
    @Override
    public void eventsDrained() {
        fx.execute(() -> listeners.forEach(ChatListener::eventsDrained));
    }
}
