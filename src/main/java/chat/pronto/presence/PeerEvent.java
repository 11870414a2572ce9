package chat.pronto.presence;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;

/** A change in who is nearby. */
public sealed interface PeerEvent {
    PeerId id();

    /** A peer was resolved for the first time (addresses, port and TXT known). */
    record Appeared(PeerAdvert advert) implements PeerEvent {
        @Override
        public PeerId id() {
            return advert.id();
        }
    }

    /** Something a peer publishes changed: status, message, names, addresses, port. */
    record Updated(PeerAdvert advert) implements PeerEvent {
        @Override
        public PeerId id() {
            return advert.id();
        }
    }

    /** The peer said goodbye, its records expired, or the session layer saw its stream die. */
    record Vanished(PeerId id) implements PeerEvent {
    }
}
