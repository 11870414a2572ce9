package chat.pronto.widearea;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.presence.Adverts;

/**
 * Our instance in a unicast DNS zone (RFC 6763 over RFC 2136 updates): the PTR that lists it under
 * {@code _presence._tcp}, its SRV (our host and port), its TXT (what mDNS would publish) and our
 * host's A/AAAA records. Each publish replaces the whole set; withdrawing deletes it.
 */
final class Registration {
    private static final long TTL = 120;

    private final DnsSd dns;
    private final Name zone;
    private final Name service;
    private final Name instance;
    private final Name host;
    private final int port;
    private final Supplier<List<InetAddress>> addresses;
    private final boolean signed;

    /** @param signed the updates go signed with a TSIG key, so the server's answers must be verified */
    Registration(DnsSd dns, String domain, PeerId self, int port, Supplier<List<InetAddress>> addresses,
                 boolean signed) throws IOException {
        this.dns = dns;
        Name in = DnsSd.domain(domain);
        this.zone = dns.zoneOf(in);
        this.service = DnsSd.serviceIn(in);
        this.instance = DnsSd.instance(self.name(), in);
        this.host = Name.fromString(hostLabel(self), in);
        this.port = port;
        this.addresses = addresses;
        this.signed = signed;
    }

    /** A host label from the instance's machine part: letters, digits and hyphens. */
    private static String hostLabel(PeerId self) {
        String machine = (self.machine().isEmpty() ? self.user() : self.machine()).replaceAll("[^A-Za-z0-9-]", "-");
        String user = self.user().replaceAll("[^A-Za-z0-9-]", "-");
        String label = ("pronto-" + user + "-" + machine).replaceAll("-+", "-");
        return label.length() > 63 ? label.substring(0, 63) : label;
    }

    void publish(OwnPresence own) throws IOException {
        List<InetAddress> mine = addresses.get();
        if (mine.isEmpty()) {
            throw new IOException("no address of ours to register");
        }
        Update update = new Update(zone);
        update.delete(instance);
        update.delete(host);
        update.delete(new PTRRecord(service, DClass.IN, 0, instance)); // this one pointer: others' stay
        update.add(new PTRRecord(service, DClass.IN, TTL, instance));
        update.add(new SRVRecord(instance, DClass.IN, TTL, 0, 0, port, host));
        update.add(Record.newRecord(instance, Type.TXT, DClass.IN, TTL, Adverts.txtFor(own, port)));
        for (InetAddress address : mine) {
            update.add(address instanceof Inet4Address
                    ? new ARecord(host, DClass.IN, TTL, address)
                    : new AAAARecord(host, DClass.IN, TTL, address));
        }
        dns.update(update, signed);
    }

    void withdraw() throws IOException {
        Update update = new Update(zone);
        update.delete(new PTRRecord(service, DClass.IN, 0, instance));
        update.delete(instance);
        update.delete(host);
        dns.update(update, signed);
    }
}
