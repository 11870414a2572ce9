package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSQuestion;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;

import org.junit.jupiter.api.Test;

/** Packets written by JmDNS itself (with name compression), read back the way the gate reads them. */
class MdnsMessageTest {
    private static final String BOB = "Bob@hostb._presence._tcp.local.";

    private static byte[] announcement() throws Exception {
        DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_RESPONSE | DNSConstants.FLAGS_AA);
        out.addAnswer(new DNSRecord.Pointer("_presence._tcp.local.", DNSRecordClass.CLASS_IN, false, 4500, BOB), 0);
        out.addAnswer(new DNSRecord.Service(BOB, DNSRecordClass.CLASS_IN, true, 120, 0, 0, 5298, "HostB-1a2b.local."), 0);
        out.addAnswer(new DNSRecord.Text(BOB, DNSRecordClass.CLASS_IN, true, 4500, TxtRecordTest.wire("txtvers=1")), 0);
        return out.data();
    }

    @Test
    void readsEveryRecordOfAnAnnouncementWithCompressedNames() throws Exception {
        byte[] data = announcement();

        MdnsMessage message = MdnsMessage.parse(data, 0, data.length).orElseThrow();

        assertTrue(message.response());
        assertEquals(3, message.answers().size());
        MdnsMessage.Record srv = message.answers().get(1);
        assertEquals("bob@hostb._presence._tcp.local.", srv.name(), "names compare in lower case");
        assertEquals(MdnsMessage.TYPE_SRV, srv.type());
        assertEquals(MdnsMessage.CLASS_IN, srv.rrClass(), "without the cache-flush bit");
        // JmDNS writes the TTL left when it serialises, in whole seconds rounded down: 120 within the same
        // millisecond, 119 a millisecond later (a loaded CI machine saw that).
        assertTrue(srv.ttl() <= 120 && srv.ttl() >= 110, "the record's 120 s, less what passed: " + srv.ttl());
        assertEquals(5298, srv.port());
        assertEquals("hostb-1a2b.local.", srv.target());
        byte[] uncompressed = {0, 0, 0, 0, 0x14, (byte) 0xb2, 10, 'H', 'o', 's', 't', 'B', '-', '1', 'a', '2', 'b', 5, 'l',
                'o', 'c', 'a', 'l', 0};
        assertArrayEquals(uncompressed, srv.rdata(), "the target as written, without compression (RFC 6762 §8.2)");
        assertEquals(MdnsMessage.TYPE_TXT, message.answers().get(2).type());
        assertArrayEquals(TxtRecordTest.wire("txtvers=1"), message.answers().get(2).rdata());
    }

    @Test
    void readsWhereAPointerPoints() throws Exception {
        byte[] data = announcement();

        MdnsMessage.Record ptr = MdnsMessage.parse(data, 0, data.length).orElseThrow().answers().get(0);

        assertEquals(MdnsMessage.TYPE_PTR, ptr.type());
        assertEquals("_presence._tcp.local.", ptr.name());
        assertEquals("bob@hostb._presence._tcp.local.", ptr.target(), "decompressed, in lower case");
    }

    @Test
    void readsAProbe() throws Exception {
        DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_QUERY);
        out.addQuestion(DNSQuestion.newQuestion(BOB, DNSRecordType.TYPE_ANY, DNSRecordClass.CLASS_IN, false));
        out.addAuthorativeAnswer(new DNSRecord.Service(BOB, DNSRecordClass.CLASS_IN, false, 120, 0, 0, 5298, "hostb.local."));
        byte[] data = out.data();

        MdnsMessage message = MdnsMessage.parse(data, 0, data.length).orElseThrow();

        assertFalse(message.response());
        assertEquals(new MdnsMessage.Question("bob@hostb._presence._tcp.local.", MdnsMessage.TYPE_ANY),
                message.questions().get(0));
        assertEquals("hostb.local.", message.authorities().get(0).target());
    }

    @Test
    void aPacketAtAnOffsetInABiggerBuffer() throws Exception {
        byte[] data = announcement();
        byte[] buffer = new byte[data.length + 20];
        System.arraycopy(data, 0, buffer, 7, data.length);

        assertEquals(3, MdnsMessage.parse(buffer, 7, data.length).orElseThrow().answers().size());
    }

    @Test
    void damageNeverThrowsAndReadsAsNothing() throws Exception {
        byte[] data = announcement();
        for (int cut = 0; cut < data.length; cut++) {
            assertTrue(MdnsMessage.parse(data, 0, cut).isEmpty(), "cut at " + cut);
        }
        Random random = new Random(6762);
        for (int round = 0; round < 5000; round++) {
            byte[] damaged = Arrays.copyOf(data, data.length);
            for (int hits = 0; hits < 3; hits++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            MdnsMessage.parse(damaged, 0, damaged.length); // must not throw
        }
        byte[] loop = {0, 0, (byte) 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
        assertTrue(MdnsMessage.parse(loop, 0, loop.length).isEmpty(), "a compression pointer to itself");
    }

    /**
     * Found by MdnsMessageFuzzTest: an SRV record whose rdata is too short to hold a port and a target
     * came out with a null target; Comebacks (and NameKeeper) threw on it, so the gate skipped the
     * packet's checks altogether. Such a record is left out; the packet's other records still count.
     */
    @Test
    void anSrvRecordTooShortForATargetIsLeftOutAndTheRestOfThePacketIsRead() {
        byte[] packet = {0, 0, (byte) 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0,
                3, 'b', 'o', 'b', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 33, (byte) 0x80, 1, 0, 0, 0, 120, 0, 1, 0,
                (byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 120, 0, 4, 127, 0, 0, 1};

        MdnsMessage message = MdnsMessage.parse(packet, 0, packet.length).orElseThrow();

        assertEquals(1, message.answers().size(), message.answers().toString());
        assertEquals(MdnsMessage.TYPE_A, message.answers().get(0).type());
        Comebacks comebacks = new Comebacks();
        comebacks.watch(chat.pronto.model.PeerId.of("bob"));
        assertTrue(comebacks.answered(message).isEmpty());
    }
}
