package chat.pronto.session;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import chat.pronto.model.Contact;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.presence.PresenceService;
import chat.pronto.security.Fingerprint;
import chat.pronto.security.KnownPeers;

/**
 * A peer as the front ends see it: what presence says, how its stream travels, which key is pinned,
 * whether its picture is here.
 */
final class Contacts {
    private final PresenceService presence;
    private final KnownPeers knownPeers;
    private final PeerSessions sessions;
    private final Avatars avatars;
    private final DirectPeers direct;

    Contacts(PresenceService presence, KnownPeers knownPeers, PeerSessions sessions, Avatars avatars,
             DirectPeers direct) {
        this.direct = direct;
        this.presence = presence;
        this.knownPeers = knownPeers;
        this.sessions = sessions;
        this.avatars = avatars;
    }

    Contact of(PeerId peer) {
        Optional<PeerAdvert> advert = presence.peer(peer);
        return new Contact(peer, advert,
                sessions.existing(peer).map(PeerSession::link).orElse(LinkSecurity.NONE),
                knownPeers.pinned(peer.name()).map(Fingerprint::toDisplayString),
                knownPeers.isNewlyPinned(peer.name()), avatars.ready(advert), knownPeers.isVerified(peer.name()),
                direct.isOnline(peer) || advert.isEmpty() && direct.saved(peer).isPresent());
    }

    /** Everyone seen on the network or connected to us. */
    List<Contact> all() {
        Set<PeerId> ids = new LinkedHashSet<>();
        presence.peers().forEach(advert -> ids.add(advert.id()));
        sessions.all().stream().filter(session -> session.link() != LinkSecurity.NONE)
                .forEach(session -> ids.add(session.peer));
        return ids.stream().map(this::of).toList();
    }

    /** The peer, if it is online or we have a conversation going with it. */
    Optional<Contact> find(PeerId peer) {
        Contact contact = of(peer);
        return contact.online() || sessions.existing(peer).isPresent() ? Optional.of(contact) : Optional.empty();
    }
}
