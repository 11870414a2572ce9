package chat.pronto.session;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses an invite link offers: those of the interfaces that are up, loopback aside, IPv4
 * first; IPv6 link-local ones are left out (without the reader's interface they name nothing). Only
 * the listener's own address when it listens on one.
 */
final class OwnAddresses {
    private OwnAddresses() {
    }

    static List<String> forLinks(InetAddress listening) throws SocketException {
        if (!listening.isAnyLocalAddress()) {
            return List.of(listening.getHostAddress());
        }
        List<InetAddress> found = new ArrayList<>();
        var interfaces = NetworkInterface.getNetworkInterfaces();
        while (interfaces != null && interfaces.hasMoreElements()) {
            NetworkInterface nif = interfaces.nextElement();
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            nif.inetAddresses().filter(address -> address instanceof Inet4Address
                            || address instanceof Inet6Address && !address.isLinkLocalAddress())
                    .forEach(found::add);
        }
        return AddressOrder.sorted(found).stream().map(OwnAddresses::literal).toList();
    }

    /** Without a scope suffix: {@code fd00::5}, not {@code fd00::5%eth0}. */
    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}
