package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;

import org.junit.jupiter.api.Test;

class IndexedDnsCacheTest {
    private static final String TYPE = PresenceService.SERVICE_TYPE;

    private static DNSRecord.Pointer pointer(String instance, DNSRecordClass recordClass) {
        return new DNSRecord.Pointer(TYPE, recordClass, false, 4500, instance + "." + TYPE);
    }

    @Test
    void findsTheCachedPointerToAName() {
        IndexedDnsCache cache = new IndexedDnsCache();
        for (int i = 0; i < 100; i++) {
            cache.addDNSEntry(pointer("user" + i + "@machine" + i, DNSRecordClass.CLASS_IN));
        }
        DNSRecord.Pointer cached = pointer("Bob@hostb", DNSRecordClass.CLASS_IN);
        cache.addDNSEntry(cached);

        assertSame(cached, cache.getDNSEntry(pointer("Bob@hostb", DNSRecordClass.CLASS_IN)));
        assertSame(cached, cache.getDNSEntry(pointer("Bob@hostb", DNSRecordClass.CLASS_ANY)), "as JmDNS's own look-up: any class");
        assertNull(cache.getDNSEntry(pointer("carol@hostc", DNSRecordClass.CLASS_IN)));
        assertEquals(101, cache.records());
        assertEquals(101, cache.getDNSEntryList(TYPE, DNSRecordType.TYPE_PTR, DNSRecordClass.CLASS_IN).size(),
                "JmDNS's own lists stay as they were");
    }

    @Test
    void forgetsARemovedOrReplacedPointer() {
        IndexedDnsCache cache = new IndexedDnsCache();
        DNSRecord.Pointer bob = pointer("bob@hostb", DNSRecordClass.CLASS_IN);
        cache.addDNSEntry(bob);
        cache.removeDNSEntry(pointer("bob@hostb", DNSRecordClass.CLASS_IN)); // an equal one, as JmDNS removes

        assertNull(cache.getDNSEntry(pointer("bob@hostb", DNSRecordClass.CLASS_IN)));
        assertEquals(0, cache.records());

        DNSRecord.Pointer carol = pointer("carol@hostc", DNSRecordClass.CLASS_IN);
        DNSRecord.Pointer dave = pointer("dave@hostd", DNSRecordClass.CLASS_IN);
        cache.addDNSEntry(carol);
        cache.replaceDNSEntry(dave, carol);
        assertNull(cache.getDNSEntry(pointer("carol@hostc", DNSRecordClass.CLASS_IN)));
        assertSame(dave, cache.getDNSEntry(pointer("dave@hostd", DNSRecordClass.CLASS_IN)));
    }
}
