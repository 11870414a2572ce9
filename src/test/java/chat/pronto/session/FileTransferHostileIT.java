package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.FakePresence;
import chat.pronto.testing.RawPeer;
import chat.pronto.testing.RecordingChatListener;
import chat.pronto.testing.SmallDisk;
import chat.pronto.transfer.Socks5;

/**
 * Files with peers that lie, flood, stall or crash, played by hand on a raw socket (a Pidgin-like
 * plain stream, so the bytestreams are plain XEP-0065), and a receiver whose disk fills up.
 */
class FileTransferHostileIT {
    private static final Duration WAIT = RecordingChatListener.WAIT;
    private static final String PIDGIN_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<stream:stream"
            + " xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\" from=\"%s\" to=\"%s\">";
    private static final String BYTESTREAMS = "http://jabber.org/protocol/bytestreams";

    private final FakeLink link = new FakeLink();
    private final List<AutoCloseable> resources = new ArrayList<>();
    @TempDir
    Path folder;

    private ChatCore start(ChatCore.Builder builder) throws Exception {
        return track(builder.start());
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() {
        FileTransfers.stallAfter(FileTransfers.STALL_TIMEOUT);
        resources.parallelStream().forEach(resource -> {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Closing after the test; nothing to assert.
            }
        });
    }

