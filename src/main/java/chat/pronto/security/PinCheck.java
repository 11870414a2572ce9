package chat.pronto.security;

/** What a presented key means for a peer name, given the pins we hold. */
public sealed interface PinCheck {
    /** The key the peer presented in this handshake. */
    Fingerprint presented();

    /** The key is the one we pinned. */
    record Match(Fingerprint presented) implements PinCheck {
    }

    /** We never saw this name: the key will be pinned once the handshake succeeds. */
    record FirstUse(Fingerprint presented) implements PinCheck {
    }

    /** The name comes with another key than the one we pinned: refused. */
    record Changed(Fingerprint pinned, Fingerprint presented) implements PinCheck {
    }
}
