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
    /** How long a session may be resumed (the JDK's default is a day): the next stream of a conversation. */
    static final int SESSION_SECONDS = 3600;
    /** How many contexts are kept: one per peer we talk with, and more than anyone talks with in a day. */
    static final int MAX_KEPT = 256;

    /** Whose context: the name we go by and the peer's. */
    private record Key(String localName, String peer) {
    }

    /**
     * A kept context, the trust manager it checks with, and the key its sessions were checked against:
     * the pin there was when it was made, or the key a stream in it pinned on first use.
     */
    private record Kept(PinningTrustManager trust, Optional<Fingerprint> pin, SSLContext context) {
    }

    private final Map<Key, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Kept> eldest) {
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
     * kept per (our name, peer), once a handshake in it was accepted — at most {@value #MAX_KEPT} of
     * them, the least used dropped first — so
     * that the next stream with the same peer resumes the last session (TLS 1.3 PSK with a fresh
     * ECDHE: no certificates, no signatures, still forward secret) instead of a full handshake. Its
     * tickets come from that context only, so a session begun in one name is never resumed in another;
     * a context is made anew whenever the peer's pin is not the key its sessions were checked against
     * (a pin that appeared since counts: only a first use in the context itself records its key), and
     * dropped when {@link PeerTls} refuses a session from it — which it checks after every handshake,
     * resumed or not. Our certificate names
     * {@code localName} (peers check that it names who we claim to be); after a rename it is issued
     * anew for the same key, so pins hold.
     */
    public PeerTls forPeer(String localName, String peer) {
        PinningTrustManager trust;
        SSLContext context;
        Optional<Fingerprint> pin = knownPeers.pinned(peer);
        Key key = new Key(localName, peer);
        synchronized (kept) {
            Kept found = kept.get(key);
            if (found == null || !found.pin.equals(pin)) {
                // Kept only once a handshake in it is accepted: a name claimed before any authentication
                // (the stream header's) must not push real peers' contexts out.
                PinningTrustManager fresh = new PinningTrustManager(peer, knownPeers);
                found = new Kept(fresh, pin, newContext(localName, fresh));
            }
            trust = found.trust;
            context = found.context;
        }
        SSLContext made = context;
        PinningTrustManager checking = trust;
        return new PeerTls(peer, context, trust, knownPeers, new PeerTls.Outcome() {
            @Override
            public void accepted(Fingerprint key) {
                Key whose = new Key(localName, peer);
                synchronized (kept) {
                    Kept now = kept.get(whose);
                    // Another stream's context with this very key stays (its sessions are as good).
                    if (now == null || now.context == made || !now.pin.equals(Optional.of(key))) {
                        kept.put(whose, new Kept(checking, Optional.of(key), made));
                    }
                }
            }

            @Override
            public void refused() {
                // On the accepting side the session's ticket is stateless: invalidating the session does
                // not stop it coming back. A context made anew has new ticket keys, and no sessions.
                synchronized (kept) {
                    kept.computeIfPresent(new Key(localName, peer), (k, now) -> now.context == made ? null : now);
                }
            }
        });
    }

    /** Whether a context is kept for streams between {@code localName} and {@code peer} (for tests). */
    boolean keeps(String localName, String peer) {
        synchronized (kept) {
            return kept.containsKey(new Key(localName, peer));
        }
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
            context.getClientSessionContext().setSessionTimeout(SESSION_SECONDS);
            context.getServerSessionContext().setSessionTimeout(SESSION_SECONDS);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot set up TLS", e);
        }
    }
}
