package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.testing.RecordingPresenceListener;

/** Two presence services in the test's private namespace, both bound to 127.0.0.1 (never a real interface). */
class JmdnsPresenceServiceIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration DISCOVERY = Duration.ofSeconds(20);

    private final List<JmdnsPresenceService> started = new CopyOnWriteArrayList<>();

    private JmdnsPresenceService start(String name, OwnPresence own, int port, List<PeerEvent> events)
            throws Exception {
        JmdnsPresenceService service = new JmdnsPresenceService(List.of(LOOPBACK));
        service.addListener(events::add);
        service.start(PeerId.of(name), own, port);
        started.add(service);
        return service;
    }

    @AfterEach
    void stopAll() {
        started.parallelStream().forEach(JmdnsPresenceService::close);
    }

    private static PeerAdvert latest(List<PeerEvent> events, String name) {
        PeerAdvert found = null;
        for (PeerEvent event : events) {
            if (event.id().name().equals(name)) {
                found = event instanceof PeerEvent.Appeared appeared ? appeared.advert()
                        : event instanceof PeerEvent.Updated updated ? updated.advert() : null;
            }
        }
        return found;
    }

    @Test
    void twoPeersSeeEachOtherThenAStatusChangeThenTheGoodbye() throws Exception {
        List<PeerEvent> seenByAlice = new CopyOnWriteArrayList<>();
        List<PeerEvent> seenByBob = new CopyOnWriteArrayList<>();
        JmdnsPresenceService alice = start("alice@hosta",
                OwnPresence.available("Alice").withNames("Alice", "Alice", "Liddell"), 41001, seenByAlice);
        JmdnsPresenceService bob = start("bob@hostb", OwnPresence.available("Bob"), 41002, seenByBob);

        await().atMost(DISCOVERY).until(() -> latest(seenByAlice, "bob@hostb") != null
                && latest(seenByBob, "alice@hosta") != null);
        PeerAdvert bobSeen = latest(seenByAlice, "bob@hostb");
        assertEquals(41002, bobSeen.port());
        assertEquals("Bob", bobSeen.displayName());
        assertEquals(LOOPBACK, bobSeen.addresses().get(0));
        assertEquals("Liddell", latest(seenByBob, "alice@hosta").lastName());
        assertTrue(seenByAlice.stream().noneMatch(event -> event.id().name().equals("alice@hosta")),
                "our own record is not a peer");

        bob.update(OwnPresence.available("Bob").withStatus(Status.DO_NOT_DISTURB, "in a meeting"));
        await().atMost(DISCOVERY).until(() -> latest(seenByAlice, "bob@hostb").status() == Status.DO_NOT_DISTURB);
        assertEquals("in a meeting", latest(seenByAlice, "bob@hostb").message());

        long closing = System.nanoTime();
        bob.close();
        // JmDNS waits up to a second for its listener when that is still in a receive: it must not be.
        assertTrue(Duration.ofNanos(System.nanoTime() - closing).toMillis() < 700, "closing took too long");
        await().atMost(DISCOVERY).until(() -> seenByAlice.contains(new PeerEvent.Vanished(PeerId.of("bob@hostb"))));
        assertTrue(alice.peers().isEmpty());
    }

    @Test
    void followsInterfacesThatComeAndGo() throws Exception {
        start("bob@hostb", OwnPresence.available("Bob"), 41002, new CopyOnWriteArrayList<>());
        PeerId bob = PeerId.of("bob@hostb");
        AtomicReference<List<InetAddress>> links = new AtomicReference<>(List.of());
        RecordingPresenceListener recorded = new RecordingPresenceListener();
        JmdnsPresenceService alice = new JmdnsPresenceService(links::get, Duration.ofMillis(100), Duration.ofHours(1));
        alice.addListener(recorded);
        started.add(alice);

        alice.start(PeerId.of("alice@hosta"), OwnPresence.available("Alice"), 41001);
        await().atMost(DISCOVERY).until(() -> recorded.diagnostics.contains(new PresenceDiagnostic.NoUsableInterface()));

        links.set(List.of(LOOPBACK)); // the laptop joins a network
        await().atMost(DISCOVERY).until(() -> alice.peer(bob).isPresent());

        links.set(List.of()); // and leaves it
        await().atMost(DISCOVERY).until(() -> recorded.events.contains(new PeerEvent.Vanished(bob)));
        await().atMost(DISCOVERY).until(() -> recorded.diagnostics.stream()
                .filter(diagnostic -> diagnostic instanceof PresenceDiagnostic.NoUsableInterface).count() == 2);

        links.set(List.of(InetAddress.getByName("127.0.0.2"))); // and joins another
        await().atMost(DISCOVERY).until(() -> alice.peer(bob).isPresent());
    }

    @Test
    void saysSoWhenNobodyIsSeenForAWhile() throws Exception {
        RecordingPresenceListener recorded = new RecordingPresenceListener();
        List<PresenceDiagnostic> diagnostics = recorded.diagnostics;
        JmdnsPresenceService alone = new JmdnsPresenceService(() -> List.of(LOOPBACK), Duration.ofMillis(100),
                Duration.ofMillis(300));
        alone.addListener(recorded);
        started.add(alone);
        alone.start(PeerId.of("hermit@cave"), OwnPresence.available("Hermit"), 41005);

        await().atMost(DISCOVERY).until(() -> diagnostics.stream()
                .anyMatch(diagnostic -> diagnostic instanceof PresenceDiagnostic.NoPeersSeen quiet
                        && quiet.address().equals("127.0.0.1")));
        assertTrue(diagnostics.get(0).describe().contains("multicast"), diagnostics.get(0).describe());
    }

    @Test
    void aPeerMarkedGoneWhileItIsStillOnTheLinkIsBackWithinMoments() throws Exception {
        List<PeerEvent> seenByAlice = new CopyOnWriteArrayList<>();
        JmdnsPresenceService alice = start("alice@hosta", OwnPresence.available("Alice"), 41001, seenByAlice);
        JmdnsPresenceService carol = new JmdnsPresenceService(List.of(InetAddress.getByName("127.0.0.2")));
        started.add(carol);
        carol.start(PeerId.of("carol@hostc"), OwnPresence.available("Carol"), 41003);
        PeerId carolsName = PeerId.of("carol@hostc");
        await().atMost(DISCOVERY).until(() -> alice.peer(carolsName).isPresent() && carol.isAnnounced());

        alice.markGone(carolsName); // her stream died, she did not: nothing changes on her side

        await().atMost(Duration.ofSeconds(2)).until(() -> seenByAlice.contains(new PeerEvent.Vanished(carolsName)));
        int vanishedAt = seenByAlice.lastIndexOf(new PeerEvent.Vanished(carolsName));
        await().atMost(Duration.ofSeconds(3)).until(() -> seenByAlice.subList(vanishedAt, seenByAlice.size()).stream()
                .anyMatch(event -> event instanceof PeerEvent.Appeared appeared && appeared.id().equals(carolsName)));
        assertEquals(41003, alice.peer(carolsName).orElseThrow().port());
    }

    @Test
    void aPeerMarkedGoneThatNoLongerAnswersStaysGone() throws Exception {
        List<PeerEvent> seenByAlice = new CopyOnWriteArrayList<>();
        JmdnsPresenceService alice = start("alice@hosta", OwnPresence.available("Alice"), 41001, seenByAlice);
        // Dave: a responder that stops hearing anything, as a crashed host would (its records stay in caches).
        AtomicBoolean deaf = new AtomicBoolean();
        GatedJmdns dave = GatedJmdns.open(InetAddress.getByName("127.0.0.2"), "hostd", packet -> !deaf.get(),
                new OwnPackets());
        try {
            javax.jmdns.impl.ServiceInfoImpl record = (javax.jmdns.impl.ServiceInfoImpl) javax.jmdns.ServiceInfo.create(
                    PresenceService.SERVICE_TYPE, "dave@hostd", 41004, 0, 0,
                    Adverts.txtFor(OwnPresence.available("Dave"), 41004));
            dave.registerService(record);
            PeerId davesName = PeerId.of("dave@hostd");
            await().atMost(DISCOVERY).until(() -> alice.peer(davesName).isPresent() && record.isAnnounced());
            deaf.set(true); // from now on it answers nothing, and it has nothing left to announce

            alice.markGone(davesName);

            await().atMost(Duration.ofSeconds(2)).until(() -> seenByAlice.contains(new PeerEvent.Vanished(davesName)));
            await().during(Duration.ofMillis(Comebacks.WATCH_MS + 1000)).atMost(Duration.ofSeconds(10))
                    .until(() -> alice.peer(davesName).isEmpty());
        } finally {
            dave.close();
        }
    }

    /**
     * RFC 6762 §6.2: a host answers with all its addresses on the interface. Pronto runs one responder
     * per address; each one's cache-flush address records would otherwise make peers' caches flip
     * between its addresses.
     */
    @Test
    void aHostWithTwoAddressesOnOneInterfaceNamesBothWheneverItNamesOne() throws Exception {
        java.net.MulticastSocket listening = new java.net.MulticastSocket(5353);
        listening.joinGroup(new java.net.InetSocketAddress(InetAddress.getByName("224.0.0.251"), 5353),
                java.net.NetworkInterface.getByInetAddress(LOOPBACK));
        listening.setSoTimeout(200);
        List<java.util.Set<String>> addressSets = new CopyOnWriteArrayList<>();
        try (listening) {
            JmdnsPresenceService alice = new JmdnsPresenceService(List.of(LOOPBACK, InetAddress.getByName("127.0.0.2")));
            alice.useHostName("hosta");
            started.add(alice);
            alice.start(PeerId.of("alice@hosta"), OwnPresence.available("Alice"), 41001);
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            byte[] buffer = new byte[9000];
            while (System.nanoTime() < until) { // everything alice says in her first three seconds
                java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
                try {
                    listening.receive(packet);
                } catch (java.net.SocketTimeoutException quiet) {
                    continue;
                }
                MdnsMessage.parse(buffer, 0, packet.getLength()).filter(MdnsMessage::response).ifPresent(message -> {
                    java.util.Set<String> addresses = new java.util.TreeSet<>();
                    for (MdnsMessage.Record record : message.asserted()) {
                        if (record.type() == MdnsMessage.TYPE_A && record.ttl() > 0 && record.name().equals("hosta.local.")) {
                            addresses.add((record.rdata()[3] & 0xff) + "");
                        }
                    }
                    if (!addresses.isEmpty()) {
                        addressSets.add(addresses);
                    }
                });
            }
        }
        assertTrue(!addressSets.isEmpty(), "alice announced her addresses");
        assertEquals(java.util.Set.of(java.util.Set.of("1", "2")), java.util.Set.copyOf(addressSets),
                "127.0.0.x in each of alice's responses");
    }

    /** A stranger announces our established name (it missed our answers): we answer at once with our records, and keep the name. */
    @Test
    void anEstablishedOwnerDefendsItsNameAtOnceAndKeepsIt() throws Exception {
        RecordingPresenceListener recorded = new RecordingPresenceListener();
        JmdnsPresenceService alice = new JmdnsPresenceService(List.of(LOOPBACK));
        alice.useHostName("hosta");
        alice.addListener(recorded);
        started.add(alice);
        alice.start(PeerId.of("alice@hosta"), OwnPresence.available("Alice"), 41001);
        await().atMost(DISCOVERY).until(alice::isAnnounced);
        java.net.MulticastSocket listening = new java.net.MulticastSocket(5353);
        listening.joinGroup(new java.net.InetSocketAddress(InetAddress.getByName("224.0.0.251"), 5353),
                java.net.NetworkInterface.getByInetAddress(LOOPBACK));
        listening.setSoTimeout(100);
        try (listening; java.net.MulticastSocket stranger = new java.net.MulticastSocket(
                new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            javax.jmdns.impl.DNSOutgoing claim = new javax.jmdns.impl.DNSOutgoing(
                    javax.jmdns.impl.constants.DNSConstants.FLAGS_QR_RESPONSE | javax.jmdns.impl.constants.DNSConstants.FLAGS_AA);
            claim.addAnswer(new javax.jmdns.impl.DNSRecord.Service("alice@hosta." + PresenceService.SERVICE_TYPE,
                    javax.jmdns.impl.constants.DNSRecordClass.CLASS_IN, true, 120, 0, 0, 9999, "stranger.local."), 0);
            byte[] data = claim.data();
            stranger.setNetworkInterface(java.net.NetworkInterface.getByInetAddress(LOOPBACK));
            long sent = System.nanoTime();
            stranger.send(new java.net.DatagramPacket(data, data.length, InetAddress.getByName("224.0.0.251"), 5353));

            long defendedAfter = -1;
            byte[] buffer = new byte[9000];
            while (defendedAfter < 0 && System.nanoTime() - sent < Duration.ofSeconds(2).toNanos()) {
                java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
                try {
                    listening.receive(packet);
                } catch (java.net.SocketTimeoutException quiet) {
                    continue;
                }
                boolean ours = MdnsMessage.parse(buffer, 0, packet.getLength()).filter(MdnsMessage::response)
                        .map(message -> message.asserted().stream().anyMatch(record -> record.isSrv()
                                && record.name().equals("alice@hosta._presence._tcp.local.")
                                && record.target().equals("hosta.local.") && record.ttl() > 0))
                        .orElse(false);
                if (ours) {
                    defendedAfter = Duration.ofNanos(System.nanoTime() - sent).toMillis();
                }
            }
            assertTrue(defendedAfter >= 0 && defendedAfter < 400, "defended after " + defendedAfter + " ms");
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> recorded.renames.isEmpty()
                && alice.advertisedNames().values().stream().allMatch("alice@hosta"::equals) && alice.isAnnounced());
    }

    @Test
    void aDeadStreamReportedByTheSessionLayerMakesThePeerVanishAtOnce() throws Exception {
        List<PeerEvent> seenByAlice = new CopyOnWriteArrayList<>();
        JmdnsPresenceService alice = start("alice@hosta", OwnPresence.available("Alice"), 41001, seenByAlice);
        start("carol@hostc", OwnPresence.available("Carol"), 41003, new CopyOnWriteArrayList<>());
        await().atMost(DISCOVERY).until(() -> alice.peer(PeerId.of("carol@hostc")).isPresent());

        alice.markGone(PeerId.of("carol@hostc"));

        await().atMost(Duration.ofSeconds(2))
                .until(() -> seenByAlice.contains(new PeerEvent.Vanished(PeerId.of("carol@hostc"))));
    }
}
