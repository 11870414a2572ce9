package chat.pronto.session;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;

/** The order to try a peer's addresses in: IPv4 first (an IPv6 link-local address without scope is a poor first try). */
final class AddressOrder {
    private AddressOrder() {
    }

    static List<InetAddress> sorted(List<InetAddress> addresses) {
        return addresses.stream().distinct()
                .sorted(Comparator.comparingInt(address -> address instanceof Inet4Address ? 0 : 1)).toList();
    }
}
