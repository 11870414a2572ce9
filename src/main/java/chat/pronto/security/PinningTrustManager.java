package chat.pronto.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a certificate when its key is the one pinned for the expected peer name, or when the name
 * is new. No CA, no host-name check: on a LAN without servers the pin is the trust.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
    private final String peer;
    private final KnownPeers knownPeers;
    private volatile PinCheck lastCheck;

    PinningTrustManager(String peer, KnownPeers knownPeers) {
        this.peer = peer;
        this.knownPeers = knownPeers;
    }

    Optional<PinCheck> lastCheck() {
        return Optional.ofNullable(lastCheck);
    }

    private void verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException(peer + " presented no certificate");
        }
        chain[0].checkValidity();
        // XEP-0246 asks for the certificate to be validated; the pin stays the trust anchor, but a
        // certificate issued for another name never speaks under this one (nor gets pinned for it).
        String named = Identity.xmppAddressOf(chain[0]).orElse(null);
        if (named == null || !named.equalsIgnoreCase(peer)) {
            throw new CertificateException("the certificate names " + (named == null ? "no XMPP address" : named)
                    + ", not " + peer);
        }
        PinCheck check = knownPeers.check(peer, Fingerprint.of(chain[0].getPublicKey()));
        lastCheck = check;
        if (check instanceof PinCheck.Changed changed) {
            throw new PeerKeyChangedException(peer, changed.pinned(), changed.presented());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
