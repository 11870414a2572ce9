package chat.pronto.model;

/** What a peer is doing in a conversation (XEP-0085 chat states; iChat/Pidgin {@code jabber:x:event} maps onto it). */
public enum TypingState {
    /** Paying attention to the conversation. */
    ACTIVE,
    /** Typing. */
    COMPOSING,
    /** Was typing, stopped for a while. */
    PAUSED,
    /** Not looking at the conversation. */
    INACTIVE,
    /** Closed the conversation. */
    GONE
}
