package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.constants.DNSRecordClass;

import org.junit.jupiter.api.Test;

class CacheScheduleTest {
    private static final String TYPE = PresenceService.SERVICE_TYPE;

    private static DNSRecord.Service service(String instance, int ttl) {
        return new DNSRecord.Service(instance + "." + TYPE, DNSRecordClass.CLASS_IN, true, ttl, 0, 0, 5298, "host.local.");
    }

    private static DNSRecord.Pointer pointer(String instance) {
        return new DNSRecord.Pointer(TYPE, DNSRecordClass.CLASS_IN, false, 4500, instance + "." + TYPE);
    }

    @Test
    void aRecordsMomentIsWhenJmdnsFirstCallsItDueForAQuestion() {
        for (int i = 0; i < 50; i++) {
            DNSRecord.Service record = service("peer" + i, 120);
            long moment = CacheSchedule.nextMoment(record);

            assertTrue(record.isStaleAndShouldBeRefreshed(moment), "due at its moment");
            assertFalse(record.isStaleAndShouldBeRefreshed(moment - 1), "not a millisecond before");
            long share = (moment - record.getCreated()) * 100 / (120 * 1000L);
            assertTrue(share >= 80 && share <= 82, "JmDNS asks at 80–82 % of the life, found " + share);

            record.incrementRefreshPercentage();
            assertEquals(moment + 5 * 1200, CacheSchedule.nextMoment(record), "then every 5 % more");
        }
    }

    @Test
    void aRecordAskedForUntilItsEndHasItsEndAsItsMoment() {
        DNSRecord.Service record = service("bob@hostb", 120);
        for (int i = 0; i < 5; i++) {
            record.incrementRefreshPercentage(); // 100 % at most
        }
        assertEquals(record.getCreated() + 120_000, CacheSchedule.nextMoment(record));
        assertTrue(record.isExpired(CacheSchedule.nextMoment(record)));
    }

    @Test
    void aSweepGetsOnlyTheRecordsWhoseMomentHasCome() {
        IndexedDnsCache cache = new IndexedDnsCache();
        DNSRecord.Service shortLived = service("bob@hostb", 10);
        DNSRecord.Service longLived = service("carol@hostc", 120);
        cache.addDNSEntry(shortLived);
        cache.addDNSEntry(longLived);
        long created = shortLived.getCreated();

        assertEquals(List.of(), due(cache, created + 7_000), "nothing near its end after 7 s");
        assertEquals(List.of(shortLived), due(cache, created + 8_300), "the 10 s record at 83 %");
        assertEquals(List.of(), due(cache, created + 8_400), "each once: the sweep schedules what it keeps");

        cache.schedule().schedule(shortLived);
        cache.removeDNSEntry(service("bob@hostb", 10)); // an equal copy, as JmDNS removes
        assertEquals(List.of(), due(cache, created + 20_000), "a removed record is never due");
        assertEquals(1, cache.schedule().size());
        assertEquals(List.of(longLived), due(cache, created + 120_000));
    }

    @Test
    void aRecordLookedUpIsLookedAtByTheNextTwoSweeps() {
        IndexedDnsCache cache = new IndexedDnsCache();
        DNSRecord.Service cached = service("bob@hostb", 120);
        cache.addDNSEntry(cached);
        long now = cached.getCreated() + 1_000;

        assertEquals(cached, cache.getDNSEntry(service("bob@hostb", 0))); // what JmDNS does before a goodbye
        cached.setTTL(1); // ...and then the change in place the cache is not told of

        assertEquals(List.of(cached), due(cache, now), "the sweep after the look-up");
        assertEquals(List.of(cached), due(cache, now), "and the next, in case the change came after the first");
        assertEquals(List.of(), due(cache, now), "then only at its moment");
        cache.schedule().schedule(cached);
        assertEquals(List.of(cached), due(cache, cached.getCreated() + 1_000), "then at its moment, within its one second");
    }

    @Test
    void aLookedUpPointerTouchesOnlyItselfNotEveryPeersPointer() {
        IndexedDnsCache cache = new IndexedDnsCache();
        for (int i = 0; i < 100; i++) {
            cache.addDNSEntry(pointer("peer" + i));
        }
        DNSRecord.Pointer bob = pointer("bob@hostb");
        cache.addDNSEntry(bob);
        long now = bob.getCreated() + 1_000;

        cache.getDNSEntry(pointer("bob@hostb"));
        assertEquals(List.of(bob), due(cache, now));

        DNSRecord.Pointer flushing = new DNSRecord.Pointer(TYPE, DNSRecordClass.CLASS_IN, true, 4500, "bob@hostb." + TYPE);
        cache.getDNSEntry(flushing); // a cache-flush bit on a PTR record ends every other one of that name
        assertEquals(101, due(cache, now).size());
    }

    /** One sweep's records at {@code now}, as GatedJmdns asks for them. */
    private static List<DNSEntry> due(IndexedDnsCache cache, long now) {
        return cache.schedule().due(now, cache::getDNSEntryList);
    }
}
