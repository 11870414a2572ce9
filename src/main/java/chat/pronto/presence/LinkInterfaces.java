package chat.pronto.presence;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which interface addresses to advertise and browse on. By default every interface that is up, can
 * multicast, and is a real link to people nearby: not loopback, not point-to-point, not a container
 * bridge, VM network or VPN. The user (or a test) can name interfaces or addresses instead.
 */
public final class LinkInterfaces {
    /** Names of interfaces that lead to containers, VMs and VPNs rather than to the people in the room. */
    private static final Pattern VIRTUAL = Pattern.compile(
            "(docker|br-|veth|virbr|vmnet|vboxnet|tun|tap|wg|tailscale|zt|utun|llw|awdl|lxc|lxd|podman|cni|flannel|kube)"
                    + ".*");

    /** What we need to know of one interface; made from {@link NetworkInterface}, or by tests. */
    public record Link(String name, boolean up, boolean loopback, boolean multicast, boolean pointToPoint,
                       boolean virtual, List<InetAddress> addresses) {
        public Link {
            addresses = List.copyOf(addresses);
        }
    }

    /** An IPv4 or IPv6 literal, which InetAddress parses without asking DNS. */
    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private LinkInterfaces() {
    }

    /** The machine's interfaces as they are now. */
    public static List<Link> current() {
        List<Link> links = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                try {
                    links.add(new Link(nif.getName(), nif.isUp(), nif.isLoopback(), nif.supportsMulticast(),
                            nif.isPointToPoint(), nif.isVirtual(), Collections.list(nif.getInetAddresses())));
                } catch (SocketException vanishedMeanwhile) {
                    // The interface went away while we looked at it.
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return links;
    }

    /**
     * The addresses to use. With {@code wanted} empty: every address of every suitable interface.
     * Otherwise each entry is an interface name (all its addresses) or an address (exactly that one),
     * whatever kind of interface it is on: the user asked for it. IPv4 first.
     */
    public static List<InetAddress> select(List<Link> links, List<String> wanted) {
        List<InetAddress> chosen = new ArrayList<>();
        for (Link link : links) {
            if (!link.up()) {
                continue;
            }
            if (wanted.isEmpty()) {
                if (suitable(link)) {
                    chosen.addAll(link.addresses());
                }
                continue;
            }
            for (String entry : wanted) {
                if (entry.equals(link.name())) {
                    chosen.addAll(link.addresses());
                } else {
                    link.addresses().stream().filter(address -> matches(address, entry)).forEach(chosen::add);
                }
            }
        }
        List<InetAddress> unique = new ArrayList<>(chosen.stream().distinct().toList());
        unique.sort(Comparator.comparingInt(address -> address instanceof Inet4Address ? 0 : 1));
        return unique;
    }

    /** Why discovery leaves {@code link} alone by default; empty when it would use it. */
    public static Optional<String> whyIgnored(Link link) {
        if (!link.up()) {
            return Optional.of("down");
        }
        if (link.loopback()) {
            return Optional.of("loopback");
        }
        if (!link.multicast()) {
            return Optional.of("multicast is off on it");
        }
        if (link.pointToPoint()) {
            return Optional.of("a point-to-point link (a tunnel or VPN)");
        }
        if (link.virtual() || VIRTUAL.matcher(link.name().toLowerCase(Locale.ROOT)).matches()) {
            return Optional.of("leads to containers, virtual machines or a VPN");
        }
        if (link.addresses().isEmpty()) {
            return Optional.of("no address");
        }
        return Optional.empty();
    }

    /** A VPN or tunnel interface that is up (it may take the route to the LAN). */
    public static boolean isVpn(Link link) {
        return link.up() && !link.loopback() && (link.pointToPoint()
                || VPN.matcher(link.name().toLowerCase(Locale.ROOT)).matches());
    }

    private static final Pattern VPN = Pattern.compile("(tun|tap|wg|tailscale|zt|utun|ppp|ipsec|nordlynx|proton).*");

    static boolean suitable(Link link) {
        return link.multicast() && !link.loopback() && !link.pointToPoint() && !link.virtual()
                && !VIRTUAL.matcher(link.name().toLowerCase(Locale.ROOT)).matches();
    }

    /** An address given as a literal, written any way IPv6 allows ({@code fd77::1}, {@code FD77:0:0::1}); a scope id is optional. */
    private static boolean matches(InetAddress address, String entry) {
        String literal = address.getHostAddress();
        int scope = literal.indexOf('%');
        if (literal.equalsIgnoreCase(entry) || (scope > 0 && literal.substring(0, scope).equalsIgnoreCase(entry))) {
            return true;
        }
        String withoutScope = entry.contains("%") ? entry.substring(0, entry.indexOf('%')) : entry;
        if (!LITERAL.matcher(withoutScope).matches()) {
            return false; // an interface name: never a DNS lookup
        }
        try {
            return Arrays.equals(InetAddress.getByName(withoutScope).getAddress(), address.getAddress());
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
