package chat.pronto.security;

import java.security.cert.CertificateException;

/** Thrown inside the TLS handshake when a peer presents another key than the one pinned for its name. */
public final class PeerKeyChangedException extends CertificateException {
    private final String peer;
    private final transient Fingerprint pinned;
    private final transient Fingerprint presented;

    PeerKeyChangedException(String peer, Fingerprint pinned, Fingerprint presented) {
        super("the key of " + peer + " changed: pinned " + pinned + ", presented " + presented);
        this.peer = peer;
        this.pinned = pinned;
        this.presented = presented;
    }

    public String peer() {
        return peer;
    }

    public Fingerprint pinned() {
        return pinned;
    }

    public Fingerprint presented() {
        return presented;
    }
}
