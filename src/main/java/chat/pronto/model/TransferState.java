package chat.pronto.model;

/** Where a file transfer stands. */
public enum TransferState {
    /** Ours: the file is being read once to take its hash before it is offered. */
    PREPARING,
    /** Offered, waiting for the receiver to accept or decline. */
    OFFERED,
    /** Accepted; the data connection is being set up. */
    CONNECTING,
    /** Bytes are moving. */
    ACTIVE,
    /** Stopped before the end (a connection lost, either side quit): it resumes when both are back. */
    INTERRUPTED,
    /** Every byte arrived and the hash matched (or, from an old client that sends none, the size did). */
    DONE,
    DECLINED,
    CANCELLED,
    /** Gave up for good: {@link Transfer#reason()} says why. */
    FAILED;

    /** Nothing more happens to it. */
    public boolean isFinal() {
        return this == DONE || this == DECLINED || this == CANCELLED || this == FAILED;
    }
}
