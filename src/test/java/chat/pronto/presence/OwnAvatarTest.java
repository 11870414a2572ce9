package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** What we answer a query for our picture (RFC 6762 §5.4, §6, §6.7, §7.1). */
class OwnAvatarTest {
    private static final byte[] PICTURE = "a tiny png".getBytes();
    private static final InetSocketAddress MDNS_PEER = new InetSocketAddress("127.0.0.1", 5353);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final OwnAvatar avatar = new OwnAvatar();

    private static MdnsMessage parse(byte[] packet) {
        return MdnsMessage.parse(packet, 0, packet.length).orElseThrow();
    }

    private static MdnsMessage query(String instance, boolean qu) {
        byte[] packet = AvatarRecords.query(instance);
        if (qu) {
            packet[packet.length - 2] |= (byte) 0x80;
        }
        return parse(packet);
    }

    private Optional<OwnAvatar.Reply> answer(MdnsMessage query, InetSocketAddress from, long now) {
        return avatar.answer(query, "alice@hosta", from, "127.0.0.1", now);
    }

    @Test
    void aMulticastQueryForOurNameGetsOurPictureByMulticast() {
        avatar.publish(PICTURE);
        OwnAvatar.Reply reply = answer(query("Alice@HostA", false), MDNS_PEER, 0).orElseThrow();
        assertTrue(reply.multicast());
        assertEquals(0, reply.delayNanos());
        MdnsMessage.Record record = parse(reply.packet()).answers().get(0);
        assertArrayEquals(PICTURE, record.rdata());
        assertEquals(120, record.ttl());
    }

    @Test
    void nothingIsAnsweredForAnotherNameWithoutAPictureOrBeforeOurNameIsEstablished() {
        assertTrue(answer(query("alice@hosta", false), MDNS_PEER, 0).isEmpty(), "no picture published");
        avatar.publish(PICTURE);
        assertTrue(answer(query("bob@hostb", false), MDNS_PEER, 0).isEmpty());
        assertTrue(avatar.answer(query("alice@hosta", false), null, MDNS_PEER, "x", 0)
                .isEmpty(), "our name still being probed");
        avatar.clear();
        assertTrue(answer(query("alice@hosta", false), MDNS_PEER, 0).isEmpty(), "withdrawn");
    }

    @Test
    void aQuQuestionIsAnsweredByUnicastToItsSender() {
        avatar.publish(PICTURE);
        OwnAvatar.Reply reply = answer(query("alice@hosta", true), MDNS_PEER, 0).orElseThrow();
        assertEquals(MDNS_PEER, reply.to());
    }

    @Test
    void aQueryFromAnotherPortIsALegacyQueryAnsweredToThatPortWithItsId() {
        avatar.publish(PICTURE);
        byte[] packet = AvatarRecords.query("alice@hosta");
        packet[0] = 0x12;
        packet[1] = 0x34;
        InetSocketAddress oneShot = new InetSocketAddress("127.0.0.1", 40_123);
        OwnAvatar.Reply reply = answer(parse(packet), oneShot, 0).orElseThrow();
        assertEquals(oneShot, reply.to());
        MdnsMessage answer = parse(reply.packet());
        assertEquals(0x1234, answer.id());
        assertEquals(10, answer.answers().get(0).ttl());
        assertArrayEquals(PICTURE, answer.answers().get(0).rdata());
    }

    @Test
    void anAnyQuestionIsAnsweredToo() {
        avatar.publish(PICTURE);
        byte[] packet = AvatarRecords.query("alice@hosta");
        packet[packet.length - 3] = (byte) 255; // type ANY
        assertTrue(answer(parse(packet), MDNS_PEER, 0).isPresent());
    }

    @Test
    void ourRecordIsMulticastAtMostOnceASecondAndALaterQueryWaitsForItsTurn() {
        avatar.publish(PICTURE);
        MdnsMessage query = query("alice@hosta", false);
        assertEquals(0, answer(query, MDNS_PEER, 0).orElseThrow().delayNanos());
        OwnAvatar.Reply later = answer(query, MDNS_PEER, SECOND / 4).orElseThrow();
        assertEquals(SECOND * 3 / 4, later.delayNanos(), "sent when the second is over");
        assertTrue(answer(query, MDNS_PEER, SECOND / 2).isEmpty(), "the planned one answers it too");
        assertEquals(0, avatar.answer(query, "alice@hosta", MDNS_PEER, "10.0.0.1", SECOND / 2).orElseThrow()
                .delayNanos(), "another interface has its own second");
    }

    @Test
    void aQueryThatKnowsOurRecordGetsNoAnswer() {
        avatar.publish(PICTURE);
        byte[] question = AvatarRecords.query("alice@hosta");
        byte[] known = AvatarRecords.response("alice@hosta", PICTURE, 100);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(question, 0, question.length);
        packet.write(known, 12, known.length - 12); // the record, after its header
        byte[] bytes = packet.toByteArray();
        bytes[7] = 1; // one known answer
        assertTrue(answer(parse(bytes), MDNS_PEER, 0).isEmpty());

        byte[] stale = bytes.clone();
        int ttlAt = stale.length - PICTURE.length - 2 - 4;
        stale[ttlAt + 3] = 30; // less than half its TTL left: answered
        assertTrue(answer(parse(stale), MDNS_PEER, 0).isPresent());
    }

    @Test
    void aPlannedAnswerKnowsWhichPictureItIsFor() {
        OwnAvatar.Published first = avatar.publish(PICTURE);
        OwnAvatar.Reply reply = answer(query("alice@hosta", false), MDNS_PEER, 0).orElseThrow();
        assertTrue(avatar.isCurrent(reply.published()));
        avatar.publish("another".getBytes());
        assertFalse(avatar.isCurrent(first), "a planned answer for the old picture is not sent");
    }
}
