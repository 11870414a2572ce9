package chat.pronto.session;

import java.util.ArrayList;
import java.util.List;

import chat.pronto.model.InterfaceCheck;
import chat.pronto.model.NetworkCheck.Cause;
import chat.pronto.model.NetworkCheck.Finding;

/**
 * The likely causes, drawn from what the diagnostics saw, most telling first. Discovery must have
 * run a few seconds on an interface before its silence says anything (our own announcements come
 * back within milliseconds; other hosts answer a query within a second).
 */
final class NetworkFindings {
    /** Long enough for our start-up announcements to have looped back, and for others to answer our queries. */
    static final long SETTLED_SECONDS = 3;

    private NetworkFindings() {
    }

    static List<Finding> of(List<InterfaceCheck> interfaces, List<FirewallProbe.Reading> firewalls, List<String> vpns,
                            int port, int peersOnLink, int peersByAddress) {
        List<Finding> findings = new ArrayList<>();
        List<InterfaceCheck> used = interfaces.stream().filter(InterfaceCheck::used).toList();
        if (used.isEmpty()) {
            findings.add(new Finding(Cause.NO_USABLE_INTERFACE, interfaces.stream()
                    .map(check -> check.name() + ": " + check.ignoredBecause()).toList()));
        }
        for (InterfaceCheck check : used) {
            if (check.upSeconds() < SETTLED_SECONDS) {
                continue;
            }
            if (check.ownSeenBack() == 0) {
                findings.add(Finding.of(Cause.MDNS_BLOCKED_HERE, check.name(), check.upSeconds()));
            } else if (check.fromOthers() == 0) {
                findings.add(Finding.of(Cause.NOBODY_ELSE_HEARD, check.name(), check.upSeconds()));
            } else if (check.peersSeen() == 0) {
                findings.add(Finding.of(Cause.NO_CHAT_PEERS, check.name(), check.fromOthers()));
            }
        }
        firewalls.forEach(reading -> reading.dropsMdns().ifPresent(rule ->
                findings.add(Finding.of(Cause.FIREWALL_DROPS_MDNS, reading.firewall(), rule))));
        if (!vpns.isEmpty()) {
            findings.add(new Finding(Cause.VPN_UP, vpns));
        }
        for (InterfaceCheck check : used) {
            if (Boolean.FALSE.equals(check.portReachable())) {
                findings.add(Finding.of(Cause.PORT_UNREACHABLE, check.addresses().get(0), port));
            }
        }
        firewalls.stream().filter(reading -> reading.active() && reading.dropsMdns().isEmpty())
                .forEach(reading -> findings.add(Finding.of(Cause.FIREWALL_ACTIVE, reading.firewall() + ": "
                        + reading.summary())));
        if (peersOnLink + peersByAddress > 0) {
            findings.add(Finding.of(Cause.PEERS_SEEN, peersOnLink, peersByAddress));
        }
        return findings;
    }
}
