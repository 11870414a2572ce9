package chat.pronto.session;

/** Receives chat events on the service's event thread ({@code pronto-session-events}), in order. */
@FunctionalInterface
public interface ChatListener {
    void onChatEvent(ChatEvent event);
}
