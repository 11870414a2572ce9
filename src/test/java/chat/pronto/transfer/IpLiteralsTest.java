package chat.pronto.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Streamhost addresses: literals only, never a name for the resolver; link-local ones on our link. */
class IpLiteralsTest {
    @Test
    void readsIpv4AndIpv6Literals() throws Exception {
        assertEquals(Optional.of(InetAddress.getByName("10.77.0.2")), IpLiterals.parse("10.77.0.2"));
        assertEquals(Optional.of(InetAddress.getByName("fd77::2")), IpLiterals.parse("fd77::2"));
        assertEquals(Optional.of(InetAddress.getByName("::ffff:1.2.3.4")), IpLiterals.parse("::ffff:1.2.3.4"));
        assertEquals(Optional.of(InetAddress.getByName("fe80::1")), IpLiterals.parse("fe80::1"));
    }

    /** "127.0.0.1." and "127.0.0.1.5" reach the resolver through InetAddress.getByName (seen on JDK 17). */
    @Test
    void refusesWhatTheJdkWouldLookUpAsAName() {
        for (String name : new String[] {"localhost", "127.0.0.1.", "127.0.0.1.5", "1.2.3.4.5", "example.org",
                "0x7f.1", "x:1", ".:1", "256.1.1.1", "1.2.3", "", "127.0.0.1 ", "fe80::1%no-such-interface-here"}) {
            assertEquals(Optional.empty(), IpLiterals.parse(name), name);
        }
        assertEquals(Optional.empty(), IpLiterals.parse(null));
    }

    @Test
    void aLinkLocalAddressWithoutZoneGetsTheZoneOfOurSideOfTheLink() throws Exception {
        NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        Inet6Address ours = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(),
                loopback.getIndex());
        InetAddress theirs = IpLiterals.parse("fe80::2").orElseThrow();

        Inet6Address scoped = (Inet6Address) IpLiterals.onLink(theirs, ours);
        assertEquals(loopback.getIndex(), scoped.getScopeId());
        assertEquals(InetAddress.getByName("10.0.0.1"), IpLiterals.onLink(InetAddress.getByName("10.0.0.1"), ours));
        assertEquals(theirs, IpLiterals.onLink(theirs, InetAddress.getByName("10.0.0.1")), "no zone to give");
        assertEquals(InetAddress.getByName("fd77::2"), IpLiterals.onLink(InetAddress.getByName("fd77::2"), ours));
    }

    @Test
    void ourLinkLocalAddressGoesToAPeerWithoutOurZone() throws Exception {
        NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        Inet6Address ours = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(),
                loopback.getIndex());
        assertTrue(ours.getHostAddress().contains("%"));
        assertEquals("fe80:0:0:0:0:0:0:1", IpLiterals.forPeer(ours));
        assertEquals("10.77.0.1", IpLiterals.forPeer(InetAddress.getByName("10.77.0.1")));
    }
}
