package chat.pronto.presence;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.OptionalInt;

/**
 * IPv6 link-local addresses (fe80::/10) name a host only together with the interface they were seen
 * on: dialing one without its scope id fails. JmDNS reads them from AAAA records without it, so each
 * responder gives the addresses it resolves the scope of its own interface.
 */
final class LinkScope {
    private LinkScope() {
    }

    /** The interface index of the responder bound to {@code address}, if the interface is still there. */
    static OptionalInt of(InetAddress address) {
        if (address instanceof Inet6Address v6 && v6.getScopeId() > 0) {
            return OptionalInt.of(v6.getScopeId());
        }
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            return nif == null || nif.getIndex() < 0 ? OptionalInt.empty() : OptionalInt.of(nif.getIndex());
        } catch (SocketException e) {
            return OptionalInt.empty();
        }
    }

    /** {@code addresses} with every link-local IPv6 address that has no scope id given {@code scope}; the rest as they are. */
    static List<InetAddress> apply(List<InetAddress> addresses, OptionalInt scope) {
        if (scope.isEmpty()) {
            return addresses;
        }
        return addresses.stream().map(address -> scoped(address, scope.getAsInt())).toList();
    }

    private static InetAddress scoped(InetAddress address, int scope) {
        if (address instanceof Inet6Address v6 && v6.isLinkLocalAddress() && v6.getScopeId() == 0
                && v6.getScopedInterface() == null) {
            try {
                return Inet6Address.getByAddress(null, v6.getAddress(), scope);
            } catch (UnknownHostException impossible) {
                return address; // sixteen bytes are always an IPv6 address
            }
        }
        return address;
    }
}
