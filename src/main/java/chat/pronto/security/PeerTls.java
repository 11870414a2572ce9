package chat.pronto.security;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** The TLS layer of one stream with one named peer: upgrades the socket, then pins on first use. */
public final class PeerTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * TLS 1.3's suites, and for TLS 1.2 only forward-secret AEAD suites for our EC keys: nothing the
     * JDK still offers for old servers (CBC, RSA key exchange) is needed between two Pronto peers.
     */
    private static final String[] SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"};

    private final String peer;
    private final SSLContext context;
    private final PinningTrustManager trust;
    private final KnownPeers knownPeers;
    private final Outcome outcome;
    private volatile PinCheck check;
    private volatile boolean resumed;

    /** Told how each handshake's check ended, so the kept context follows it ({@link TlsContexts}). */
    interface Outcome {
        /** The session's key is the peer's pin now (it may have just been pinned on first use). */
        void accepted(Fingerprint key);

        /** The session was refused: nothing from its context may be resumed any more. */
        void refused();
    }

    PeerTls(String peer, SSLContext context, PinningTrustManager trust, KnownPeers knownPeers, Outcome outcome) {
        this.peer = peer;
        this.outcome = outcome;
        this.context = context;
        this.trust = trust;
        this.knownPeers = knownPeers;
    }

    /** Runs the handshake as the side that sent {@code <starttls/>}; both sides present certificates. */
    public SSLSocket upgradeAsInitiator(Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(true);
        return handshake(tls);
    }

    /** Runs the handshake as the side that answered {@code <proceed/>}; a client certificate is required. */
    public SSLSocket upgradeAsRecipient(Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.setNeedClientAuth(true);
        return handshake(tls);
    }

    private SSLSocket handshake(SSLSocket tls) throws IOException {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setCipherSuites(SUITES);
        parameters.setEndpointIdentificationAlgorithm(null);
        tls.setSSLParameters(parameters);
        try {
            tls.startHandshake();
        } finally {
            resumed = !trust.consultedOn(tls);
        }
        commit(tls.getSession());
        return tls;
    }

    /**
     * Checks the key of the finished session against the pin again — a resumed handshake (TLS 1.3
     * PSK) asks no trust manager, and its pin may have changed since the session began — and pins a
     * first-seen key only now that the peer proved it holds the private key, and only if no other key
     * won the name meanwhile. A refused session is dropped with the context it came from, so that it
     * is never offered or taken again.
     */
    private void commit(SSLSession session) throws IOException {
        try {
            Certificate[] presented = session.getPeerCertificates();
            if (presented.length == 0 || !(presented[0] instanceof X509Certificate certificate)) {
                throw new SSLHandshakeException(peer + " presented no certificate");
            }
            PinCheck seen = PinningTrustManager.check(peer, certificate, knownPeers);
            if (seen instanceof PinCheck.FirstUse first) {
                seen = knownPeers.pinFirstUse(peer, first.presented());
                if (seen instanceof PinCheck.Match) {
                    seen = first; // pinned by a stream of ours a moment before: still this key's first use
                }
            }
            if (seen instanceof PinCheck.Changed changed) {
                SSLHandshakeException refused = new SSLHandshakeException("another key was pinned for " + peer);
                refused.initCause(new PeerKeyChangedException(peer, changed.pinned(), changed.presented()));
                throw refused;
            }
            check = seen;
            outcome.accepted(seen.presented());
        } catch (CertificateException e) {
            session.invalidate();
            outcome.refused();
            SSLHandshakeException refused = new SSLHandshakeException(e.getMessage());
            refused.initCause(e);
            throw refused;
        } catch (IOException e) {
            session.invalidate();
            outcome.refused();
            throw e;
        }
    }

    /** The key the peer presented, once the handshake has checked it. */
    public Optional<Fingerprint> peerKey() {
        return pinCheck().map(PinCheck::presented);
    }

    public Optional<PinCheck> pinCheck() {
        return Optional.ofNullable(check);
    }

    /** Whether the last handshake resumed an earlier session with this peer (no certificates exchanged). */
    public boolean resumed() {
        return resumed;
    }
}
