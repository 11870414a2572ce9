package chat.pronto.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a certificate when its key is the one pinned for the expected peer name, or when the name
 * is new. No CA, no host-name check: on a LAN without servers the pin is the trust.
 *
 * <p>One manager serves every stream with its peer (the TLS context is kept so that sessions can be
 * resumed): it keeps no verdict of its own. It notes which sockets it was asked about, so that a
 * stream can tell a full handshake from a resumed one; either way {@link PeerTls} checks the key of
 * the finished session again.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
    private final String peer;
    private final KnownPeers knownPeers;
    private final Set<Socket> consulted = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    PinningTrustManager(String peer, KnownPeers knownPeers) {
        this.peer = peer;
        this.knownPeers = knownPeers;
    }

    /**
     * What {@code certificate} means for {@code peer}: refused when it names someone else (XEP-0246
     * asks for the certificate to be validated; the pin stays the trust anchor, but a certificate
     * issued for another name never speaks under this one, nor gets pinned for it), else the pin check.
     */
    static PinCheck check(String peer, X509Certificate certificate, KnownPeers knownPeers) throws CertificateException {
        certificate.checkValidity();
        String named = Identity.xmppAddressOf(certificate).orElse(null);
        if (named == null || !named.equalsIgnoreCase(peer)) {
            throw new CertificateException("the certificate names " + (named == null ? "no XMPP address" : named)
                    + ", not " + peer);
        }
        return knownPeers.check(peer, Fingerprint.of(certificate.getPublicKey()));
    }

    /** Whether a handshake on {@code socket} asked us (a resumed one does not); forgets it. */
    boolean consultedOn(Socket socket) {
        return consulted.remove(socket);
    }

    private void verify(X509Certificate[] chain, Socket socket) throws CertificateException {
        if (socket != null) {
            consulted.add(socket);
        }
        if (chain == null || chain.length == 0) {
            throw new CertificateException(peer + " presented no certificate");
        }
        if (check(peer, chain[0], knownPeers) instanceof PinCheck.Changed changed) {
            throw new PeerKeyChangedException(peer, changed.pinned(), changed.presented());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
