package chat.pronto.model;

/** Which way a message went. */
public enum Direction {
    INCOMING, OUTGOING
}
