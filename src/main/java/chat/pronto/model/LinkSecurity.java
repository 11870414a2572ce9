package chat.pronto.model;

/** How the conversation with a peer travels right now; the UI shows it beside the peer. */
public enum LinkSecurity {
    /** No stream is open (one opens with the next message). */
    NONE,
    /** TLS with the peer's key pinned. */
    ENCRYPTED,
    /** An XMPP 1.0 peer that does not encrypt: readable by anyone on the link. */
    UNENCRYPTED,
    /** A pre-1.0 peer such as Pidgin: unencrypted and unauthenticated. */
    LEGACY;

    public boolean isEncrypted() {
        return this == ENCRYPTED;
    }
}