    /** A Pidgin-like peer {@code name} on the link (127.0.0.1) that dialed {@code core}: a plain stream. */
    private RawPeer pidginDialing(ChatCore core, String name) throws Exception {
        FakePresence presence = track(new FakePresence(link, InetAddress.getLoopbackAddress()));
        presence.start(PeerId.of(name), OwnPresence.available(name), 5298);
        core.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals(name));
        RawPeer peer = track(RawPeer.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), core.chat.port())));
        peer.send(PIDGIN_HEADER.formatted(name, core.id()));
        peer.readUntil("<stream:stream");
        return peer;
    }

    /**
     * A peer {@code name} on the link that dialed {@code core} and secured its stream as Pronto does:
     * STARTTLS with its own key (pinned on first use), SASL EXTERNAL, the restarted stream.
     */
    private RawPeer encryptedDialing(ChatCore core, String name) throws Exception {
        FakePresence presence = track(new FakePresence(link, InetAddress.getLoopbackAddress()));
        presence.start(PeerId.of(name), OwnPresence.available(name), 5298);
        core.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals(name));
        RawPeer peer = track(RawPeer.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), core.chat.port())));
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " from='" + name + "' to='" + core.id() + "' version='1.0'>";
        peer.send(header);
        peer.readUntil("</stream:features>");
        peer.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        peer.readUntil("<proceed");
        peer.startTls(new TlsContexts(Identity.generate(name), KnownPeers.inMemory()).forPeer(name, core.id().name()));
        peer.send(header);
        peer.readUntil("</stream:features>");
        peer.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
        peer.readUntil("<success");
        peer.send(header);
        peer.readUntil("</stream:features>");
        return peer;
    }

    /** An XEP-0096 offer as libpurple words it (id == sid), with a SHA-256 when {@code sha256} is not null. */
    private static String offer(String sid, String name, String size, byte[] sha256) {
        return offer(sid, name, size, sha256, BYTESTREAMS);
    }

    private static String offer(String sid, String name, String size, byte[] sha256, String... methods) {
        String hash = sha256 == null ? "" : "<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>"
                + Base64.getEncoder().encodeToString(sha256) + "</hash>";
        return "<iq type='set' id='" + sid + "'><si xmlns='http://jabber.org/protocol/si' id='" + sid
                + "' profile='http://jabber.org/protocol/si/profile/file-transfer'>"
                + "<file xmlns='http://jabber.org/protocol/si/profile/file-transfer' name='" + name + "' size='" + size
                + "'>" + hash + "</file><feature xmlns='http://jabber.org/protocol/feature-neg'>"
                + "<x xmlns='jabber:x:data' type='form'><field var='stream-method' type='list-single'>"
                + Stream.of(methods).map(method -> "<option><value>" + method + "</value></option>")
                        .collect(java.util.stream.Collectors.joining()) + "</field></x></feature></si></iq>";
    }

    private static String streamhosts(String sid, String iqId, String host, int port) {
        return "<iq type='set' id='" + iqId + "'><query xmlns='" + BYTESTREAMS + "' sid='" + sid + "' mode='tcp'>"
                + "<streamhost jid='" + sid + "' host='" + host + "' port='" + port + "'/></query></iq>";
    }

    private static Transfer awaitTransfer(ChatCore core, TransferState state) {
        return core.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().state() == state)
                .transfer();
    }

    /** What {@code peer} received from the {@code n}th (1-based) occurrence of {@code text} on, once it is there. */
    private static String awaitNth(RawPeer peer, String text, int n) throws Exception {
        int seen = peer.readSlowly(text, n, 1 << 16, 0, WAIT);
        if (seen < n) {
            throw new AssertionError("expected " + n + " × \"" + text + "\", received: " + peer.received());
        }
        String all = peer.received();
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = all.indexOf(text, at + 1);
        }
        return all.substring(at);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /** Bob, with mallory offering {@code bytes} as {@code name} by hand; bob accepts it into {@link #folder}. */
    private record Offered(ChatCore bob, RawPeer mallory, Transfer transfer) {
    }

    private Offered malloryOffersAndBobAccepts(String sid, String name, byte[] bytes, boolean withHash) throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        RawPeer mallory = pidginDialing(bob, "mallory@hostm");
        mallory.send(offer(sid, name, Integer.toString(bytes.length), withHash ? sha256(bytes) : null));
        Transfer offered = awaitTransfer(bob, TransferState.OFFERED);
        bob.chat.acceptFile(offered.id(), Optional.of(folder)).get();
        mallory.readUntil("type='result'");
        return new Offered(bob, mallory, offered);
    }

    /** Mallory's side of the bytestream: says where, takes bob's SOCKS5 connection for {@code sid}. */
    private Socket serveTo(RawPeer mallory, String sid, int attempt) throws Exception {
        ServerSocket streamhost = track(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        mallory.send(streamhosts(sid, "bs-" + attempt, "127.0.0.1", streamhost.getLocalPort()));
        streamhost.setSoTimeout((int) WAIT.toMillis());
        Socket socket = track(streamhost.accept());
        assertTrue(Socks5.accept(socket, Socks5.hash(sid, "mallory@hostm", "bob@hostb"), WAIT),
                "bob asks for the transfer's hash");
        return socket;
    }

    // ---- offers --------------------------------------------------------------------------------------

    /**
     * Over a chat stream that is encrypted and authenticated (TLS + SASL EXTERNAL, as between two
     * Pronto peers), a file never goes over a plain bytestream: offered plain SOCKS5 or in band, in
     * band is chosen, inside the encrypted stream, and the file is shown as encrypted.
     */
    @Test
    void anOfferOverAnAuthenticatedEncryptedStreamNeverTakesThePlainBytestream() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        RawPeer tina = encryptedDialing(bob, "tina@hostt");

        tina.send(offer("plain-or-ibb", "notes.txt", "1000", null, BYTESTREAMS, "http://jabber.org/protocol/ibb"));
        Transfer shown = awaitTransfer(bob, TransferState.OFFERED);
        assertTrue(shown.encrypted(), "in band, inside the encrypted stream");
        bob.chat.acceptFile(shown.id(), Optional.of(folder)).get();
        String answer = awaitNth(tina, "id='plain-or-ibb'", 1);
        assertTrue(answer.contains("http://jabber.org/protocol/ibb"), answer);
        assertFalse(answer.contains("<value>" + BYTESTREAMS + "</value>"), answer);
    }

    /** Asked over an encrypted, authenticated chat stream for the file in the clear, the sender refuses. */
    @Test
    void aPlainBytestreamAskedForOverAnAuthenticatedEncryptedStreamIsRefused() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        RawPeer tina = encryptedDialing(alice, "tina@hostt");
        Path file = Files.write(folder.resolve("secret.txt"), "not for the wire".getBytes());

        alice.chat.sendFile(PeerId.of("tina@hostt"), file).get();
        answerOffer(tina, 1, -1);

        Transfer failed = awaitTransfer(alice, TransferState.FAILED);
        assertTrue(failed.reason().contains("unencrypted transfer over an encrypted chat"), failed.reason());
    }

    @Test
    void anOfferOverOneTebibyteOrWithoutASizeIsRefusedAndNeverShown() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        RawPeer mallory = pidginDialing(bob, "mallory@hostm");

        mallory.send(offer("huge", "everything.iso", Long.toString((1L << 40) + 1), null));
        assertTrue(awaitNth(mallory, "id='huge'", 1).contains("<not-acceptable"), mallory.received());
        mallory.send(offer("negative", "minus.bin", "-5", null));
        assertTrue(awaitNth(mallory, "id='negative'", 1).contains("<bad-request"), mallory.received());
        mallory.send(offer("words", "words.bin", "lots", null));
        assertTrue(awaitNth(mallory, "id='words'", 1).contains("<bad-request"), mallory.received());

        // Exactly 1 TiB is still taken (the limit is inclusive), and shown.
        mallory.send(offer("tebibyte", "exactly.iso", Long.toString(1L << 40), null));
        Transfer shown = awaitTransfer(bob, TransferState.OFFERED);
        assertEquals("exactly.iso", shown.name());
        assertEquals(List.of(shown.id()), bob.chat.transfers().get().stream().map(Transfer::id).toList(),
                "none of the refused offers is shown or kept");
    }

    @Test
    void aThousandOffersFromOnePeerShowOnlyTheFirstFiftyAndEverythingElseStillWorks() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        RawPeer mallory = pidginDialing(bob, "mallory@hostm");
        int flood = 1000;
        StringBuilder offers = new StringBuilder();
        for (int i = 0; i < flood; i++) {
            offers.append(offer("flood-" + i, "file-" + i + ".bin", "1000", null));
        }
        // Written while its answers are read, as a peer that floods but still reads would.
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                mallory.send(offers.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        int refused = flood - FileTransfers.MAX_WAITING_PER_PEER;
        assertEquals(refused, mallory.readSlowly("<resource-constraint", refused, 1 << 16, 0, WAIT),
                "every offer past the limit is refused");
        sent.get();

        List<Transfer> shown = bob.chat.transfers().get();
        assertEquals(FileTransfers.MAX_WAITING_PER_PEER, shown.size());
        assertTrue(shown.stream().allMatch(t -> t.state() == TransferState.OFFERED));
        // The first offer past the limit is one of those refused; the last one within it is shown, unanswered.
        String pastLimit = awaitNth(mallory, "id='flood-" + FileTransfers.MAX_WAITING_PER_PEER + "'", 1);
        assertTrue(pastLimit.substring(0, pastLimit.indexOf("</iq>")).contains("<resource-constraint"), pastLimit);
        assertFalse(mallory.received().contains("id='flood-" + (FileTransfers.MAX_WAITING_PER_PEER - 1) + "'"));

        // The stream is still up and chat flows both ways.
        mallory.send("<message type='chat'><body>still here</body></message>");
        bob.events.awaitReceived("still here");
        bob.chat.send(PeerId.of("mallory@hostm"), "so am I").get();
        mallory.readUntil("<body>so am I</body>");

        // Another peer's offer is still shown, and declining one of mallory's frees a place for it.
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        Path file = Files.write(folder.resolve("from alice.txt"), randomBytes(100));
        alice.chat.sendFile(bob.id(), file).get();
        bob.events.await(ChatEvent.TransferUpdated.class, u -> u.transfer().peer().equals(alice.id())
                && u.transfer().state() == TransferState.OFFERED);
        bob.chat.declineFile(shown.get(0).id()).get();
        mallory.send(offer("after-decline", "one-more.bin", "1000", null));
        bob.events.await(ChatEvent.TransferUpdated.class, u -> u.transfer().name().equals("one-more.bin"));
    }

    @Test
    void streamhostsForATransferNotWaitingForThemAreRefusedAsItemNotFound() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        RawPeer mallory = pidginDialing(bob, "mallory@hostm");
        try (ServerSocket trap = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            mallory.send(streamhosts("no-such-sid", "bogus", "127.0.0.1", trap.getLocalPort()));
            assertTrue(awaitNth(mallory, "id='bogus'", 1).contains("<item-not-found"), mallory.received());

            // Offered but not accepted: the sender cannot push the file in before the user says yes.
            mallory.send(offer("pushy", "unasked.bin", "1000", null));
            awaitTransfer(bob, TransferState.OFFERED);
            mallory.send(streamhosts("pushy", "push", "127.0.0.1", trap.getLocalPort()));
            assertTrue(awaitNth(mallory, "id='push'", 1).contains("<item-not-found"), mallory.received());
            assertEquals(TransferState.OFFERED, bob.chat.transfers().get().get(0).state());
            trap.setSoTimeout(1);
            assertThrows(SocketTimeoutException.class, trap::accept, "bob never connected");
        }
    }

    // ---- senders that lie or stall ----------------------------------------------------------------------

    @Test
    void aSenderThatSendsMoreThanItDeclaredFailsTheTransferAndNothingIsKept() throws Exception {
        byte[] bytes = randomBytes(100_000);
        Offered offered = malloryOffersAndBobAccepts("toomuch", "padded.bin", bytes, false);
        try (Socket data = serveTo(offered.mallory(), "toomuch", 1)) {
            OutputStream out = data.getOutputStream();
            out.write(bytes);
            out.write(randomBytes(5000));
            out.flush();
            Transfer failed = awaitTransfer(offered.bob(), TransferState.FAILED);
            assertTrue(failed.reason().contains("more than the 100000 bytes"), failed.reason());
        }
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(List.of(), left.toList(), "neither the file nor its part is kept");
        }
    }

    /**
     * A sender that stops mid-way but keeps the connection open: the receiver gives up after the
     * stall timeout, keeps what arrived, and when the same file is offered again asks for the rest.
     */
    @Test
    void aStalledSenderIsDroppedAfterTheStallTimeoutAndTheNextOfferSendsOnlyTheRest() throws Exception {
        FileTransfers.stallAfter(Duration.ofMillis(700));
        byte[] bytes = randomBytes(200_000);
        Offered offered = malloryOffersAndBobAccepts("stall-1", "slow.bin", bytes, true);
        try (Socket data = serveTo(offered.mallory(), "stall-1", 1)) {
            data.getOutputStream().write(bytes, 0, 80_000);
            data.getOutputStream().flush();
            Transfer stopped = awaitTransfer(offered.bob(), TransferState.INTERRUPTED);
            assertTrue(stopped.reason().contains("stalled"), stopped.reason());
            assertEquals(80_000, Files.size(Path.of(stopped.file())), "what arrived is kept");
        }

        // The same file offered again (a new sid): bob takes it up without asking, from byte 80000.
        offered.mallory().send(offer("stall-2", "slow.bin", Integer.toString(bytes.length), sha256(bytes)));
        String answer = awaitNth(offered.mallory(), "id='stall-2'", 1);
        assertTrue(answer.contains("offset='80000'"), answer);
        try (Socket data = serveTo(offered.mallory(), "stall-2", 2)) {
            data.getOutputStream().write(bytes, 80_000, bytes.length - 80_000);
            data.getOutputStream().flush();
            Transfer done = awaitTransfer(offered.bob(), TransferState.DONE);
            assertEquals(offered.transfer().id(), done.id());
            assertArrayEquals(bytes, Files.readAllBytes(Path.of(done.file())));
        }
    }

    /** A sender that asks for TLS over the bytestream and then never says a word: no handshake waits for ever. */
    @Test
    void aSenderThatNeverStartsItsTlsHandshakeIsDroppedAfterTheStallTimeout() throws Exception {
        FileTransfers.stallAfter(Duration.ofMillis(700));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        RawPeer mallory = pidginDialing(bob, "mallory@hostm");
        mallory.send(offer("mute", "mute.bin", "1000", null, "urn:xmpp:pronto:tls-bytestreams:0"));
        bob.chat.acceptFile(awaitTransfer(bob, TransferState.OFFERED).id(), Optional.of(folder)).get();
        assertTrue(mallory.readUntil("type='result'").contains("urn:xmpp:pronto:tls-bytestreams:0"));
        try (Socket data = serveTo(mallory, "mute", 1)) {
            Transfer stopped = awaitTransfer(bob, TransferState.INTERRUPTED);
            assertTrue(stopped.reason().contains("stalled"), stopped.reason());
        }
    }

    @Test
    void streamhostsGivenAsNamesAreNotLookedUp() throws Exception {
        Offered offered = malloryOffersAndBobAccepts("named", "named.bin", randomBytes(1000), false);
        try (ServerSocket trap = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // "localhost" is 127.0.0.1 for the resolver: a lookup would connect to the trap.
            offered.mallory().send("<iq type='set' id='names'><query xmlns='" + BYTESTREAMS + "' sid='named'>"
                    + "<streamhost jid='m' host='localhost' port='" + trap.getLocalPort() + "'/>"
                    + "<streamhost jid='m' host='127.0.0.1.' port='" + trap.getLocalPort() + "'/>"
                    + "<streamhost jid='m' host='127.0.0.1.5' port='" + trap.getLocalPort() + "'/>"
                    + "</query></iq>");
            assertTrue(awaitNth(offered.mallory(), "id='names'", 1).contains("<item-not-found"),
                    offered.mallory().received());
            Transfer stopped = awaitTransfer(offered.bob(), TransferState.INTERRUPTED);
            assertEquals(3, stopped.reason().split("not an IP address: names are not looked up", -1).length - 1,
                    "each of the three refused as a name, none tried: " + stopped.reason());
            trap.setSoTimeout(1);
            assertThrows(SocketTimeoutException.class, trap::accept, "no connection to where the name points");
        }
    }

    // ---- receivers that fail ---------------------------------------------------------------------------

    /**
     * The receiver's disk fills up mid-way: the transfer stops with a reason that says so, the part
     * stays, and once there is space again the sender's next offer carries on from there.
     */
    @Test
    void aFullDiskStopsTheTransferKeepsThePartAndItResumesWhenSpaceIsBack() throws Exception {
        assumeTrue(SmallDisk.available(), "needs to mount a tmpfs (root or a user namespace)");
        SmallDisk disk = track(SmallDisk.ofKilobytes(1024));
        Path ballast = Files.write(disk.root().resolve("ballast"), new byte[700 * 1024]);
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        byte[] bytes = randomBytes(600 * 1024);
        Path file = Files.write(folder.resolve("big.bin"), bytes);

        alice.chat.sendFile(bob.id(), file).get();
        Transfer offered = awaitTransfer(bob, TransferState.OFFERED);
        bob.chat.acceptFile(offered.id(), Optional.of(disk.root())).get();
        Transfer full = awaitTransfer(bob, TransferState.INTERRUPTED);
        assertTrue(full.reason().contains("disk is full"), full.reason());
        Path part = Path.of(full.file());
        assertTrue(Files.size(part) > 0 && Files.size(part) < bytes.length, "the part is kept: " + Files.size(part));

        Files.delete(ballast);
        Transfer done = awaitTransfer(bob, TransferState.DONE);
        assertEquals(offered.id(), done.id());
        assertArrayEquals(bytes, Files.readAllBytes(Path.of(done.file())));
        awaitTransfer(alice, TransferState.DONE);
    }

    /**
     * The receiver (by hand) crashes mid-way: its data connection is reset. The sender shows the
     * transfer interrupted, offers it again a moment later, and sends only what the receiver lacks.
     */
    @Test
    void aReceiverThatCrashesMidwayIsInterruptedAndTheRestIsSentWhenItAsks() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        RawPeer rita = pidginDialing(alice, "rita@hostr");
        alice.chat.limitFileSending(1024 * 1024);
        byte[] bytes = randomBytes(1500 * 1024);
        Path file = Files.write(folder.resolve("crash.bin"), bytes);
        alice.chat.sendFile(PeerId.of("rita@hostr"), file).get();

        String sid = answerOffer(rita, 1, -1);
        byte[] first;
        try (Socket data = connectToStreamhost(rita, 1, sid)) {
            first = data.getInputStream().readNBytes(300 * 1024);
            data.setSoLinger(true, 0); // a crash: reset, not a goodbye
        }
        Transfer interrupted = awaitTransfer(alice, TransferState.INTERRUPTED);
        assertTrue(interrupted.done() >= first.length, interrupted.toString());
        alice.chat.limitFileSending(0);

        String again = answerOffer(rita, 2, first.length);
        assertFalse(again.equals(sid), "a new stream id for the new attempt");
        byte[] rest;
        try (Socket data = connectToStreamhost(rita, 2, again)) {
            rest = data.getInputStream().readNBytes(bytes.length - first.length);
        }
        Transfer done = awaitTransfer(alice, TransferState.DONE);
        assertEquals(interrupted.id(), done.id());
        byte[] whole = Arrays.copyOf(first, bytes.length);
        System.arraycopy(rest, 0, whole, first.length, rest.length);
        assertArrayEquals(bytes, whole);
    }

    /**
     * A receiver that connects and then stops reading: the sender's writes block once the socket
     * buffers are full; the stall watch ends the attempt instead of holding a thread for ever.
     */
    @Test
    void aReceiverThatStopsReadingIsDroppedAfterTheStallTimeout() throws Exception {
        FileTransfers.stallAfter(Duration.ofMillis(700));
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        RawPeer rita = pidginDialing(alice, "rita@hostr");
        // More than loopback's socket buffers hold, so that a write blocks.
        Path file = Files.write(folder.resolve("never read.bin"), randomBytes(24 * 1024 * 1024));
        alice.chat.sendFile(PeerId.of("rita@hostr"), file).get();

        String sid = answerOffer(rita, 1, -1);
        try (Socket data = connectToStreamhost(rita, 1, sid)) {
            Transfer stopped = awaitTransfer(alice, TransferState.INTERRUPTED);
            assertTrue(stopped.reason().contains("stalled"), stopped.reason());
            assertTrue(stopped.done() < Files.size(file), "it stopped mid-way: " + stopped.done());
        }
    }

    /** Waits for the {@code n}th offer, accepts it (from {@code offset} when not negative), returns its sid. */
    private static String answerOffer(RawPeer peer, int n, long offset) throws Exception {
        awaitNth(peer, "</si>", n); // the whole offer is there
        String offer = awaitNth(peer, "<si xmlns='http://jabber.org/protocol/si'", n);
        Matcher id = Pattern.compile("id='([^']+)'").matcher(offer);
        assertTrue(id.find(), offer);
        String sid = id.group(1);
        String range = offset < 0 ? "" : "<file xmlns='http://jabber.org/protocol/si/profile/file-transfer'>"
                + "<range offset='" + offset + "'/></file>";
        peer.send("<iq type='result' id='" + sid + "'><si xmlns='http://jabber.org/protocol/si'>" + range
                + "<feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='stream-method'><value>" + BYTESTREAMS + "</value></field></x></feature></si></iq>");
        return sid;
    }

    /** Reads the {@code n}th streamhosts set and connects to its host as the target of {@code sid}. */
    private Socket connectToStreamhost(RawPeer peer, int n, String sid) throws Exception {
        awaitNth(peer, "</query>", n); // the whole set is there
        String hosts = awaitNth(peer, "<streamhost ", n);
        Matcher where = Pattern.compile("host='([^']+)' port='(\\d+)'").matcher(hosts);
        assertTrue(where.find(), hosts);
        return track(Socks5.connect(new InetSocketAddress(InetAddress.getByName(where.group(1)),
                Integer.parseInt(where.group(2))), Socks5.hash(sid, "alice@hosta", "rita@hostr"), WAIT));
    }
}
