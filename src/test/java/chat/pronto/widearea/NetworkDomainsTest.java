package chat.pronto.widearea;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkDomainsTest {
    @ParameterizedTest
    @CsvSource({
            "192.168.1.20, 24, 0.1.168.192.in-addr.arpa.",
            "10.78.2.2, 24, 0.2.78.10.in-addr.arpa.",
            "172.16.5.9, 16, 0.0.16.172.in-addr.arpa.",
            "10.1.2.3, 20, 0.0.1.10.in-addr.arpa.",
            "10.1.2.3, 32, 3.2.1.10.in-addr.arpa."})
    void theSubnetsReverseMappingDomainHasItsHostBitsZeroed(String address, int prefix, String expected)
            throws Exception {
        assertEquals(expected, NetworkDomains.reverseOfSubnet(java.net.InetAddress.getByName(address).getAddress(), prefix)
                .toString());
    }

    @ParameterizedTest
    @CsvSource({"alice@laptop", "zoë@Zoë's laptop (2)", "a.b@c.d"})
    void anInstanceNameIsOneLabelWhateverItHolds(String name) throws Exception {
        org.xbill.DNS.Name instance = DnsSd.instance(name, DnsSd.domain("chat.example.org"));
        assertEquals(name, DnsSd.firstLabel(instance));
        assertEquals("_presence._tcp.chat.example.org.", new org.xbill.DNS.Name(instance, 1).toString());
    }
}
