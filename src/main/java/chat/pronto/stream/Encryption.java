package chat.pronto.stream;

/** The user's encryption policy for streams. */
public enum Encryption {
    /** Refuse any stream that does not end up under TLS ("require encryption"). */
    REQUIRED,
    /** Offer and use STARTTLS; accept an unencrypted legacy peer and mark the stream as such. */
    PREFERRED,
    /** Never offer or start TLS. For measurements and protocol debugging only. */
    DISABLED
}
