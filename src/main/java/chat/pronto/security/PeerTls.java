package chat.pronto.security;

import java.io.IOException;
import java.net.Socket;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
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

    PeerTls(String peer, SSLContext context, PinningTrustManager trust, KnownPeers knownPeers) {
        this.peer = peer;
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
        tls.startHandshake();
        commit();
        return tls;
    }

    /**
     * Pins a first-seen key only now that the peer proved it holds the private key, and only if no
     * other key won the name meanwhile; otherwise this stream is refused as a changed key.
     */
    private void commit() throws IOException {
        PinCheck check = trust.lastCheck()
                .orElseThrow(() -> new IOException("the TLS handshake with " + peer + " checked no certificate"));
        if (check instanceof PinCheck.FirstUse first
                && knownPeers.pinFirstUse(peer, first.presented()) instanceof PinCheck.Changed changed) {
            SSLHandshakeException refused = new SSLHandshakeException("another key was pinned for " + peer);
            refused.initCause(new PeerKeyChangedException(peer, changed.pinned(), changed.presented()));
            throw refused;
        }
    }

    /** The key the peer presented, once the handshake has checked it. */
    public Optional<Fingerprint> peerKey() {
        return trust.lastCheck().map(PinCheck::presented);
    }

    public Optional<PinCheck> pinCheck() {
        return trust.lastCheck();
    }
}
