package chat.pronto.presence;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;

/** Advertises us and browses for everyone else on the link (XEP-0174 over DNS-SD/mDNS). */
public interface PresenceService extends AutoCloseable {
    /** The DNS-SD service type of serverless messaging. */
    String SERVICE_TYPE = "_presence._tcp.local.";

    /** Starts browsing and advertises {@code name} with the stream listener's real {@code port}. */
    void start(PeerId name, OwnPresence own, int port) throws IOException;

    /** Publishes a changed status, message or names (a TXT update, no new probe). */
    void update(OwnPresence own);

    /** The name we advertise now; it changes when a conflict forces a rename. */
    PeerId self();

    /** Everyone currently seen, ourselves excluded. */
    List<PeerAdvert> peers();

    Optional<PeerAdvert> peer(PeerId id);

    /**
     * Where {@code id} can be dialed: where it is seen now, or (for a layer that knows more than the
     * link shows, such as saved addresses) where it was last. By default what {@link #peer} says.
     */
    default Optional<PeerAdvert> dialable(PeerId id) {
        return peer(id);
    }

    /**
     * The session layer saw the peer's stream die without a close: report it gone now rather than
     * when its records expire. The link is asked for it again; a peer that answers (its stream died,
     * it did not) comes back within moments, one that does not stays gone.
     */
    void markGone(PeerId id);

    /**
     * Publishes our picture (XEP-0174 §"Buddy Icons"): its bytes, as they are, in a DNS NULL record on
     * our instance name, and their SHA-1 as {@code phsh} in our TXT record (so {@link #self()}'s
     * advert and {@code own.avatarHash()} follow it); empty withdraws it (no {@code phsh}, no record).
     *
     * @throws IllegalArgumentException when the picture is empty or too large for one mDNS packet
     *                                  ({@link chat.pronto.model.AvatarHash#checkPublishable})
     */
    void setAvatar(Optional<byte[]> picture);

    /**
     * Asks {@code peer} for its picture whose SHA-1 is {@code hash} (its {@code phsh}): completes with
     * the bytes, checked against the hash, or empty when none came after a few tries (also when the
     * peer went away or another hash replaced this one). Bounded: one query in flight per peer, a few
     * peers at once; a second call for the same picture joins the first.
     */
    java.util.concurrent.CompletableFuture<Optional<byte[]>> fetchAvatar(PeerId peer, String hash);

    void addListener(PresenceListener listener);

    /** Every network interface as discovery sees it now, for the diagnostics (none by default). */
    default List<chat.pronto.model.InterfaceCheck> interfaceChecks() {
        return List.of();
    }

    /** Sends the goodbye (TTL 0 records) and stops. */
    @Override
    void close();
}
