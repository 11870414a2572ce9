package chat.pronto.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.impl.JidCreate;

import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.stream.Encryption;
import chat.pronto.stream.StreamConfig;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamListener;
import chat.pronto.stream.StreamServer;
import chat.pronto.stream.XmlStream;

/**
 * Stream set-up cost on 127.0.0.1, warm, next to a bare JSSE handshake measured in the same run and
 * the same rounds (variants interleave, so drift hits all alike). Not a test: run it by hand
 * (README, Benchmarks). Usage: {@code StreamSetupBenchmark [rounds] [warmup]}.
 */
public final class StreamSetupBenchmark {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100;

        Identity alice = Identity.generate("alice@bench");
        Identity carol = Identity.generate("carol@bench");
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        try (BareTls bare = new BareTls(alice, carol);
             Pair plain = new Pair(alice, carol, Encryption.DISABLED);
             Pair tls = new Pair(alice, carol, Encryption.PREFERRED)) {
            for (int round = -warmup; round < rounds; round++) {
                Samples.record("TCP connect + 1-byte echo", round, samples, bare::tcp);
                Samples.record("bare JSSE: TCP + TLS 1.3 handshake (mutual, EC P-256) + 1-byte echo", round, samples,
                        bare::tls);
                Samples.record("Pronto stream, plain XMPP 1.0 (header + features)", round, samples, plain::setUp);
                Samples.record("Pronto stream, STARTTLS + TLS 1.3 + SASL EXTERNAL (pinned)", round, samples, tls::setUp);
                Samples.record("bare JSSE echo round trip on an open TLS connection (254 bytes)", round, samples,
                        bare::echoOpen);
                Samples.record("Pronto chat message -> echoed message, open TLS stream", round, samples, tls::roundTrip);
            }
        }
        Samples.printTable(samples, rounds, warmup);
    }

    /** Two Pronto stream engines on loopback; measures open() until both sides report established. */
    private static final class Pair implements AutoCloseable {
        private final BlockingQueue<XmlStream> acceptedEstablished = new LinkedBlockingQueue<>();
        private final BlockingQueue<StreamEnd> ends = new LinkedBlockingQueue<>();
        private final BlockingQueue<Stanza> arrivedAtAlice = new LinkedBlockingQueue<>();
        private final StreamEngine initiator;
        private final StreamEngine recipient;
        private final StreamServer server;
        private XmlStream openStream;

        Pair(Identity alice, Identity carol, Encryption encryption) throws Exception {
            StreamListener echo = new StreamListener() {
                @Override
                public void onEstablished(XmlStream stream, StreamInfo info) {
                    acceptedEstablished.add(stream);
                }

                @Override
                public void onStanza(XmlStream stream, Stanza stanza) {
                    try {
                        stream.send(StanzaBuilder.buildMessage().to(JidCreate.from("alice@bench"))
                                .ofType(Message.Type.chat).setBody(((Message) stanza).getBody()).build());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void onEnded(XmlStream stream, StreamEnd end) {
                    ends.add(end);
                }
            };
            StreamListener initiatorEvents = new StreamListener() {
                @Override
                public void onStanza(XmlStream stream, Stanza stanza) {
                    arrivedAtAlice.add(stanza);
                }

                @Override
                public void onEnded(XmlStream stream, StreamEnd end) {
                    ends.add(end);
                }
            };
            recipient = new StreamEngine(StreamConfig.defaults("carol@bench").withEncryption(encryption),
                    new TlsContexts(carol, KnownPeers.inMemory()), echo);
            server = StreamServer.start(recipient, LOOPBACK, 0);
            initiator = new StreamEngine(StreamConfig.defaults("alice@bench").withEncryption(encryption),
                    new TlsContexts(alice, KnownPeers.inMemory()), initiatorEvents);
        }

        long setUp() throws Exception {
            if (openStream != null) {
                openStream.close();
                ends.poll(10, TimeUnit.SECONDS);
                ends.poll(10, TimeUnit.SECONDS);
            }
            long start = System.nanoTime();
            XmlStream stream = initiator.open(new InetSocketAddress(LOOPBACK, server.port()), "carol@bench");
            stream.established().get(10, TimeUnit.SECONDS);
            if (acceptedEstablished.poll(10, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("the recipient never reported the stream");
            }
            long elapsed = System.nanoTime() - start;
            openStream = stream;
            return elapsed;
        }

        long roundTrip() throws Exception {
            Message message = StanzaBuilder.buildMessage().to(JidCreate.from("carol@bench"))
                    .ofType(Message.Type.chat).setBody("x".repeat(100)).build();
            long start = System.nanoTime();
            openStream.send(message);
            if (arrivedAtAlice.poll(10, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("no echo");
            }
            return System.nanoTime() - start;
        }

        @Override
        public void close() throws Exception {
            server.close();
            initiator.close();
            recipient.close();
        }
    }

    /** The floor: JSSE alone, the same keys, a fresh client context per connection (no resumption). */
}
