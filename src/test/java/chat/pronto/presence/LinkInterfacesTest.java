package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import chat.pronto.presence.LinkInterfaces.Link;

class LinkInterfacesTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static Link link(String name, boolean up, boolean multicast, String... addresses) throws Exception {
        List<InetAddress> parsed = new java.util.ArrayList<>();
        for (String address : addresses) {
            parsed.add(ip(address));
        }
        return new Link(name, up, name.equals("lo"), multicast, name.startsWith("ppp"), false, parsed);
    }

    @Test
    void usesEveryRealMulticastLinkWithIpv4First() throws Exception {
        List<Link> links = List.of(link("lo", true, false, "127.0.0.1"),
                link("wlan0", true, true, "fe80::1%1", "192.168.1.20"),
                link("eth0", true, true, "10.0.0.5"),
                link("docker0", true, true, "172.17.0.1"),
                link("wg0", true, true, "10.8.0.2"),
                link("ppp0", true, true, "100.64.0.1"),
                link("eth1", false, true, "10.1.0.5"),
                link("nomcast0", true, false, "10.2.0.5"));

        assertEquals(List.of(ip("192.168.1.20"), ip("10.0.0.5"), ip("fe80::1%1")),
                LinkInterfaces.select(links, List.of()));
    }

    @Test
    void takesExactlyWhatTheUserNamesEvenOtherwiseSkippedInterfaces() throws Exception {
        List<Link> links = List.of(link("lo", true, false, "127.0.0.1"), link("eth0", true, true, "10.0.0.5"),
                link("docker0", true, true, "172.17.0.1", "fd00::1"));

        assertEquals(List.of(ip("172.17.0.1"), ip("fd00::1")), LinkInterfaces.select(links, List.of("docker0")));
        assertEquals(List.of(ip("127.0.0.1")), LinkInterfaces.select(links, List.of("127.0.0.1")));
        assertEquals(List.of(), LinkInterfaces.select(links, List.of("nope0")));
    }

    @Test
    void anAddressMatchesHoweverTheUserWritesIt() throws Exception {
        List<Link> links = List.of(link("eth0", true, true, "10.0.0.5", "fd77::1", "fe80::1%2"));

        assertEquals(List.of(ip("fd77::1")), LinkInterfaces.select(links, List.of("fd77::1")));
        assertEquals(List.of(ip("fd77::1")), LinkInterfaces.select(links, List.of("FD77:0:0::1")));
        assertEquals(List.of(ip("fe80::1%2")), LinkInterfaces.select(links, List.of("fe80::1")));
        assertEquals(List.of(ip("10.0.0.5")), LinkInterfaces.select(links, List.of("10.0.0.5")));
    }

    @Test
    void findsNothingWhereThereIsNothing() {
        assertEquals(List.of(), LinkInterfaces.select(List.of(), List.of()));
    }
}
