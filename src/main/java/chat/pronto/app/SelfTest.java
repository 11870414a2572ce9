package chat.pronto.app;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jxmpp.jid.impl.JidCreate;

import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.stream.StreamConfig;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamListener;
import chat.pronto.stream.StreamServer;
import chat.pronto.stream.XmlStream;

/**
 * {@code --self-test}: exercises what a packaged runtime may lack (Smack's parser and providers,
 * EC keys, TLS 1.3) by running two stream engines against each other on 127.0.0.1 only.
 */
final class SelfTest {
    private SelfTest() {
    }

    private static void deleteQuietly(java.nio.file.Path directory) {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary folder; the system cleans it up eventually
        }
    }

    static int run(PrintStream out, boolean withDisplay) {
        try {
            Stanza parsed = PacketParserUtils.parseStanza(
                    "<message xmlns='jabber:client' type='chat'><body>parse</body></message>");
            out.println("ok    Smack parses a stanza: " + parsed.toXML());

            Identity one = Identity.generate("self-test-one@localhost");
            Identity two = Identity.generate("self-test-two@localhost");
            out.println("ok    EC P-256 identity: " + one.fingerprint());

            CompletableFuture<Stanza> received = new CompletableFuture<>();
            StreamListener receiver = new StreamListener() {
                @Override
                public void onStanza(XmlStream stream, Stanza stanza) {
                    received.complete(stanza);
                }
            };
            InetAddress loopback = InetAddress.getLoopbackAddress();
            try (StreamEngine server = new StreamEngine(StreamConfig.defaults("self-test-two@localhost"),
                         new TlsContexts(two, KnownPeers.inMemory()), receiver);
                 StreamServer listening = StreamServer.start(server, loopback, 0);
                 StreamEngine client = new StreamEngine(StreamConfig.defaults("self-test-one@localhost"),
                         new TlsContexts(one, KnownPeers.inMemory()), new StreamListener() { })) {
                XmlStream stream = client.open(new InetSocketAddress(loopback, listening.port()),
                        "self-test-two@localhost");
                StreamInfo info = stream.established().get(10, TimeUnit.SECONDS);
                out.println("ok    stream negotiated: " + info.security() + " " + info.tlsProtocol().orElse("")
                        + " " + info.cipherSuite().orElse(""));
                stream.send(StanzaBuilder.buildMessage().to(JidCreate.from("self-test-two@localhost"))
                        .ofType(Message.Type.chat).setBody("hello").build());
                Stanza arrived = received.get(10, TimeUnit.SECONDS);
                out.println("ok    message delivered: " + arrived.toXML());
            }
            java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("pronto-self-test");
            try (chat.pronto.history.SqliteHistory history = chat.pronto.history.SqliteHistory.open(
                    scratch.resolve("history.db"))) {
                history.append(chat.pronto.model.ChatMessage.outgoing(chat.pronto.model.PeerId.of("self@test"), "1",
                        "stored", java.time.Instant.now()));
                out.println("ok    SQLite history: " + history.latest(chat.pronto.model.PeerId.of("self@test"), 1)
                        .get(0).message().body() + " and read back");
            } finally {
                deleteQuietly(scratch);
            }
            out.println("ok    mDNS service object: " + chat.pronto.presence.JmdnsPresenceService.selfTest());
            out.println("ok    " + chat.pronto.ui.DesktopApp.selfTest(withDisplay));
            out.println("self-test passed");
            return 0;
        } catch (Exception | LinkageError e) {
            out.println("FAIL  " + e);
            e.printStackTrace(out);
            return 1;
        }
    }
}
