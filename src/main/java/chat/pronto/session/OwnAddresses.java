package chat.pronto.session;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import chat.pronto.presence.LinkInterfaces;

/**
 * The addresses we can be reached at, for an invite link and for wide-area registration: those of
 * the interfaces that are up, loopback aside, IPv4 first; IPv6 link-local ones are left out (without
 * the reader's interface they name nothing). Only the listener's own address when it listens on one.
 */
final class OwnAddresses {
    private OwnAddresses() {
    }

    static List<InetAddress> of(InetAddress listening) {
        if (!listening.isAnyLocalAddress()) {
            return List.of(listening);
        }
        return AddressOrder.sorted(LinkInterfaces.current().stream().filter(link -> link.up() && !link.loopback())
                .flatMap(link -> link.addresses().stream())
                .filter(address -> address instanceof Inet4Address
                        || address instanceof Inet6Address && !address.isLinkLocalAddress())
                .toList());
    }

    /** As text without a scope suffix: {@code fd00::5}, not {@code fd00::5%eth0}. */
    static List<String> literals(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress)
                .map(text -> text.contains("%") ? text.substring(0, text.indexOf('%')) : text).toList();
    }
}
