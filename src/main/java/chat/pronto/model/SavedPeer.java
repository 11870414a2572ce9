package chat.pronto.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A peer reached by address rather than found over mDNS (added by hand, from an invite link, or one
 * that reached us that way): dialed again at start and while it is offline.
 *
 * @param host    what to dial: an address literal or a host name, as added (or the address it came from)
 * @param port    its stream port; 0 while not known (it reached us and has not told us its port yet)
 * @param origin  how it came to be saved
 */
public record SavedPeer(PeerId id, String host, int port, Origin origin) {
    /** How a saved peer came to be saved. */
    public enum Origin {
        /** The user added it by address. */
        ADDRESS,
        /** The user opened its invite link (its key is verified). */
        INVITE,
        /** It dialed us from outside our multicast reach and told us where it listens. */
        REACHED_US
    }

    public SavedPeer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(origin, "origin");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    /** Where to dial it, when known. */
    public Optional<String> hostAndPort() {
        return port == 0 ? Optional.empty() : Optional.of(HostPort.format(host, port));
    }
}
