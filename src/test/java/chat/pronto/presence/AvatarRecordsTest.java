package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import chat.pronto.model.AvatarHash;

class AvatarRecordsTest {
    private static byte[] picture(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static MdnsMessage read(byte[] packet) {
        return MdnsMessage.parse(packet, 0, packet.length).orElseThrow();
    }

    @Test
    void aQueryAsksForTheNullRecordOfTheInstanceNameAsAMulticastQuestion() {
        MdnsMessage query = read(AvatarRecords.query("Alice@HostA"));
        assertFalse(query.response());
        assertEquals(1, query.questions().size());
        assertEquals(new MdnsMessage.Question("alice@hosta._presence._tcp.local.", MdnsMessage.TYPE_NULL, false),
                query.questions().get(0));
        assertTrue(query.answers().isEmpty());
    }

    @Test
    void aResponseCarriesThePictureByteForByteWithItsTtlAndTheCacheFlushBit() {
        byte[] picture = picture(40_000);
        byte[] packet = AvatarRecords.response("alice@hosta", picture, AvatarRecords.TTL);
        MdnsMessage response = read(packet);
        assertTrue(response.response());
        MdnsMessage.Record record = response.answers().get(0);
        assertEquals("alice@hosta._presence._tcp.local.", record.name());
        assertEquals(MdnsMessage.TYPE_NULL, record.type());
        assertEquals(MdnsMessage.CLASS_IN, record.rrClass());
        assertEquals(120, record.ttl());
        assertArrayEquals(picture, record.rdata());
        int classAt = 12 + 1 + "alice@hosta".length() + 10 + 5 + 6 + 1 + 2;
        assertEquals(0x80, packet[classAt] & 0xff, "cache-flush: the record is unique to its owner");
    }

    @Test
    void theLargestPublishablePictureWithTheLongestNameFitsOneUdpDatagram() {
        String longest = "u".repeat(40) + "@" + "m".repeat(22); // 63 bytes: the longest DNS label
        byte[] picture = picture(AvatarHash.MAX_PUBLISHED_BYTES);
        byte[] legacy = AvatarRecords.legacyReply(7, longest, MdnsMessage.TYPE_NULL, picture);
        byte[] multicast = AvatarRecords.response(longest, picture, 120);
        assertTrue(legacy.length <= 65_507, "legacy reply of " + legacy.length + " bytes");
        assertTrue(multicast.length <= 65_507, "response of " + multicast.length + " bytes");
        assertArrayEquals(picture, read(legacy).answers().get(0).rdata());
    }

    @Test
    void aLegacyReplyRepeatsTheIdAndQuestionWithTtlTenAndNoCacheFlush() {
        byte[] picture = picture(300);
        byte[] packet = AvatarRecords.legacyReply(0xBEEF, "bob@hostb", MdnsMessage.TYPE_ANY, picture);
        MdnsMessage reply = read(packet);
        assertEquals(0xBEEF, reply.id());
        assertTrue(reply.response());
        assertEquals(new MdnsMessage.Question("bob@hostb._presence._tcp.local.", MdnsMessage.TYPE_ANY),
                reply.questions().get(0));
        MdnsMessage.Record answer = reply.answers().get(0);
        assertEquals("bob@hostb._presence._tcp.local.", answer.name(), "its name points at the question's");
        assertEquals(10, answer.ttl());
        assertArrayEquals(picture, answer.rdata());
        int classAt = packet.length - picture.length - 2 - 4 - 2;
        assertEquals(0x00, packet[classAt] & 0xff, "no cache-flush bit in a legacy reply");
    }

    @Test
    void aGoodbyeIsTheRecordWithTtlZero() {
        MdnsMessage goodbye = read(AvatarRecords.response("alice@hosta", picture(10), 0));
        assertEquals(0, goodbye.answers().get(0).ttl());
    }

    @Test
    void anInstanceNameWithDotsStaysOneLabelAndOneThatIsTooLongIsRefused() {
        byte[] packet = AvatarRecords.query("bob@host.example");
        assertEquals("bob@host.example".length(), packet[12], "one label, dots and all");
        assertThrows(IllegalArgumentException.class, () -> AvatarRecords.query("x".repeat(64)));
    }

    @Test
    void theUnicastResponseBitOfAQuestionIsRead() {
        byte[] packet = AvatarRecords.query("alice@hosta");
        packet[packet.length - 2] |= (byte) 0x80; // QU
        assertTrue(read(packet).questions().get(0).unicastResponse());
    }

    @Test
    void hashesAreLowerCaseHexSha1AndOnlyWellFormedPhshValuesCount() {
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", AvatarHash.of("abc".getBytes()));
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d",
                AvatarHash.parse(" A9993E364706816ABA3E25717850C26C9CD0D89D ").orElseThrow());
        assertTrue(AvatarHash.parse("").isEmpty());
        assertTrue(AvatarHash.parse(null).isEmpty());
        assertTrue(AvatarHash.parse("../../etc/passwd").isEmpty());
        assertTrue(AvatarHash.parse("a9993e364706816aba3e25717850c26c9cd0d89").isEmpty());
    }

    @Test
    void aPictureTooLargeIsRefusedWithAClearMessage() {
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> AvatarHash.checkPublishable(new byte[65_536]));
        assertTrue(tooLarge.getMessage().contains("65535") || tooLarge.getMessage().contains("65,535")
                || tooLarge.getMessage().contains("at most"), tooLarge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AvatarHash.checkPublishable(new byte[65_400]));
        assertThrows(IllegalArgumentException.class, () -> AvatarHash.checkPublishable(new byte[0]));
        AvatarHash.checkPublishable(new byte[AvatarHash.MAX_PUBLISHED_BYTES]);
    }
}
