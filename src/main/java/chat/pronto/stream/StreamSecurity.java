package chat.pronto.stream;

/** How well a stream is protected; the UI shows it beside the peer. */
public enum StreamSecurity {
    /** TLS with both keys pinned, and SASL EXTERNAL bound the stream to the initiator's certificate. */
    TLS_AUTHENTICATED(true),
    /** TLS with both keys pinned; the peer did not do SASL (fine: the certificates already authenticate). */
    TLS(true),
    /** An XMPP 1.0 peer that does not speak STARTTLS: unencrypted, unauthenticated. */
    PLAINTEXT(false),
    /** A pre-1.0 peer such as Pidgin (no version, no features, no TLS): unencrypted, unauthenticated. */
    LEGACY_PLAINTEXT(false);

    private final boolean encrypted;

    StreamSecurity(boolean encrypted) {
        this.encrypted = encrypted;
    }

    public boolean isEncrypted() {
        return encrypted;
    }
}
