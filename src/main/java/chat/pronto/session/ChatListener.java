package chat.pronto.session;

/** Receives chat events on the service's event thread ({@code pronto-session-events}), in order. */
@FunctionalInterface
public interface ChatListener {
    void onChatEvent(ChatEvent event);

    /**
     * No more events wait to be told, after one or more (same thread, after the last of them): what a
     * front end gathered from a burst — a flood of messages brings three events each — it shows now.
     */
    default void eventsDrained() {
    }
}
