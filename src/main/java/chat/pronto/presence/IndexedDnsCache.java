package chat.pronto.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.jmdns.impl.DNSCache;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSRecord;

/**
 * JmDNS's cache, with the look-up JmDNS makes for every record it takes in made quick for PTR records.
 * JmDNS keeps all the records of one name in one list, and every PTR record of a service type has
 * the same name ({@code _presence._tcp.local.}): finding the cached copy of an incoming PTR walked
 * that whole list, decoding each entry's name with a regular expression (its subtype). With 2,000
 * peers on the link that look-up was most of the listener thread's time (a JFR profile: the cliff of
 * issue 13), so answers piled up unread and the socket dropped them. Here PTR records are also
 * indexed by name and target; every other look-up is JmDNS's own. It also counts its records, so
 * that the responder can bound what the link makes it hold.
 */
final class IndexedDnsCache extends DNSCache {
    private static final long serialVersionUID = 1L;

    /** PTR records by key (lower-case name), then by target. */
    private final transient Map<String, Map<String, List<DNSEntry>>> pointers = new HashMap<>();
    private final transient AtomicInteger records = new AtomicInteger();

    IndexedDnsCache() {
        super(1024);
    }

    /** How many records it holds. */
    int records() {
        return records.get();
    }

    /**
     * The PTR records named {@code name} (a service type), each with the name it points to as its
     * service object names it: a copy, without decoding a name again.
     */
    Map<DNSEntry, String> pointersNamed(String name) {
        Map<DNSEntry, String> found = new IdentityHashMap<>();
        synchronized (pointers) {
            pointers.getOrDefault(name.toLowerCase(Locale.ROOT), Map.of())
                    .forEach((target, entries) -> entries.forEach(entry -> found.put(entry, target)));
        }
        return found;
    }

    @Override
    public DNSEntry getDNSEntry(DNSEntry wanted) {
        if (!(wanted instanceof DNSRecord.Pointer pointer)) {
            return super.getDNSEntry(wanted);
        }
        String target = target(pointer);
        synchronized (pointers) {
            List<DNSEntry> candidates = pointers.getOrDefault(wanted.getKey(), Map.of()).get(target);
            if (candidates != null) {
                for (DNSEntry candidate : candidates) {
                    if (candidate.isSameEntry(wanted)) {
                        return candidate;
                    }
                }
            }
        }
        return null;
    }

    @Override
    public boolean addDNSEntry(DNSEntry entry) {
        boolean added = super.addDNSEntry(entry);
        if (added) {
            records.incrementAndGet();
            index(entry);
        }
        return added;
    }

    @Override
    public boolean removeDNSEntry(DNSEntry entry) {
        boolean removed = super.removeDNSEntry(entry);
        if (removed) {
            records.decrementAndGet();
            unindex(entry);
        }
        return removed;
    }

    @Override
    public boolean replaceDNSEntry(DNSEntry replacement, DNSEntry existing) {
        boolean replaced = super.replaceDNSEntry(replacement, existing);
        if (replaced) {
            unindex(existing);
            index(replacement);
        }
        return replaced;
    }

    /**
     * The name a PTR record points to, as its service object names it (JmDNS keeps the record's own
     * field to itself). Two targets that come out the same only share a list: the final test is JmDNS's.
     */
    private static String target(DNSRecord.Pointer pointer) {
        return pointer.getServiceInfo(false).getQualifiedName();
    }

    private void index(DNSEntry entry) {
        if (entry instanceof DNSRecord.Pointer pointer) {
            String target = target(pointer);
            synchronized (pointers) {
                pointers.computeIfAbsent(entry.getKey(), key -> new HashMap<>())
                        .computeIfAbsent(target, alias -> new ArrayList<>(1)).add(entry);
            }
        }
    }

    private void unindex(DNSEntry entry) {
        if (entry instanceof DNSRecord.Pointer pointer) {
            String target = target(pointer);
            synchronized (pointers) {
                Map<String, List<DNSEntry>> byAlias = pointers.get(entry.getKey());
                List<DNSEntry> same = byAlias == null ? null : byAlias.get(target);
                if (same != null) {
                    same.remove(entry); // as JmDNS's list does: the first equal one
                    if (same.isEmpty()) {
                        byAlias.remove(target);
                        if (byAlias.isEmpty()) {
                            pointers.remove(entry.getKey());
                        }
                    }
                }
            }
        }
    }
}
