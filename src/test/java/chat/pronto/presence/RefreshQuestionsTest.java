package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.HostInfo;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;

import org.junit.jupiter.api.Test;

/**
 * Renewing the cache (RFC 6762 §5.2): at 80 % of the SRV and address records' 120 s, JmDNS browsed
 * the type anew without known answers, so every responder sent every peer's four records again; here
 * only what is due is asked for, one question each.
 */
class RefreshQuestionsTest {
    private static final String TYPE = PresenceService.SERVICE_TYPE;
    private final IndexedDnsCache cache = new IndexedDnsCache();
    private final Map<String, String> hostOf = new HashMap<>();

    /** Peer {@code i} as python-zeroconf and avahi publish one: PTR and TXT 75 min, SRV and A 120 s. */
    private void peer(int i) throws Exception {
        String instance = "user" + i + "@machine" + i;
        String name = instance + "." + TYPE;
        String host = "machine" + i + ".local.";
        cache.addDNSEntry(new DNSRecord.Pointer(TYPE, DNSRecordClass.CLASS_IN, false, 4500, name));
        cache.addDNSEntry(new DNSRecord.Service(name, DNSRecordClass.CLASS_IN, true, 120, 0, 0, 5298, host));
        cache.addDNSEntry(new DNSRecord.Text(name, DNSRecordClass.CLASS_IN, true, 4500, TxtRecordTest.wire("txtvers=1")));
        InetAddress address = InetAddress.getByAddress(new byte[] {10, 99, (byte) (i >> 8), (byte) i});
        for (DNSRecord record : HostInfo.newHostInfo(address, null, "machine" + i).answers(DNSRecordClass.CLASS_IN, true, 120)) {
            cache.addDNSEntry(record);
        }
        hostOf.put(instance, host);
    }

    /** Whether each packet {@link #due} made last was marked truncated (TC: more known answers follow). */
    private final List<Boolean> truncated = new ArrayList<>();

    private List<MdnsMessage> due(long now) throws Exception {
        List<MdnsMessage> read = new ArrayList<>();
        truncated.clear();
        for (byte[] data : RefreshQuestions.due(cache.allValues(), cache, TYPE, hostOf::get, now)) {
            assertTrue(data.length <= DNSConstants.MAX_MSG_TYPICAL, data.length + " bytes");
            read.add(MdnsMessage.parse(data, 0, data.length).orElseThrow());
            truncated.add((data[2] & 0x02) != 0);
        }
        return read;
    }

    private static Map<Integer, Integer> questionsByType(List<MdnsMessage> packets) {
        Map<Integer, Integer> byType = new HashMap<>();
        packets.forEach(packet -> packet.questions().forEach(question -> byType.merge(question.type(), 1, Integer::sum)));
        return byType;
    }

    @Test
    void asksNothingWhileNothingIsDue() throws Exception {
        for (int i = 0; i < 10; i++) {
            peer(i);
        }
        assertEquals(List.of(), due(System.currentTimeMillis() + 60_000), "half of 120 s: nothing due");
    }

    @Test
    void atEightyPercentAsksEachPeersSrvRecordOnceAndNotItsPointerOrText() throws Exception {
        int peers = 5000;
        for (int i = 0; i < peers; i++) {
            peer(i);
        }

        List<MdnsMessage> packets = due(System.currentTimeMillis() + 97_000);

        Map<Integer, Integer> byType = questionsByType(packets);
        assertEquals(Map.of(MdnsMessage.TYPE_SRV, peers), byType,
                "SRV questions only: each answer brings its host's address, and PTR and TXT have an hour left");
        long distinct = packets.stream().flatMap(packet -> packet.questions().stream()).map(MdnsMessage.Question::name)
                .distinct().count();
        assertEquals(peers, distinct, "each name once");
        for (MdnsMessage packet : packets) {
            assertFalse(packet.response());
            assertTrue(packet.answers().isEmpty(), "no known answers in question packets");
            assertFalse(truncated.get(packets.indexOf(packet)), "TC would make responders wait for known answers");
            assertFalse(packet.questions().stream().anyMatch(MdnsMessage.Question::unicastResponse),
                    "multicast answers (QM): every cache on the link is renewed by them");
        }
        assertTrue(packets.size() < peers / 40, packets.size() + " packets: many questions to one");
    }

