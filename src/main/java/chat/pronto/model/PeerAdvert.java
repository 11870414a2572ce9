package chat.pronto.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a peer publishes over mDNS, merged over all the records seen for it: addresses (IPv4 first),
 * the stream port from SRV, and what its TXT record says. Nothing here is authenticated (PROTOCOL.md §1).
 *
 * @param avatarHash the SHA-1 (lower-case hex) of the picture it publishes ({@code phsh}); empty when
 *                   it publishes none (a missing, empty or malformed {@code phsh})
 */
public record PeerAdvert(PeerId id, List<InetAddress> addresses, int port, Status status, String message,
                         String nick, String firstName, String lastName, String email, String jid,
                         Optional<Capabilities> capabilities, Optional<String> avatarHash) {
    public PeerAdvert {
        Objects.requireNonNull(id, "id");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(status, "status");
        message = Objects.requireNonNullElse(message, "");
        capabilities = Objects.requireNonNullElse(capabilities, Optional.empty());
        avatarHash = Objects.requireNonNullElse(avatarHash, Optional.<String>empty()).flatMap(AvatarHash::parse);
    }

    /** A peer that publishes no picture. */
    public PeerAdvert(PeerId id, List<InetAddress> addresses, int port, Status status, String message, String nick,
                      String firstName, String lastName, String email, String jid, Optional<Capabilities> capabilities) {
        this(id, addresses, port, status, message, nick, firstName, lastName, email, jid, capabilities, Optional.empty());
    }

    /** nick, else "first last", else the instance name (XEP-0174 §6.1). */
    public String displayName() {
        if (nick != null && !nick.isBlank()) {
            return nick.strip();
        }
        String full = ((firstName == null ? "" : firstName.strip()) + " "
                + (lastName == null ? "" : lastName.strip())).strip();
        return full.isEmpty() ? id.name() : full;
    }
}
