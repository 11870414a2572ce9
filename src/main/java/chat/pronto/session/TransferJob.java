package chat.pronto.session;

import java.net.URI;

import chat.pronto.model.Transfer;

/** One transfer and what its current attempt holds. Guarded by the {@link FileTransfers} lock. */
final class TransferJob {
    Transfer transfer;
    /** The current attempt's stream id (changes at each resume); null when none is running. */
    String sid;
    /** Incoming: the offer being answered. */
    FileOffer offer;
    /** The chosen method. */
    String method;
    /** The data connection or listener of the current attempt, closed to stop it. */
    AutoCloseable connection;
    long lastEvent;
    int retries;
    Scheduler.Scheduled retry;
    /** Ours, offered: a stream with the peer ended since, so the offer may never have arrived. */
    boolean offerMayBeLost;
    /** The current attempt was ended by the stall watch (its bytes stopped moving). */
    boolean stalled;
    /** Ours: the receiver could not connect to us; the next offer is in band (XEP-0047). */
    boolean directFailed;
    /** Theirs, in band: where the blocks go. */
    InBandFiles.Sink sink;
    /** Incoming out of band (XEP-0066): the offer, answered once the file is here (or could not be had). */
    OobOffer oob;
    URI oobUri;

    TransferJob(Transfer transfer) {
        this.transfer = transfer;
    }
}
