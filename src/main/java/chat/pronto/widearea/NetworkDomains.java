package chat.pronto.widearea;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Where the network may offer browsing domains (RFC 6763 §11): the resolver's search domains, and the
 * reverse-mapping domain of each IPv4 subnet we are on, host bits zeroed ({@code 0.1.168.192.in-addr.arpa.}
 * for 192.168.1.20/24), whose {@code b._dns-sd._udp} and {@code lb._dns-sd._udp} PTRs name them.
 */
final class NetworkDomains {
    private NetworkDomains() {
    }

    static List<Name> offering() {
        Set<Name> names = new LinkedHashSet<>();
        for (String search : DnsSd.searchDomains()) {
            try {
                names.add(DnsSd.domain(search));
            } catch (TextParseException ignored) {
                // A search domain that is no domain name: skipped.
            }
        }
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                NetworkInterface nif = interfaces.nextElement();
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress address : nif.getInterfaceAddresses()) {
                    if (address.getAddress() instanceof Inet4Address v4) {
                        names.add(reverseOfSubnet(v4.getAddress(), address.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException e) {
            // No interfaces to look at: the search domains alone.
        }
        return new ArrayList<>(names);
    }

    /** {@code 0.1.168.192.in-addr.arpa.} for 192.168.1.20 with a 24-bit prefix. */
    static Name reverseOfSubnet(byte[] address, int prefix) {
        int bits = Math.max(0, Math.min(32, prefix));
        long value = (address[0] & 0xffL) << 24 | (address[1] & 0xffL) << 16 | (address[2] & 0xffL) << 8
                | address[3] & 0xffL;
        long mask = bits == 0 ? 0 : 0xffffffffL << (32 - bits) & 0xffffffffL;
        long network = value & mask;
        String text = (network & 0xff) + "." + (network >> 8 & 0xff) + "." + (network >> 16 & 0xff) + "."
                + (network >> 24 & 0xff) + ".in-addr.arpa.";
        try {
            return Name.fromString(text);
        } catch (TextParseException e) {
            throw new IllegalStateException("a reverse-mapping name is always valid: " + text, e);
        }
    }
}
