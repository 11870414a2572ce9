package chat.pronto.presence;

/** Something about the network the user should know, in words the UI can show as they are. */
public sealed interface PresenceDiagnostic {
    String describe();

    /** No interface can reach people nearby: Pronto is alone. */
    record NoUsableInterface() implements PresenceDiagnostic {
        @Override
        public String describe() {
            return "No network connection that can find people nearby (no multicast-capable interface is up).";
        }
    }

    /** Up for a while and nobody seen: multicast may be blocked (guest Wi-Fi, firewall, client isolation). */
    record NoPeersSeen(String address, long seconds) implements PresenceDiagnostic {
        @Override
        public String describe() {
            return "Nobody seen on " + address + " for " + seconds + " s. If people nearby run Pronto, the network"
                    + " may block multicast (guest Wi-Fi, client isolation or a firewall on UDP port 5353).";
        }
    }

    /** We could not start mDNS on an address (port 5353 in use without sharing, permissions, …). */
    record InterfaceFailed(String address, String reason) implements PresenceDiagnostic {
        @Override
        public String describe() {
            return "Could not use " + address + " for discovery: " + reason;
        }
    }
}
