package chat.pronto.widearea;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Wide-area DNS-SD (RFC 6763 over unicast DNS), for networks where multicast does not reach people:
 * which domains to look in, which DNS server to ask, and where (and with which key) to register.
 *
 * @param domains    domains to browse, each also asked for the browsing domains it offers
 *                   ({@code b._dns-sd._udp} and {@code lb._dns-sd._udp}, RFC 6763 §11)
 * @param askTheNetwork also browse the domains the network's DNS offers: asked of the resolver's search
 *                   domains and of each IPv4 subnet's reverse-mapping domain (RFC 6763 §11)
 * @param server     the DNS server to ask; empty: the system's resolver
 * @param registerIn the domain to register our instance in with DNS UPDATE (RFC 2136); empty: browse only
 * @param key        the TSIG key the zone accepts updates signed with
 * @param every      how often the domains are read again (unicast DNS tells nobody of changes)
 */
public record WideAreaConfig(List<String> domains, boolean askTheNetwork, Optional<InetSocketAddress> server,
                             Optional<String> registerIn, Optional<TsigKey> key, Duration every) {
    /** Unicast DNS tells nobody of changes: the domains are read again this often. */
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(30);

    public WideAreaConfig {
        domains = List.copyOf(domains);
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(registerIn, "registerIn");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(every, "every");
    }

    /** Nothing configured: no DNS query at all. */
    public boolean isOff() {
        return domains.isEmpty() && !askTheNetwork && registerIn.isEmpty();
    }

    public static WideAreaConfig off() {
        return new WideAreaConfig(List.of(), false, Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_EVERY);
    }

    /**
     * A TSIG key (RFC 8945) as BIND's {@code tsig-keygen} prints it: name, algorithm
     * ({@code hmac-sha256}…), secret in base64. Given as {@code NAME:ALGORITHM:SECRET}.
     */
    public record TsigKey(String name, String algorithm, String secret) {
        public TsigKey {
            if (name == null || name.isBlank() || algorithm == null || algorithm.isBlank() || secret == null
                    || secret.isBlank()) {
                throw new IllegalArgumentException("a TSIG key needs a name, an algorithm and a secret");
            }
            try {
                java.util.Base64.getDecoder().decode(secret.strip());
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException("the TSIG secret is not base64");
            }
        }

        /** {@code NAME:ALGORITHM:SECRET} (the secret may itself hold no colon: base64 has none). */
        public static TsigKey parse(String text) {
            String[] parts = text.strip().split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("a TSIG key is given as NAME:ALGORITHM:SECRET");
            }
            return new TsigKey(parts[0].strip(), parts[1].strip(), parts[2].strip());
        }

        @Override
        public String toString() {
            return "TsigKey[" + name + ", " + algorithm + ", secret hidden]";
        }
    }
}
