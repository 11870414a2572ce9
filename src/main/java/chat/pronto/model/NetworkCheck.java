package chat.pronto.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why nobody shows up (or that all is well): what discovery sees per interface, what the firewalls
 * say, what went wrong lately, and the likely causes drawn from it, most telling first. Data only:
 * the front ends say it in words (and copy it as text for a bug report).
 *
 * @param firewalls one line per firewall that could be read ({@code ufw: active}, {@code nftables: …})
 * @param recent    the last problems reported, oldest first
 */
public record NetworkCheck(Instant at, PeerId self, int port, List<InterfaceCheck> interfaces, List<Finding> findings,
                           List<String> firewalls, List<Problem> recent, int peersOnLink, int peersByAddress) {
    public NetworkCheck {
        Objects.requireNonNull(at, "at");
        interfaces = List.copyOf(interfaces);
        findings = List.copyOf(findings);
        firewalls = List.copyOf(firewalls);
        recent = List.copyOf(recent);
    }

    /** A likely cause, with its facts. */
    public record Finding(Cause cause, List<String> facts) {
        public Finding {
            Objects.requireNonNull(cause, "cause");
            facts = List.copyOf(facts);
        }

        public static Finding of(Cause cause, Object... facts) {
            return new Finding(cause, java.util.Arrays.stream(facts).map(String::valueOf).toList());
        }

        public String fact(int index) {
            return index < facts.size() ? facts.get(index) : "";
        }
    }

    /** What the findings can say. */
    public enum Cause {
        /** No interface can multicast to people nearby. Facts: each ignored interface as "name: why". */
        NO_USABLE_INTERFACE,
        /** Our own announcements never came back on an interface: this computer drops mDNS. Facts: interface, seconds. */
        MDNS_BLOCKED_HERE,
        /** A firewall rule that drops mDNS was read. Facts: the firewall, the rule. */
        FIREWALL_DROPS_MDNS,
        /**
         * We hear ourselves but nobody else on an interface: the access point may isolate clients, or
         * nobody else is there. Facts: interface, seconds.
         */
        NOBODY_ELSE_HEARD,
        /** Other devices speak mDNS on an interface, but none runs serverless chat. Facts: interface, packets heard. */
        NO_CHAT_PEERS,
        /** A VPN or tunnel is up: it may take the route to the LAN. Facts: the interfaces. */
        VPN_UP,
        /** Our stream port did not answer from an interface's own address. Facts: address, port. */
        PORT_UNREACHABLE,
        /** A firewall is active; it may stop mDNS or our port. Facts: the firewall. */
        FIREWALL_ACTIVE,
        /** People are seen: discovery works. Facts: how many on the link, how many by address. */
        PEERS_SEEN
    }
}
