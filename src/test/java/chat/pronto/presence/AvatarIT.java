package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.model.AvatarHash;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;

/**
 * Pictures (XEP-0174 NULL records) between presence services in the test's private namespace, all
 * bound to 127.0.0.1 or 127.0.0.2 (never a real interface); the raw sockets here send only on loopback.
 */
class AvatarIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress GROUP = new InetSocketAddress("224.0.0.251", 5353);
    private static final Duration DISCOVERY = Duration.ofSeconds(20);
    private static final PeerId ALICE = PeerId.of("alice@hosta");

    private final List<JmdnsPresenceService> started = new CopyOnWriteArrayList<>();

    private JmdnsPresenceService start(String name, InetAddress address, int port, List<PeerEvent> events)
            throws Exception {
        JmdnsPresenceService service = new JmdnsPresenceService(List.of(address));
        service.fetchPicturesWithin(new AvatarQueries.Limits(3, Duration.ofMillis(500), 4)); // gives up within 3.5 s
        service.addListener(events::add);
        service.start(PeerId.of(name), OwnPresence.available(name), port);
        started.add(service);
        return service;
    }

    @AfterEach
    void stopAll() {
        started.parallelStream().forEach(JmdnsPresenceService::close);
    }

    private static byte[] picture(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Optional<PeerAdvert> latest(List<PeerEvent> events, PeerId peer) {
        Optional<PeerAdvert> found = Optional.empty();
        for (PeerEvent event : events) {
            if (event.id().equals(peer)) {
                found = event instanceof PeerEvent.Appeared appeared ? Optional.of(appeared.advert())
                        : event instanceof PeerEvent.Updated updated ? Optional.of(updated.advert()) : Optional.empty();
            }
        }
        return found;
    }

    private static Optional<String> hashSeen(List<PeerEvent> events, PeerId peer) {
        return latest(events, peer).flatMap(PeerAdvert::avatarHash);
    }

    /** A socket on an ephemeral port of 127.0.0.1 whose multicast goes out on loopback only. */
    private static MulticastSocket loopbackSocket() throws Exception {
        MulticastSocket socket = new MulticastSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setNetworkInterface(NetworkInterface.getByInetAddress(LOOPBACK));
        socket.setSoTimeout(500);
        return socket;
    }

    @Test
    void aPictureIsPublishedFetchedChangedAndWithdrawn() throws Exception {
        List<PeerEvent> seenByBob = new CopyOnWriteArrayList<>();
        JmdnsPresenceService alice = start("alice@hosta", LOOPBACK, 41001, new CopyOnWriteArrayList<>());
        JmdnsPresenceService bob = start("bob@hostb", LOOPBACK, 41002, seenByBob);
        await().atMost(DISCOVERY).until(() -> latest(seenByBob, ALICE).isPresent() && alice.isAnnounced());
        assertTrue(hashSeen(seenByBob, ALICE).isEmpty(), "no picture, no phsh");

        byte[] first = picture(40_000, 1); // far longer than JmDNS reads (8,972 bytes)
        alice.setAvatar(Optional.of(first));
        await().atMost(DISCOVERY).until(() -> hashSeen(seenByBob, ALICE).equals(Optional.of(AvatarHash.of(first))));
        long asked = System.nanoTime();
        assertArrayEquals(first, bob.fetchAvatar(ALICE, AvatarHash.of(first)).get(10, TimeUnit.SECONDS).orElseThrow());
        long fetchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
        assertTrue(fetchMillis < 1500, "fetched at the first query, took " + fetchMillis + " ms");

        byte[] second = picture(AvatarHash.MAX_PUBLISHED_BYTES, 2); // the largest that may be published
        alice.setAvatar(Optional.of(second));
        await().atMost(DISCOVERY).until(() -> hashSeen(seenByBob, ALICE).equals(Optional.of(AvatarHash.of(second))));
        assertArrayEquals(second, bob.fetchAvatar(ALICE, AvatarHash.of(second)).get(10, TimeUnit.SECONDS).orElseThrow());

        alice.setAvatar(Optional.empty());
        await().atMost(DISCOVERY).until(() -> latest(seenByBob, ALICE).isPresent() && hashSeen(seenByBob, ALICE).isEmpty());
        assertTrue(bob.fetchAvatar(ALICE, AvatarHash.of(second)).get(10, TimeUnit.SECONDS).isEmpty(),
                "a withdrawn picture is no longer answered");
    }

    @Test
    void aOneShotQueryFromAnEphemeralPortGetsALegacyUnicastReply() throws Exception {
        byte[] face = picture(20_000, 3);
        JmdnsPresenceService alice = new JmdnsPresenceService(List.of(LOOPBACK));
        started.add(alice);
        alice.setAvatar(Optional.of(face)); // before start: published with the first announcement
        alice.start(ALICE, OwnPresence.available("Alice"), 41001);
        await().atMost(DISCOVERY).until(alice::isAnnounced);

        try (MulticastSocket socket = loopbackSocket()) {
            byte[] query = AvatarRecords.query("alice@hosta");
            query[0] = 0x42;
            query[1] = 0x17;
            byte[] buffer = new byte[65_536];
            MdnsMessage reply = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (reply == null && System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(query, query.length, GROUP));
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    reply = MdnsMessage.parse(packet.getData(), 0, packet.getLength()).filter(m -> m.id() == 0x4217)
                            .orElse(null);
                } catch (SocketTimeoutException notYet) {
                    // ask again
                }
            }
            assertTrue(reply != null, "no reply to a legacy query");
            assertTrue(reply.response());
            assertEquals("alice@hosta._presence._tcp.local.", reply.questions().get(0).name());
            assertEquals(10, reply.answers().get(0).ttl());
            assertArrayEquals(face, reply.answers().get(0).rdata());
        }
    }

    @Test
    void forgedDamagedAndUnaskedAnswersAreIgnoredAndPresenceCarriesOn() throws Exception {
        List<PeerEvent> seenByBob = new CopyOnWriteArrayList<>();
        JmdnsPresenceService alice = start("alice@hosta", LOOPBACK, 41001, new CopyOnWriteArrayList<>());
        JmdnsPresenceService bob = start("bob@hostb", LOOPBACK, 41002, seenByBob);
        await().atMost(DISCOVERY).until(() -> latest(seenByBob, ALICE).isPresent());

        PeerId ghost = PeerId.of("ghost@nowhere"); // nobody answers for it but this test
        byte[] real = picture(65_000, 4);
        CompletableFuture<Optional<byte[]>> fetch = bob.fetchAvatar(ghost, AvatarHash.of(real));
        try (MulticastSocket mallory = loopbackSocket()) {
            Random random = new Random(5);
            byte[] good = AvatarRecords.response("ghost@nowhere", real, 120);
            List<byte[]> hostile = new java.util.ArrayList<>();
            hostile.add(AvatarRecords.response("ghost@nowhere", picture(65_000, 6), 120)); // not the phsh's picture
            hostile.add(AvatarRecords.response("ghost@nowhere", new byte[0], 120)); // empty
            hostile.add(Arrays.copyOf(good, good.length / 2)); // cut: its length says more than there is
            byte[] lying = Arrays.copyOf(good, 2_000);
            hostile.add(lying);
            for (int i = 0; i < 20; i++) {
                hostile.add(picture(1 + random.nextInt(9_000), 100 + i)); // noise
            }
            hostile.add(AvatarRecords.response("carol@hostc", real, 120)); // a name nobody asked about
            for (byte[] packet : hostile) {
                mallory.send(new DatagramPacket(packet, packet.length, GROUP));
            }
            assertFalse(fetch.isDone(), "nothing hostile completed the fetch");
            mallory.send(new DatagramPacket(good, good.length, GROUP));
            assertArrayEquals(real, fetch.get(10, TimeUnit.SECONDS).orElseThrow(), "the real picture still counts");
        }

        alice.update(OwnPresence.available("Alice").withStatus(Status.DO_NOT_DISTURB, "still here"));
        await().atMost(DISCOVERY).until(() -> latest(seenByBob, ALICE).map(PeerAdvert::status)
                .equals(Optional.of(Status.DO_NOT_DISTURB)));
    }

    @Test
    void aHostThatHadToRenameAnswersUnderItsNewName() throws Exception {
        List<PeerEvent> seenByBob = new CopyOnWriteArrayList<>();
        JmdnsPresenceService owner = start("alice@hosta", LOOPBACK, 41001, new CopyOnWriteArrayList<>());
        JmdnsPresenceService bob = start("bob@hostb", LOOPBACK, 41002, seenByBob);
        await().atMost(DISCOVERY).until(() -> owner.isAnnounced() && latest(seenByBob, ALICE).isPresent());

        byte[] face = picture(12_000, 7);
        JmdnsPresenceService newcomer = new JmdnsPresenceService(List.of(InetAddress.getByName("127.0.0.2")));
        started.add(newcomer);
        newcomer.setAvatar(Optional.of(face));
        newcomer.start(ALICE, OwnPresence.available("Alice too"), 41003);
        await().atMost(DISCOVERY).until(() -> !newcomer.self().equals(ALICE) && newcomer.isAnnounced());
        PeerId renamed = newcomer.self();
        await().atMost(DISCOVERY).until(() -> hashSeen(seenByBob, renamed).equals(Optional.of(AvatarHash.of(face))));
        assertTrue(hashSeen(seenByBob, ALICE).isEmpty(), "the owner publishes none");
        assertArrayEquals(face, bob.fetchAvatar(renamed, AvatarHash.of(face)).get(10, TimeUnit.SECONDS).orElseThrow());
    }
}
