package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.FakePresence;
import chat.pronto.testing.RawPeer;

/** XEP-0066 offers, as iChat and Telepathy Salut send files: a URL on the sender's own web server. */
class OutOfBandFilesIT {
    private static final String SALUT_HEADER = "<?xml version='1.0' encoding='UTF-8'?><stream:stream"
            + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='%s' to='%s'>";
    private final FakeLink link = new FakeLink();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final byte[] file = new byte[300_000];
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private volatile byte[] served;
    @TempDir
    Path folder;

    @BeforeEach
    void serve() throws Exception {
        new Random(66).nextBytes(file);
        served = file;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = served;
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void closeAll() {
        server.stop(0);
        java.util.Collections.reverse(resources); // the raw peer first: Bob then has no stream to wait on
        resources.forEach(resource -> {
            try {
                resource.close();
            } catch (Exception ignored) {
                // after the test
            }
        });
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Bob, and a Salut-like peer on 127.0.0.1 that dialed him (a plain stream). */
    private RawPeer salut(ChatCore bob) throws Exception {
        String name = "sally@salut";
        FakePresence presence = track(new FakePresence(link, InetAddress.getLoopbackAddress()));
        presence.start(PeerId.of(name), OwnPresence.available("sally"), 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals(name));
        RawPeer peer = track(RawPeer.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), bob.chat.port())));
        peer.send(SALUT_HEADER.formatted(name, bob.id()));
        peer.readUntil("<stream:stream");
        return peer;
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    private static String offer(String id, String url, String size) {
        return "<iq type='set' id='" + id + "'><query xmlns='jabber:iq:oob'><url type='file'"
                + (size == null ? "" : " size='" + size + "'") + " mimeType='application/pdf'>" + url
                + "</url><desc>the minutes</desc></query></iq>";
    }

    private static Transfer await(ChatCore core, TransferState state) {
        return core.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().state() == state)
                .transfer();
    }

    @Test
    void anAcceptedUrlIsFetchedShownAsNotEncryptedAndTheSenderToldItArrived() throws Exception {
        ChatCore bob = track(ChatCore.on(link, "bob@hostb").start());
        RawPeer sally = salut(bob);
        // iChat puts a line break before the URL; the name comes from its last part, decoded and cleaned.
        sally.send(offer("oob1", "\n" + url("127.0.0.1", "/x/Meeting%20minutes.pdf"), Integer.toString(file.length)));
        Transfer offered = await(bob, TransferState.OFFERED);
        assertEquals("Meeting minutes.pdf", offered.name());
        assertEquals(file.length, offered.size());
        assertFalse(offered.encrypted(), "plain HTTP: shown as not encrypted");
        assertEquals(0, requests.get(), "nothing is fetched before the user says yes");

        bob.chat.acceptFile(offered.id(), Optional.of(folder)).get();
        Transfer done = await(bob, TransferState.DONE);
        assertArrayEquals(file, Files.readAllBytes(Path.of(done.file())));
        assertEquals(folder.resolve("Meeting minutes.pdf"), Path.of(done.file()));
        assertTrue(sally.readUntil("type='result'").contains("id='oob1'") || sally.received().contains("id=\"oob1\""),
                sally.received());
    }

    @Test
    void aDeclinedUrlIsAnsweredNotAcceptableAndNeverFetched() throws Exception {
        ChatCore bob = track(ChatCore.on(link, "bob@hostb").start());
        RawPeer sally = salut(bob);
        sally.send(offer("oob2", url("127.0.0.1", "/a.pdf"), null));
        bob.chat.declineFile(await(bob, TransferState.OFFERED).id()).get();
        assertTrue(sally.readUntil("not-acceptable").contains("oob2"), sally.received());
        assertEquals(0, requests.get());
    }

    @Test
    void aUrlElsewhereThanTheSendersOwnAddressOrNotHttpIsRefusedAtOnce() throws Exception {
        ChatCore bob = track(ChatCore.on(link, "bob@hostb").start());
        RawPeer sally = salut(bob);
        sally.send(offer("elsewhere", url("127.0.0.2", "/a.pdf"), null));
        sally.send(offer("named", url("localhost", "/a.pdf"), null));
        sally.send(offer("ftp", "ftp://127.0.0.1/a.pdf", null));
        sally.readSlowly("not-acceptable", 3, 1 << 16, 0, chat.pronto.testing.RecordingChatListener.WAIT);
        String answers = sally.received();
        for (String id : List.of("elsewhere", "named", "ftp")) {
            assertTrue(answers.matches("(?s).*id=['\"]" + id + "['\"].*"), id + " answered: " + answers);
        }
        sally.send("<message type='chat' id='m1'><body>still here</body></message>");
        bob.events.awaitReceived("still here");
        assertTrue(bob.events.all(ChatEvent.TransferUpdated.class).isEmpty(), "nothing refused is shown");
        assertEquals(0, requests.get());
    }

    @Test
    void aServerThatSendsMoreThanTheOfferSaidFailsTheTransferAndKeepsNothing() throws Exception {
        ChatCore bob = track(ChatCore.on(link, "bob@hostb").start());
        RawPeer sally = salut(bob);
        sally.send(offer("oob3", url("127.0.0.1", "/small.bin"), "1000"));
        Transfer offered = await(bob, TransferState.OFFERED);
        bob.chat.acceptFile(offered.id(), Optional.of(folder)).get();
        Transfer failed = await(bob, TransferState.FAILED);
        assertTrue(failed.reason().contains("1000"), failed.reason());
        assertTrue(sally.readUntil("item-not-found").contains("oob3"));
        try (var left = Files.list(folder)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
