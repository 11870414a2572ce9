package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import chat.pronto.model.InterfaceCheck;
import chat.pronto.model.NetworkCheck.Cause;
import chat.pronto.model.NetworkCheck.Finding;

/** The likely causes drawn from what discovery saw, and what the firewalls' own words say. */
class NetworkFindingsTest {
    private static InterfaceCheck used(String name, long own, long others, int peers, long up, Boolean port) {
        return new InterfaceCheck(name, List.of("10.0.0.1"), "", own, others, peers, up, port, "");
    }

    private static List<Cause> causes(List<Finding> findings) {
        return findings.stream().map(Finding::cause).toList();
    }

    @Test
    void eachSilenceSaysItsOwnCause() {
        List<Finding> findings = NetworkFindings.of(List.of(used("eth0", 0, 0, 0, 10, true),
                used("wlan0", 12, 0, 0, 10, true), used("eth1", 12, 40, 0, 10, false),
                used("eth2", 0, 0, 0, 1, null)), List.of(), List.of("wg0"), 5298, 0, 0);
        assertEquals(List.of(Cause.MDNS_BLOCKED_HERE, Cause.NOBODY_ELSE_HEARD, Cause.NO_CHAT_PEERS, Cause.VPN_UP,
                Cause.PORT_UNREACHABLE), causes(findings), "eth2 has not run long enough to say anything");
        assertEquals(List.of("eth0", "10"), findings.get(0).facts());
        assertEquals(List.of("10.0.0.1", "5298"), findings.get(4).facts());
    }

    @Test
    void noInterfaceNamesWhyEachIsLeftAlone() {
        List<Finding> findings = NetworkFindings.of(List.of(new InterfaceCheck("lo", List.of("127.0.0.1"), "loopback",
                0, 0, 0, 0, null, "")), List.of(), List.of(), 5298, 0, 0);
        assertEquals(List.of(new Finding(Cause.NO_USABLE_INTERFACE, List.of("lo: loopback"))), findings);
    }

    @Test
    void aFirewallThatDropsMdnsIsQuotedAndOneThatIsMerelyActiveIsMentioned() {
        List<Finding> findings = NetworkFindings.of(List.of(used("eth0", 3, 9, 2, 10, true)), List.of(
                new FirewallProbe.Reading("nftables", "1 input chain", true, Optional.of("udp dport 5353 drop")),
                new FirewallProbe.Reading("ufw", "active", true, Optional.empty())), List.of(), 5298, 2, 1);
        assertEquals(List.of(Cause.FIREWALL_DROPS_MDNS, Cause.FIREWALL_ACTIVE, Cause.PEERS_SEEN), causes(findings));
        assertEquals(List.of("2", "1"), findings.get(2).facts());
    }

    @Test
    void theFirewallsWordsAreRead() {
        FirewallProbe.Reading ufw = FirewallProbe.ufw(new FirewallProbe.Result(0, """
                Status: active

                To                         Action      From
                --                         ------      ----
                5353/udp                   DENY        Anywhere
                22/tcp                     ALLOW       Anywhere
                """));
        assertEquals(true, ufw.active());
        assertEquals(Optional.of("5353/udp                   DENY        Anywhere"), ufw.dropsMdns());
        assertEquals("ufw: active, no rule allows mDNS (UDP 5353)", "ufw: " + ufw.summary());
        assertEquals(false, FirewallProbe.ufw(new FirewallProbe.Result(1, "ERROR: You need to be root to run this script"))
                .active());
        assertEquals("cannot be read (ERROR: You need to be root to run this script)",
                FirewallProbe.ufw(new FirewallProbe.Result(1, "ERROR: You need to be root to run this script")).summary());

        FirewallProbe.Reading nft = FirewallProbe.nftables(new FirewallProbe.Result(0, """
                table inet filter {
                	chain input {
                		type filter hook input priority filter; policy accept;
                		udp dport 5353 drop
                	}
                }
                """));
        assertEquals(Optional.of("udp dport 5353 drop"), nft.dropsMdns());
        assertEquals("1 input chain", nft.summary());
    }
}
