package chat.pronto.presence;

import chat.pronto.model.PeerId;

/** Receives presence news on the presence service's own event thread ({@code pronto-presence-events}), in order. */
public interface PresenceListener {
    void onPeerEvent(PeerEvent event);

    /** Another host owns our name: we now advertise as {@code newName} (XEP-0174 {@code user-1@machine}). */
    default void onRenamed(PeerId newName) {
    }

    /** Something about the network the user should know (no interface, multicast looks blocked). */
    default void onDiagnostic(PresenceDiagnostic diagnostic) {
    }
}
