package chat.pronto.widearea;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The DNS questions DNS-SD asks (PTR, SRV, TXT, A/AAAA, SOA) and DNS UPDATE, over one resolver with
 * no cache and no search path: what the server says now, every time. Instance names are single
 * labels of any UTF-8 ({@code alice@laptop} holds no dot, but names with dots, spaces or accents are
 * escaped byte by byte).
 */
final class DnsSd {
    static final String SERVICE = "_presence._tcp";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final SimpleResolver resolver;

    private DnsSd(SimpleResolver resolver) {
        this.resolver = resolver;
    }

    /** Asks {@code server}, or the first server of the system's resolver configuration. */
    static DnsSd using(Optional<InetSocketAddress> server, Optional<WideAreaConfig.TsigKey> key) throws IOException {
        SimpleResolver resolver;
        if (server.isPresent()) {
            resolver = new SimpleResolver(server.get());
        } else {
            List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
            if (servers.isEmpty()) {
                throw new IOException("no DNS server is configured on this computer");
            }
            resolver = new SimpleResolver(servers.get(0));
        }
        resolver.setTimeout(TIMEOUT);
        if (key.isPresent()) {
            resolver.setTSIGKey(new TSIG(key.get().algorithm(), key.get().name(), key.get().secret()));
        }
        return new DnsSd(resolver);
    }

    /** The search domains of the system's resolver (what the network's DHCP handed out). */
    static List<String> searchDomains() {
        return ResolverConfig.getCurrentConfig().searchPath().stream().map(name -> name.toString(true)).toList();
    }

    static Name domain(String text) throws TextParseException {
        return Name.fromString(text.endsWith(".") ? text : text + ".");
    }

    static Name serviceIn(Name domain) throws TextParseException {
        return Name.fromString(SERVICE, domain);
    }

    /** {@code label._presence._tcp.domain.} with the label escaped byte by byte. */
    static Name instance(String label, Name domain) throws TextParseException {
        StringBuilder escaped = new StringBuilder();
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '@') {
                escaped.append((char) c);
            } else {
                escaped.append('\\').append(String.format("%03d", c));
            }
        }
        return Name.fromString(escaped.toString(), serviceIn(domain));
    }

    /** The first label of {@code name}, as the text it holds. */
    static String firstLabel(Name name) {
        byte[] label = name.getLabel(0);
        return new String(label, 1, label.length - 1, StandardCharsets.UTF_8);
    }

    List<Name> pointers(Name name) throws IOException {
        List<Name> targets = new ArrayList<>();
        for (Record record : answers(name, Type.PTR)) {
            if (record instanceof PTRRecord ptr) {
                targets.add(ptr.getTarget());
            }
        }
        return targets;
    }

    Optional<SRVRecord> service(Name instance) throws IOException {
        return answers(instance, Type.SRV).stream().filter(SRVRecord.class::isInstance).map(SRVRecord.class::cast)
                .findFirst();
    }

    /** The TXT record's data as on the wire (length-prefixed strings), or empty. */
    Optional<byte[]> text(Name instance) throws IOException {
        return answers(instance, Type.TXT).stream().filter(record -> record.getType() == Type.TXT).findFirst()
                .map(Record::rdataToWireCanonical);
    }

    List<InetAddress> addresses(Name host) throws IOException {
        List<InetAddress> found = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            for (Record record : answers(host, type)) {
                if (record instanceof org.xbill.DNS.ARecord a) {
                    found.add(a.getAddress());
                } else if (record instanceof org.xbill.DNS.AAAARecord aaaa) {
                    found.add(aaaa.getAddress());
                }
            }
        }
        return found;
    }

    /** The zone {@code name} is in: the owner of the SOA in the answer or in the authority section. */
    Name zoneOf(Name name) throws IOException {
        Message response = ask(name, Type.SOA);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record record : response.getSection(section)) {
                if (record instanceof SOARecord) {
                    return record.getName();
                }
            }
        }
        throw new IOException("the DNS server names no zone for " + name);
    }

    /** Sends an update; fails unless the server took it, and (with a key) unless its answer is verified. */
    void update(Update update, boolean signed) throws IOException {
        Message response = resolver.send(update);
        if (signed && !response.isVerified()) {
            throw new IOException("the DNS server's answer to our update is not signed with our key");
        }
        if (response.getRcode() != Rcode.NOERROR) {
            throw new IOException("the DNS server refused the update: " + Rcode.string(response.getRcode()));
        }
    }

    private List<Record> answers(Name name, int type) throws IOException {
        Message response = ask(name, type);
        if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
            throw new IOException("the DNS server answered " + Rcode.string(response.getRcode()) + " for " + name);
        }
        return response.getSection(Section.ANSWER);
    }

    private Message ask(Name name, int type) throws IOException {
        return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    }
}
