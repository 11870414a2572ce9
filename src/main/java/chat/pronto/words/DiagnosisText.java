package chat.pronto.words;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import chat.pronto.model.InterfaceCheck;
import chat.pronto.model.NetworkCheck;
import chat.pronto.model.NetworkCheck.Finding;

/**
 * The network diagnostics in words: the likely causes first, then the facts per interface, the
 * firewalls and the last problems. The same text the window copies for a bug report and the
 * terminal prints.
 */
public final class DiagnosisText {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private DiagnosisText() {
    }

    /** One sentence per finding. */
    public static String of(Finding finding) {
        return switch (finding.cause()) {
            case NO_USABLE_INTERFACE -> "No network interface can find people nearby"
                    + (finding.facts().isEmpty() ? "." : ": " + String.join("; ", finding.facts()) + ".");
            case MDNS_BLOCKED_HERE -> "On " + finding.fact(0) + " our own announcements never came back in "
                    + finding.fact(1) + " s: something on this computer drops mDNS (UDP port 5353), most likely a"
                    + " firewall.";
            case FIREWALL_DROPS_MDNS -> finding.fact(0) + " has a rule that drops mDNS: " + finding.fact(1);
            case NOBODY_ELSE_HEARD -> "On " + finding.fact(0) + " we hear our own announcements but nobody else's"
                    + " (" + finding.fact(1) + " s): if others run Pronto there, the access point may isolate clients"
                    + " (guest Wi-Fi), or their firewall drops mDNS. Add them by address or with an invite link.";
            case NO_CHAT_PEERS -> "On " + finding.fact(0) + " other devices speak mDNS (" + finding.fact(1)
                    + " packets heard), but none offers serverless chat there.";
            case VPN_UP -> "A VPN or tunnel is up (" + String.join(", ", finding.facts()) + "): it may take the"
                    + " route to people nearby.";
            case PORT_UNREACHABLE -> "Our chat port " + finding.fact(1) + " did not answer on " + finding.fact(0)
                    + ": a firewall may block incoming chats.";
            case FIREWALL_ACTIVE -> "A firewall is active (" + finding.fact(0) + "): it must let UDP 5353 (mDNS) and"
                    + " Pronto's port in.";
            case PEERS_SEEN -> finding.fact(0) + " people seen on the network" + ("0".equals(finding.fact(1)) ? ""
                    : ", " + finding.fact(1) + " reached by address") + ": discovery works.";
        };
    }

    /** The whole report, for the terminal and for "copy as text". */
    public static String of(NetworkCheck check) {
        StringBuilder out = new StringBuilder();
        out.append("Pronto network diagnostics, ").append(AT.format(check.at())).append('\n');
        out.append("we are ").append(check.self()).append(", listening on port ").append(check.port()).append('\n');
        out.append('\n').append("Likely causes:\n");
        if (check.findings().isEmpty()) {
            out.append("  nothing found wrong (nobody seen yet either)\n");
        }
        check.findings().forEach(finding -> out.append("  - ").append(of(finding)).append('\n'));
        out.append('\n').append("Interfaces:\n");
        for (InterfaceCheck nif : check.interfaces()) {
            out.append("  ").append(nif.name()).append(' ').append(nif.addresses()).append('\n');
            if (!nif.used()) {
                out.append("      not used: ").append(nif.ignoredBecause()).append('\n');
            } else {
                out.append("      used for ").append(nif.upSeconds()).append(" s; our own packets seen back: ")
                        .append(nif.ownSeenBack()).append("; packets from others: ").append(nif.fromOthers())
                        .append("; peers: ").append(nif.peersSeen()).append('\n');
                if (nif.portReachable() != null) {
                    out.append("      chat port from its own address: ")
                            .append(nif.portReachable() ? "answers" : "does not answer").append('\n');
                }
            }
            if (!nif.error().isEmpty()) {
                out.append("      error: ").append(nif.error()).append('\n');
            }
        }
        out.append('\n').append("Firewalls:\n");
        if (check.firewalls().isEmpty()) {
            out.append("  none found (ufw, firewalld, nftables)\n");
        }
        check.firewalls().forEach(line -> out.append("  ").append(line).append('\n'));
        out.append('\n').append("Peers: ").append(check.peersOnLink()).append(" on the network, ")
                .append(check.peersByAddress()).append(" by address\n");
        if (!check.recent().isEmpty()) {
            out.append('\n').append("Last problems:\n");
            check.recent().forEach(problem -> out.append("  ").append(Sentences.of(problem)).append('\n'));
        }
        return out.toString();
    }
}
