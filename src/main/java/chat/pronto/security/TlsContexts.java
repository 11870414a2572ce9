package chat.pronto.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Makes the TLS set-up of one stream: our identity as the key material, and a trust manager that
 * accepts exactly the key pinned for the peer the stream claims to be; keeps it per peer, so that the
 * next stream resumes the session.
 */
public final class TlsContexts {
    private final Supplier<Identity> identity;
    private final KnownPeers knownPeers;
    private final SecureRandom random = new SecureRandom();
    /** Our key with a certificate for each name we went by (a name conflict renames us at run time). */
    private final java.util.Map<String, Identity> asNamed = new java.util.concurrent.ConcurrentHashMap<>();

    /** A stream reaches one peer at one address: a few sessions each are plenty. */
    private static final int SESSIONS_PER_CONTEXT = 4;
    /** How many contexts are kept: one per peer we talk with, and more than anyone talks with in a day. */
    static final int MAX_KEPT = 256;

    /** A kept context, the trust manager it checks with, and the pin there was when it was made. */
    private record Kept(PinningTrustManager trust, Optional<Fingerprint> pin, SSLContext context) {
    }

    private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > MAX_KEPT;
        }
    };

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
     * The TLS set-up of a stream with {@code peer}, where we go by {@code localName}. The context is
     * kept per (our name, peer) — at most {@value #MAX_KEPT} of them, the least used dropped first — so
     * that the next stream with the same peer resumes the last session (TLS 1.3 PSK with a fresh
     * ECDHE: no certificates, no signatures, still forward secret) instead of a full handshake. Its
     * tickets come from that context only, so a session begun in one name is never resumed in another;
     * a context is made anew when the peer's pin changed since it was made; and {@link PeerTls} checks
     * every session's key against the pin after the handshake, resumed or not. Our certificate names
     * {@code localName} (peers check that it names who we claim to be); after a rename it is issued
     * anew for the same key, so pins hold.
     */
    public PeerTls forPeer(String localName, String peer) {
        PinningTrustManager trust;
        SSLContext context;
        Optional<Fingerprint> pin = knownPeers.pinned(peer);
        String key = localName + ' ' + peer;
        synchronized (kept) {
            Kept found = kept.get(key);
            if (found == null || found.pin.isPresent() && !found.pin.equals(pin)) {
                PinningTrustManager fresh = new PinningTrustManager(peer, knownPeers);
                found = new Kept(fresh, pin, newContext(localName, fresh));
            } else if (found.pin.isEmpty() && pin.isPresent()) {
                found = new Kept(found.trust, pin, found.context);
            }
            kept.put(key, found);
            trust = found.trust;
            context = found.context;
        }
        return new PeerTls(peer, context, trust, knownPeers);
    }

    private SSLContext newContext(String localName, PinningTrustManager trust) {
        Identity mine = identity.get();
        Identity ours = mine.instanceName().filter(localName::equalsIgnoreCase).isPresent() ? mine
                : asNamed.computeIfAbsent(localName, mine::renamedTo);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new IdentityKeyManager(ours)}, new TrustManager[] {trust}, random);
            context.getClientSessionContext().setSessionCacheSize(SESSIONS_PER_CONTEXT);
            context.getServerSessionContext().setSessionCacheSize(SESSIONS_PER_CONTEXT);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot set up TLS", e);
        }
    }
}
