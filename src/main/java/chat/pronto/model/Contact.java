package chat.pronto.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A peer as the front ends show it.
 *
 * @param advert what it publishes over mDNS; empty when it is not (or no longer) seen there
 * @param link   the stream open to it now
 * @param key    the fingerprint pinned for it, once a stream was encrypted
 * @param keyIsNew the key was taken on first use since Pronto started and nobody confirmed it: shown
 *               as new, so a look-alike of someone known (same nick, same status text) stands out
 * @param avatar the SHA-1 of the peer's picture once it is here to be shown (the chat service's
 *               {@code avatar(PeerId)} gives its bytes); empty while it publishes none or it has not
 *               arrived yet: its arrival is a new contact event
 * @param verified the user compared the pinned key with the peer (or opened its invite link): shown
 *               apart from keys merely taken on first use; a change of it is a blocking warning
 * @param direct reached by address (added by hand, from an invite link, or it reached us that way)
 *               rather than found over mDNS; its status comes over the stream
 */
public record Contact(PeerId id, Optional<PeerAdvert> advert, LinkSecurity link, Optional<String> key,
                      boolean keyIsNew, Optional<String> avatar, boolean verified, boolean direct) {
    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(advert, "advert");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(key, "key");
        avatar = Objects.requireNonNullElse(avatar, Optional.empty());
    }

    /** A peer found over mDNS whose key nobody verified. */
    public Contact(PeerId id, Optional<PeerAdvert> advert, LinkSecurity link, Optional<String> key, boolean keyIsNew,
                   Optional<String> avatar) {
        this(id, advert, link, key, keyIsNew, avatar, false, false);
    }

    /** A peer whose picture is not here (or who has none). */
    public Contact(PeerId id, Optional<PeerAdvert> advert, LinkSecurity link, Optional<String> key, boolean keyIsNew) {
        this(id, advert, link, key, keyIsNew, Optional.empty(), false, false);
    }

    /** Seen on the network, or talking to us over an open stream. */
    public boolean online() {
        return advert.isPresent() || link != LinkSecurity.NONE;
    }

    public String displayName() {
        return advert.map(PeerAdvert::displayName).orElse(id.name());
    }

    public Status status() {
        return advert.map(PeerAdvert::status).orElse(Status.AVAILABLE);
    }
}
