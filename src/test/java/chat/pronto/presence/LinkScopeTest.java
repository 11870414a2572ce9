package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class LinkScopeTest {
    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aLinkLocalAddressWithoutScopeGetsTheInterfaceOfTheResponderThatSawIt() throws Exception {
        InetAddress seen = LinkScope.apply(List.of(address("fe80::2")), OptionalInt.of(7)).get(0);

        assertEquals(7, ((Inet6Address) seen).getScopeId());
        assertEquals(address("fe80::2"), seen, "the same address, now usable");
    }

    @Test
    void otherAddressesAndAScopeAlreadyGivenStayAsTheyAre() throws Exception {
        List<InetAddress> addresses = List.of(address("10.0.0.2"), address("fd77::2"), address("fe80::3%4"));

        List<InetAddress> result = LinkScope.apply(addresses, OptionalInt.of(7));

        for (int i = 0; i < addresses.size(); i++) {
            assertSame(addresses.get(i), result.get(i));
        }
        assertEquals(4, ((Inet6Address) result.get(2)).getScopeId());
    }

    @Test
    void withoutAKnownInterfaceNothingChanges() throws Exception {
        List<InetAddress> addresses = List.of(address("fe80::2"));

        assertSame(addresses, LinkScope.apply(addresses, OptionalInt.empty()));
    }

    @Test
    void aResponderOnAScopedAddressUsesItsScope() throws Exception {
        InetAddress bound = Inet6Address.getByAddress(null, address("fe80::1").getAddress(), 5);

        assertEquals(OptionalInt.of(5), LinkScope.of(bound));
    }
}
