package chat.pronto.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.presence.PresenceService;
import chat.pronto.stream.PeerMatcher;

/**
 * Attributes an incoming stream to a peer by what mDNS says (PROTOCOL.md §3): the header's
 * {@code from} must name a peer we see, and the connection must come from one of that peer's
 * resolved addresses; without {@code from} (iChat, Adium) the source address must belong to exactly
 * one peer. TXT and headers are unauthenticated, so this only keeps casual spoofing out; the pinned
 * key is what proves an encrypted peer.
 *
 * <p>A peer that mDNS does not show (another subnet, an access point that isolates clients, one that
 * added us by address) is let in on condition that it encrypts, when {@code admission} says so: then
 * its key is who it is — the one pinned for its name, or pinned now on first use. A name that mDNS
 * shows at other addresses is let in that way only when a key is pinned for it.
 */
final class PresenceMatcher implements PeerMatcher {
    private final PresenceService presence;
    private final Admission admission;

    /** Which peers that mDNS does not vouch for may reach us over TLS. */
    interface Admission {
        /** Null when {@code name} may come in encrypted; else why not. */
        String refusal(String name);

        /** True when a key is pinned for {@code name}. */
        boolean pinned(String name);

        Admission NOBODY = new Admission() {
            @Override
            public String refusal(String name) {
                return name + " is not seen on the network";
            }

            @Override
            public boolean pinned(String name) {
                return false;
            }
        };
    }

    PresenceMatcher(PresenceService presence) {
        this(presence, Admission.NOBODY);
    }

    /** @param presence mDNS alone: what the link itself shows */
    PresenceMatcher(PresenceService presence, Admission admission) {
        this.presence = presence;
        this.admission = admission;
    }

    @Override
    public Verdict match(String claimedFrom, InetAddress source) {
        if (claimedFrom != null) {
            Optional<PeerAdvert> advert = peer(claimedFrom);
            if (advert.isEmpty()) {
                String refusal = admission.refusal(claimedFrom);
                return refusal == null ? Verdict.acceptEncrypted(claimedFrom) : Verdict.refuse("invalid-from", refusal);
            }
            if (!hasAddress(advert.get(), source)) {
                if (admission.pinned(claimedFrom)) {
                    return Verdict.acceptEncrypted(advert.get().id().name()); // its key will say
                }
                return Verdict.refuse("invalid-from", claimedFrom + " does not publish the address "
                        + source.getHostAddress() + " it connects from");
            }
            return Verdict.accept(advert.get().id().name());
        }
        List<PeerAdvert> owners = presence.peers().stream().filter(advert -> hasAddress(advert, source)).toList();
        if (owners.size() == 1) {
            return Verdict.accept(owners.get(0).id().name());
        }
        return Verdict.refuse("invalid-from", owners.isEmpty()
                ? "the stream names no sender and no peer publishes " + source.getHostAddress()
                : "the stream names no sender and " + owners.size() + " peers publish " + source.getHostAddress());
    }

    private Optional<PeerAdvert> peer(String name) {
        try {
            return presence.peer(PeerId.of(name));
        } catch (IllegalArgumentException blank) {
            return Optional.empty();
        }
    }

    /** Same address bytes; an IPv6 scope id (which interface) does not make another host. */
    static boolean hasAddress(PeerAdvert advert, InetAddress source) {
        byte[] wanted = plain(source);
        return advert.addresses().stream().anyMatch(address -> Arrays.equals(plain(address), wanted));
    }

    /** IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) compares as the IPv4 address. */
    private static byte[] plain(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
