package chat.pronto.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Makes the TLS set-up of one stream: our identity as the key material, and a trust manager that
 * accepts exactly the key pinned for the peer the stream claims to be.
 */
public final class TlsContexts {
    private final Supplier<Identity> identity;
    private final KnownPeers knownPeers;
    private final SecureRandom random = new SecureRandom();
    /** Our key with a certificate for each name we went by (a name conflict renames us at run time). */
    private final java.util.Map<String, Identity> asNamed = new java.util.concurrent.ConcurrentHashMap<>();

    public TlsContexts(Identity identity, KnownPeers knownPeers) {
        this(() -> identity, knownPeers);
    }

    /**
     * With our identity still loading (the window's start does not wait for it): asked for at the
     * first stream, which cannot come before the network has started.
     */
    public TlsContexts(Supplier<Identity> identity, KnownPeers knownPeers) {
        this.identity = identity;
        this.knownPeers = knownPeers;
    }

    /**
     * True when a key is pinned for {@code peer}: it has encrypted before, so a stream that claims its
     * name without encrypting is refused (an impersonator, or a downgrade).
     */
    public boolean isPinned(String peer) {
        return peer != null && knownPeers.pinned(peer).isPresent();
    }

    /** The fingerprint of our own key (the same whatever name we go by). */
    public Fingerprint ownFingerprint() {
        return identity.get().fingerprint();
    }

    /**
     * A context for one stream with {@code peer}, where we go by {@code localName}. A context per
     * stream means no TLS session is ever resumed across streams, so no handshake can skip the pin
     * check for the name it claims. Our certificate names {@code localName} (peers check that it
     * names who we claim to be); after a rename it is issued anew for the same key, so pins hold.
     */
    public PeerTls forPeer(String localName, String peer) {
        PinningTrustManager trust = new PinningTrustManager(peer, knownPeers);
        Identity mine = identity.get();
        Identity ours = mine.instanceName().filter(localName::equalsIgnoreCase).isPresent() ? mine
                : asNamed.computeIfAbsent(localName, mine::renamedTo);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new IdentityKeyManager(ours)}, new TrustManager[] {trust}, random);
            return new PeerTls(peer, context, trust, knownPeers);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot set up TLS", e);
        }
    }
}
