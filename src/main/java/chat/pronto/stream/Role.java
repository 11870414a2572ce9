package chat.pronto.stream;

/** Which side of the TCP connection we are. */
public enum Role {
    /** We dialed the peer. */
    INITIATOR,
    /** The peer dialed us. */
    RECIPIENT
}
