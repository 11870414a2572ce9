package chat.pronto.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What another launch of Pronto asked of this one (come to the front, open an invite link), kept
 * until the window is there to take it. Any thread; no JavaFX here.
 */
public final class OpenRequests {
    /** Come to the front; with a link, open it in "Add someone" for the user to confirm. */
    public record Request(Optional<String> link) {
    }

    private final List<Request> waiting = new ArrayList<>();
    private Consumer<Request> handler;

    public synchronized void deliver(Request request) {
        if (handler == null) {
            waiting.add(request);
        } else {
            handler.accept(request);
        }
    }

    /**
     * From now on requests go to {@code taker} (which must only hand them on, it is called under this
     * object's lock); those that came before go to it at once, in order, ahead of any new one.
     */
    public synchronized void handledBy(Consumer<Request> taker) {
        handler = taker;
        waiting.forEach(taker);
        waiting.clear();
    }
}
