package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

/** One host, one share of the incoming streams, however many IPv6 addresses it uses. */
class SourceHostTest {
    private static SourceHost of(String address) throws Exception {
        return SourceHost.of(InetAddress.getByName(address));
    }

    @Test
    void addressesInOneIpv6Slash64AreOneHost() throws Exception {
        assertEquals(of("2001:db8:1:2::1"), of("2001:db8:1:2:a:b:c:d"));
        assertEquals(of("fe80::1%1"), of("fe80::dead:beef"));
        assertNotEquals(of("2001:db8:1:2::1"), of("2001:db8:1:3::1"));
    }

    @Test
    void ipv4AddressesAreHostsEachAndMappedOnesAreTheSame() throws Exception {
        assertNotEquals(of("10.0.0.1"), of("10.0.0.2"));
        assertEquals(of("10.0.0.1"), of("::ffff:10.0.0.1"));
    }
}
