package chat.pronto.stream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jxmpp.jid.impl.JidCreate;

import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;

/**
 * For {@code --self-test}: what a packaged runtime may lack for streams (Smack's parser and
 * providers, EC keys, TLS 1.3), tried by two stream engines talking over 127.0.0.1 only. Lives here
 * because Smack stays inside the stream and session packages.
 */
public final class StreamSelfTest {
    private static final String ONE = "self-test-one@localhost";
    private static final String TWO = "self-test-two@localhost";

    private StreamSelfTest() {
    }

    /** Tells {@code passed} each step as it succeeds; throws at the first that fails. */
    public static void run(Consumer<String> passed) throws Exception {
        XmlParsing.ready();
        Stanza parsed = PacketParserUtils.parseStanza(
                "<message xmlns='jabber:client' type='chat'><body>parse</body></message>");
        passed.accept("Smack parses a stanza: " + parsed.toXML());

        Identity one = Identity.generate(ONE);
        Identity two = Identity.generate(TWO);
        passed.accept("EC P-256 identity: " + one.fingerprint());

        CompletableFuture<Stanza> received = new CompletableFuture<>();
        StreamListener receiver = new StreamListener() {
            @Override
            public void onStanza(XmlStream stream, Stanza stanza) {
                received.complete(stanza);
            }
        };
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (StreamEngine server = new StreamEngine(StreamConfig.defaults(TWO),
                     new TlsContexts(two, KnownPeers.inMemory()), receiver);
             StreamServer listening = StreamServer.start(server, loopback, 0);
             StreamEngine client = new StreamEngine(StreamConfig.defaults(ONE),
                     new TlsContexts(one, KnownPeers.inMemory()), new StreamListener() { })) {
            XmlStream stream = client.open(new InetSocketAddress(loopback, listening.port()), TWO);
            StreamInfo info = stream.established().get(10, TimeUnit.SECONDS);
            passed.accept("stream negotiated: " + info.security() + " " + info.tlsProtocol().orElse("")
                    + " " + info.cipherSuite().orElse(""));
            stream.send(StanzaBuilder.buildMessage().to(JidCreate.from(TWO))
                    .ofType(Message.Type.chat).setBody("hello").build());
            Stanza arrived = received.get(10, TimeUnit.SECONDS);
            passed.accept("message delivered: " + arrived.toXML());
        }
    }
}
