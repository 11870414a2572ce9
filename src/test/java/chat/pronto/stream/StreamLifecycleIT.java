package chat.pronto.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import chat.pronto.testing.RawPeer;
import chat.pronto.testing.TestNode;

class StreamLifecycleIT {
    private static long streamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("pronto-stream-")
                        && !thread.getName().equals("pronto-stream-timer")
                        && !thread.getName().equals("pronto-stream-accept"))
                .count();
    }

    private static int openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void opensAndClosesAHundredTlsStreamsWithoutLeakingThreadsOrSockets() throws Exception {
        try (TestNode alice = TestNode.start("alice@hosta"); TestNode carol = TestNode.start("carol@hostc")) {
            alice.dial(carol).established().get(10, TimeUnit.SECONDS);
            alice.engine.streams().forEach(XmlStream::close);
            alice.events.awaitEnded();
            carol.events.awaitEnded();
            await().atMost(Duration.ofSeconds(5)).until(() -> streamThreads() == 0);
            int descriptorsBefore = openFileDescriptors();

            for (int i = 0; i < 100; i++) {
                XmlStream stream = alice.dial(carol);
                assertEquals(StreamSecurity.TLS_AUTHENTICATED, stream.established().get(10, TimeUnit.SECONDS).security());
                stream.close();
                assertEquals(new StreamEnd.Closed(true), alice.events.awaitEnded().value());
                assertEquals(new StreamEnd.Closed(false), carol.events.awaitEnded().value());
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> streamThreads() == 0);
            assertEquals(0, alice.engine.streams().size());
            assertEquals(0, carol.engine.streams().size());
            assertTrue(openFileDescriptors() <= descriptorsBefore + 2,
                    "file descriptors before " + descriptorsBefore + ", after " + openFileDescriptors());
        }
    }

    /**
     * The next stream's reader and writer, at both ends, are threads that waited for it, among them the
     * ones the last stream left (making a thread costs 0.4–0.5 ms here, and a first message waits for
     * four), named after their new stream.
     */
    @Test
    void aNewStreamRunsOnTheThreadsAnEndedOneLeft() throws Exception {
        try (TestNode alice = TestNode.start("alice@hosta"); TestNode carol = TestNode.start("carol@hostc")) {
            XmlStream first = alice.dial(carol);
            first.established().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> streamThreadSet().size() == 4); // both readers, both writers
            java.util.Set<Thread> used = streamThreadSet();
            first.close();
            alice.events.awaitEnded();
            carol.events.awaitEnded();
            // Each back to waiting for work, under its waiting name.
            await().atMost(Duration.ofSeconds(5)).until(() -> used.stream().allMatch(thread -> thread.isAlive()
                    && thread.getName().startsWith("pronto-spare-") && thread.getState() == Thread.State.WAITING));
            java.util.Set<Thread> waiting = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("pronto-spare-"))
                    .collect(java.util.stream.Collectors.toSet());

            XmlStream second = alice.dial(carol);
            second.established().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> streamThreadSet().size() == 4);
            java.util.Set<Thread> now = streamThreadSet();
            assertTrue(waiting.containsAll(now), "the second stream runs on " + names(now) + ", waiting were "
                    + names(waiting));
            second.close();
        }
    }

    private static java.util.Set<Thread> streamThreadSet() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("pronto-stream-")
                        && !thread.getName().equals("pronto-stream-timer")
                        && !thread.getName().equals("pronto-stream-accept"))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static String names(java.util.Set<Thread> threads) {
        return threads.stream().map(thread -> thread.getName() + "#" + thread.getId()).sorted().toList().toString();
    }

    /** A peer that vanished without a FIN is noticed by the kernel within about a minute, both ends. */
    @Test
    void everyStreamSocketKeepsItselfAliveWithShortKeepaliveTimes() throws Exception {
        try (TestNode alice = TestNode.start("alice@hosta"); TestNode carol = TestNode.start("carol@hostc")) {
            XmlStream dialed = alice.dial(carol);
            dialed.established().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> carol.engine.streams().size() == 1);
            for (XmlStream stream : List.of(dialed, carol.engine.streams().iterator().next())) {
                java.net.Socket socket = stream.socket();
                assertTrue(socket.getKeepAlive());
                assertEquals(TcpKeepalive.IDLE_SECONDS, socket.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
                assertEquals(TcpKeepalive.PROBE_INTERVAL_SECONDS,
                        socket.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL));
                assertEquals(TcpKeepalive.PROBES, socket.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT));
            }
        }
    }

    /**
     * Over TLS, closing the socket of a writer stuck on a peer that stopped reading used to wait for
     * the stuck writer's lock, on the one timer thread all streams share: no negotiation or close
     * timeout in the whole process fired again. Here another connection that says nothing must still
     * be timed out.
     */
    @Test
    void aTlsPeerThatStopsReadingCannotStopEveryoneElsesTimers() throws Exception {
        StreamConfig config = StreamConfig.defaults("alice@hosta").withNegotiationTimeout(Duration.ofSeconds(1))
                .withLimits(chat.pronto.stream.StreamLimits.DEFAULT.withStanzaTimeout(Duration.ofSeconds(1)));
        try (TestNode alice = TestNode.start(config); TestNode carol = TestNode.start("carol@hostc");
             chat.pronto.testing.CuttableLink relay = new chat.pronto.testing.CuttableLink(carol.server.port())) {
            XmlStream stream = alice.engine.open(new java.net.InetSocketAddress(TestNode.LOOPBACK, relay.port()),
                    carol.name);
            assertEquals(StreamSecurity.TLS_AUTHENTICATED, stream.established().get(10, TimeUnit.SECONDS).security());
            relay.stall();
            String body = "x".repeat(16 * 1024);
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        stream.send(chat.pronto.testing.Stanzas.chat("carol@hostc", body));
                    }
                } catch (Exception freed) {
                    // the watchdog ended the stream under it
                }
            }, "test-stuck-writer");
            writer.start();
            writer.join(20_000);
            assertTrue(!writer.isAlive(), "the stuck writer was freed");

            RawPeer silent = RawPeer.connect(alice.address());
            try {
                assertTrue(silent.closedWithin(Duration.ofSeconds(10)), "its negotiation still timed out");
                assertTrue(silent.received().contains("connection-timeout"), silent.received());
            } finally {
                silent.close();
            }
        }
    }

    @Test
    void aPeerThatStopsReadingLosesItsStreamInsteadOfHoldingOurWriterForever() throws Exception {
        StreamConfig config = StreamConfig.defaults("w@h")
                .withLimits(chat.pronto.stream.StreamLimits.DEFAULT.withStanzaTimeout(Duration.ofSeconds(1)));
        try (TestNode node = TestNode.start(config)) {
            RawPeer deaf = RawPeer.connect(node.address());
            try {
                deaf.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                        + " xmlns:stream='http://etherx.jabber.org/streams' from='deaf@h' to='w@h'>");
                XmlStream stream = node.events.awaitEstablished().stream();
                String body = "x".repeat(16 * 1024);
                // Write until the socket buffers are full and a write blocks; the watchdog must end it.
                java.util.concurrent.CompletableFuture<Exception> writer = java.util.concurrent.CompletableFuture
                        .supplyAsync(() -> {
                            try {
                                while (true) {
                                    stream.send(chat.pronto.testing.Stanzas.chat("deaf@h", body));
                                }
                            } catch (Exception e) {
                                return e;
                            }
                        });
                Exception stopped = writer.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(stopped instanceof java.io.IOException, String.valueOf(stopped));
                StreamEnd end = node.events.awaitEnded().value();
                assertTrue(end instanceof StreamEnd.ConnectionLost lost && lost.detail().contains("stopped reading"),
                        end.describe());
            } finally {
                deaf.close();
            }
        }
    }

    /**
     * Stanzas that queued up while the peer was busy go out as one batch; a peer that reads it slowly
     * but steadily is reading, not stalled. The long soak saw both sides end healthy streams as "the
     * peer stopped reading for 30 s": the watchdog timed the whole batch (up to 4 Mi characters) as one
     * write. Socket buffers kept small, as on a slow link, so that the batch cannot just vanish into them.
     */
    @Test
    void aPeerThatReadsABigBatchSlowlyButSteadilyKeepsItsStream() throws Exception {
        java.nio.file.Path tcpWmem = java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem");
        String wmem = java.nio.file.Files.readString(tcpWmem).strip();
        java.nio.file.Files.writeString(tcpWmem, "4096 16384 65536");
        StreamConfig config = StreamConfig.defaults("w@h")
                .withLimits(chat.pronto.stream.StreamLimits.DEFAULT.withStanzaTimeout(Duration.ofSeconds(1)));
        try (TestNode node = TestNode.start(config); RawPeer slow = RawPeer.connectTight(node.address())) {
            slow.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                    + " xmlns:stream='http://etherx.jabber.org/streams' from='slow@h' to='w@h'>");
            XmlStream stream = node.events.awaitEstablished().stream();
            String body = "y".repeat(16 * 1024);
            int count = 64; // 1 MiB: several seconds at the pace below, a batch or two for the writer
            for (int i = 0; i < count; i++) {
                stream.send(chat.pronto.testing.Stanzas.chat("slow@h", body));
            }
            // About 200 KB/s: every 16 KiB slice goes within 0.1 s; the whole batch takes about 5 s.
            int read = slow.readSlowly("</message>", count, 4096, 20, Duration.ofSeconds(60));

            assertEquals(count, read, "every stanza arrived");
            assertTrue(stream.isOpen(), "a peer that reads is not a stalled peer");
        } finally {
            java.nio.file.Files.writeString(tcpWmem, wmem);
        }
    }

    @Test
    void oneAddressMayHoldOnlyAShareOfTheIncomingStreamsAndOurOwnDialsStillGoOut() throws Exception {
        try (TestNode node = TestNode.start(StreamConfig.defaults("n@h").withMaxStreams(256));
             TestNode other = TestNode.start("o@h")) {
            List<RawPeer> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    silent.add(RawPeer.connect(node.address())); // connect and say nothing
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> node.engine.streams().size() == 16);
                RawPeer seventeenth = RawPeer.connect(node.address());
                silent.add(seventeenth);
                assertTrue(seventeenth.readUntil("</stream:stream>").contains("too many streams from 127.0.0.1"));

                // Our own dial is not held up by them.
                node.dial(other).established().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                for (RawPeer peer : silent) {
                    peer.close();
                }
            }
        }
    }

    @Test
    void refusesStreamsBeyondTheLimitWithResourceConstraint() throws Exception {
        try (TestNode small = TestNode.start(StreamConfig.defaults("s@h").withMaxStreams(2))) {
            List<RawPeer> peers = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    peers.add(RawPeer.connect(small.address()));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> small.engine.streams().size() == 2);
                RawPeer third = RawPeer.connect(small.address());
                peers.add(third);

                String answer = third.readUntil("</stream:stream>");
                assertTrue(answer.contains("<resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), answer);
                assertTrue(third.closedWithin(Duration.ofSeconds(5)));
            } finally {
                for (RawPeer peer : peers) {
                    peer.close();
                }
            }
        }
    }

    @Test
    void shuttingTheEngineDownClosesEveryStreamWithTheHandshake() throws Exception {
        TestNode alice = TestNode.start("alice@hosta");
        try (TestNode carol = TestNode.start("carol@hostc"); TestNode dave = TestNode.start("dave@hostd")) {
            alice.dial(carol).established().get(10, TimeUnit.SECONDS);
            alice.dial(dave).established().get(10, TimeUnit.SECONDS);

            alice.close();

            assertEquals(new StreamEnd.Closed(false), carol.events.awaitEnded().value());
            assertEquals(new StreamEnd.Closed(false), dave.events.awaitEnded().value());
            assertEquals(0, alice.engine.streams().size());
            await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.getName().startsWith("pronto-stream-alice")));
        }
    }

    @Test
    void aStreamClosedWhileNegotiatingIsDroppedAndReported() throws Exception {
        try (TestNode alice = TestNode.start("alice@hosta")) {
            try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, TestNode.LOOPBACK)) {
                XmlStream stream = alice.engine.open(
                        new java.net.InetSocketAddress(TestNode.LOOPBACK, silent.getLocalPort()), "nobody@nowhere");

                stream.close();

                assertInstanceOf(StreamEnd.Aborted.class, alice.events.awaitEnded().value());
                assertTrue(stream.established().isCompletedExceptionally());
            }
        }
    }
}
