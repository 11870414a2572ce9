package chat.pronto.model;

/** Where a message stands: outgoing ones go queued → sent → delivered (or failed); incoming ones are received. */
public enum DeliveryState {
    /** Stored, waiting for a stream to the peer (the outbox). */
    QUEUED,
    /** Written to the peer's stream; no receipt yet. */
    SENT,
    /** The peer's XEP-0184 receipt arrived. */
    DELIVERED,
    /** Given up on, with a reason; the user can retry. */
    FAILED,
    /** An incoming message. */
    RECEIVED
}