    @Test
    void asksForAnAddressThatIsDueWhenNoSrvQuestionBringsIt() throws Exception {
        peer(1);
        peer(2);
        long now = System.currentTimeMillis();
        // Peer 2's SRV record came again a minute later: only its host's address is due.
        String name2 = "user2@machine2." + TYPE;
        DNSRecord.Service fresher = new DNSRecord.Service(name2, DNSRecordClass.CLASS_IN, true, 180, 0, 0, 5298,
                "machine2.local.");
        cache.replaceDNSEntry(fresher, (DNSRecord) cache.getDNSEntry(fresher));

        List<MdnsMessage> packets = due(now + 97_000);

        List<String> asked = packets.stream().flatMap(packet -> packet.questions().stream())
                .map(question -> question.type() + " " + question.name()).sorted().toList();
        assertEquals(List.of(MdnsMessage.TYPE_A + " machine2.local.", MdnsMessage.TYPE_SRV + " user1@machine1." + TYPE.toLowerCase()),
                asked);
    }

    @Test
    void anInstanceNameWithDotsIsAskedForAsOneLabelAndTheTypeIsWrittenOnce() throws Exception {
        String name = "Bob.Smith@Host-B." + TYPE;
        cache.addDNSEntry(new DNSRecord.Service(name, DNSRecordClass.CLASS_IN, true, 120, 0, 0, 5298, "host-b.local."));
        cache.addDNSEntry(new DNSRecord.Service("carol@hostc." + TYPE, DNSRecordClass.CLASS_IN, true, 120, 0, 0, 5298,
                "hostc.local."));

        byte[] packet = RefreshQuestions.due(cache.allValues(), cache, TYPE, hostOf::get, System.currentTimeMillis() + 100_000).get(0);

        String text = new String(packet, java.nio.charset.StandardCharsets.ISO_8859_1);
        int bob = text.indexOf("Bob.Smith@Host-B");
        assertTrue(bob > 12, "as it was written");
        assertEquals("Bob.Smith@Host-B".length(), packet[bob - 1], "the instance is one label (RFC 6763 §4.3)");
        assertEquals(text.indexOf("_presence"), text.lastIndexOf("_presence"), "the second name points at the first's type");
        List<String> asked = MdnsMessage.parse(packet, 0, packet.length).orElseThrow().questions().stream()
                .map(MdnsMessage.Question::name).sorted().toList();
        assertEquals(List.of("bob.smith@host-b._presence._tcp.local.", "carol@hostc._presence._tcp.local."), asked);
    }

    @Test
    void leavesOutAddressesOfHostsThatAreNobodysPeer() throws Exception {
        for (DNSRecord record : HostInfo.newHostInfo(InetAddress.getByAddress(new byte[] {10, 1, 1, 1}), null, "printer")
                .answers(DNSRecordClass.CLASS_IN, true, 120)) {
            cache.addDNSEntry(record);
        }

        assertEquals(List.of(), due(System.currentTimeMillis() + 110_000), "JmDNS did not renew other hosts' records either");
    }

    @Test
    void aDuePointerIsAskedForWithThePointersNotDueAsKnownAnswers() throws Exception {
        for (int i = 0; i < 200; i++) {
            peer(i);
        }
        long now = System.currentTimeMillis();
        // One PTR record with 120 s, as some responders publish it: due at 97 s, the other 199 are not.
        DNSRecord.Pointer shortLived = new DNSRecord.Pointer(TYPE, DNSRecordClass.CLASS_IN, false, 120, "user0@machine0." + TYPE);
        cache.replaceDNSEntry(shortLived, (DNSRecord) cache.getDNSEntry(shortLived));

        List<MdnsMessage> packets = due(now + 97_000);

        List<MdnsMessage> pointerQuery = packets.stream()
                .filter(packet -> packet.questions().stream().anyMatch(question -> question.type() == MdnsMessage.TYPE_PTR)
                        || !packet.answers().isEmpty())
                .toList();
        assertTrue(pointerQuery.size() >= 2, "199 known answers take more than one packet: " + pointerQuery.size());
        assertEquals(1, questionsByType(pointerQuery).get(MdnsMessage.TYPE_PTR));
        assertEquals(MdnsMessage.TYPE_PTR, pointerQuery.get(0).questions().get(0).type(), "the question first");
        for (int i = 0; i < pointerQuery.size(); i++) {
            assertEquals(i < pointerQuery.size() - 1, truncated.get(packets.indexOf(pointerQuery.get(i))),
                    "TC on every packet but the last (RFC 6762 §7.2)");
        }
        long known = pointerQuery.stream().mapToLong(packet -> packet.answers().size()).sum();
        assertEquals(199, known, "every PTR record with more than half its life left, and not the one due");
        assertFalse(pointerQuery.stream().flatMap(packet -> packet.answers().stream())
                .anyMatch(answer -> "user0@machine0._presence._tcp.local.".equals(answer.target())));
    }
}
