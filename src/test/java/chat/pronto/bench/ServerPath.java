package chat.pronto.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.SocketFactory;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509TrustManager;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.receipts.DeliveryReceiptManager;
import org.jivesoftware.smackx.receipts.DeliveryReceiptRequest;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The server path people use today, as the baseline of Pronto's message figures: Prosody (Debian's
 * package) on 127.0.0.1 inside this JVM's private network namespace, and two Smack 4.4.8
 * {@code XMPPTCPConnection} clients at their best (TCP_NODELAY on the socket, stream management off,
 * STARTTLS to TLS 1.3 trusting only the test certificate). The receiving client sends the XEP-0184
 * receipt as soon as a message arrives; nothing is stored on the way.
 */
public final class ServerPath implements AutoCloseable {
    private static final String RESOURCE = "bench";
    /** Smack warns on every burst that its listener executor is busy: expected here, and kept quiet. */
    private static final java.util.logging.Logger SMACK_BUSY =
            java.util.logging.Logger.getLogger("org.jivesoftware.smack.AbstractXMPPConnection");

    static {
        SMACK_BUSY.setLevel(java.util.logging.Level.SEVERE);
    }

    private final Prosody prosody;
    private final XMPPTCPConnection alice;
    private final XMPPTCPConnection bob;
    private final EntityFullJid bobJid;
    private final BlockingQueue<String> receipts = new ArrayBlockingQueue<>(16);
    private volatile CountDownLatch allReceipts = new CountDownLatch(0);
    private final AtomicLong counted = new AtomicLong();

    private ServerPath(Prosody prosody) throws Exception {
        this.prosody = prosody;
        this.alice = login("alice", RESOURCE);
        this.bob = login("bob", RESOURCE);
        this.bobJid = JidCreate.entityFullFrom("bob@" + Prosody.DOMAIN + "/" + RESOURCE);
        DeliveryReceiptManager.getInstanceFor(bob).setAutoReceiptMode(DeliveryReceiptManager.AutoReceiptMode.always);
        DeliveryReceiptManager.getInstanceFor(alice).addReceiptReceivedListener((from, to, receiptId, receipt) -> {
            if (allReceipts.getCount() > 0) {
                counted.incrementAndGet();
                allReceipts.countDown();
            } else {
                receipts.add(receiptId);
            }
        });
    }

    /** Starts Prosody with the accounts alice, bob (the two clients) and carol (for the login figure). */
    public static ServerPath start() throws Exception {
        Prosody prosody = Prosody.start(List.of("alice", "bob", "carol"));
        try {
            return new ServerPath(prosody);
        } catch (Exception e) {
            prosody.close();
            throw e;
        }
    }

    private XMPPTCPConnection login(String user, String resource) throws Exception {
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(Prosody.DOMAIN)
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(prosody.port())
                .setUsernameAndPassword(user, Prosody.PASSWORD)
                .setResource(resource)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(trusting(prosody.certificate()))
                .setHostnameVerifier((host, session) -> {
                    try {
                        return session.getPeerCertificates()[0].equals(prosody.certificate());
                    } catch (SSLPeerUnverifiedException e) {
                        return false;
                    }
                })
                .setSocketFactory(new NoDelaySockets())
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(config);
        connection.setUseStreamManagement(false);
        Roster.getInstanceFor(connection).setRosterLoadedAtLogin(false);
        connection.connect().login();
        return connection;
    }

    /** Smack 4.4.8 never sets TCP_NODELAY itself: its sockets come from here. */
    private static final class NoDelaySockets extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return connected(new Socket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return connected(new Socket(host, port, local, localPort));
        }

        private static Socket connected(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }

    /** Trusts exactly the one certificate Prosody was given. */
    private static X509TrustManager trusting(X509Certificate only) {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("no client certificates here");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain.length == 0 || !chain[0].equals(only)) {
                    throw new CertificateException("not the benchmark's Prosody");
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[] {only};
            }
        };
    }

    private Message message(long sequence) {
        return StanzaBuilder.buildMessage("bench-" + sequence).to(bobJid).ofType(Message.Type.chat)
                .setBody("x".repeat(100)).addExtension(new DeliveryReceiptRequest()).build();
    }

    /** One message from alice to bob, until bob's receipt is back at alice. */
    public long roundTrip(long sequence) throws Exception {
        Message message = message(sequence);
        long start = System.nanoTime();
        alice.sendStanza(message);
        String id = receipts.poll(10, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        if (!message.getStanzaId().equals(id)) {
            throw new IllegalStateException("expected the receipt for " + message.getStanzaId() + ", got " + id);
        }
        return elapsed;
    }

    /** {@code count} messages as fast as Smack takes them, until every receipt is back. */
    public long throughput(int count, long firstSequence) throws Exception {
        CountDownLatch latch = new CountDownLatch(count);
        allReceipts = latch;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            alice.sendStanza(message(firstSequence + i));
        }
        if (!latch.await(180, TimeUnit.SECONDS)) {
            throw new IllegalStateException(latch.getCount() + " receipts missing after 180 s");
        }
        return System.nanoTime() - start;
    }

    /** A third client: TCP connect + STARTTLS + TLS 1.3 + SASL + bind (+ its initial presence written), then gone. */
    public long loginOnce() throws Exception {
        long start = System.nanoTime();
        XMPPTCPConnection carol = login("carol", "login");
        long elapsed = System.nanoTime() - start;
        carol.disconnect();
        return elapsed;
    }

    public static void measure(SuiteReport report, int samples, int messages, int logins) throws Exception {
        String why = Prosody.unavailable();
        if (why != null) {
            report.add(Figure.skipped("prosody.rtt", "Prosody path: message → receipt", why));
            report.add(Figure.skipped("prosody.receipts", "Prosody path: one stream, until all receipts are back", why));
            report.add(Figure.skipped("prosody.login", "Prosody path: login", why));
            return;
        }
        try (ServerPath path = start()) {
            long sequence = 0;
            List<Long> trips = new ArrayList<>();
            for (int i = -Math.max(100, samples / 10); i < samples; i++) {
                long nanos = path.roundTrip(sequence++);
                if (i >= 0) {
                    trips.add(nanos);
                }
            }
            report.add(Figure.latency("prosody.rtt",
                    "Prosody path (Smack 4.4.8 ×2, TCP_NODELAY, no SM): message → receipt", trips));
            path.throughput(Math.max(500, messages / 4), sequence);
            sequence += messages;
            long first = sequence;
            report.add(RawTlsBaseline.medianRate("prosody.receipts",
                    "Prosody path: one stream, messages until all receipts are back", messages, 3,
                    new Samples.Measured() {
                        private long next = first;

                        @Override
                        public long nanos() throws Exception {
                            long elapsed = path.throughput(messages, next);
                            next += messages;
                            return elapsed;
                        }
                    }));
            List<Long> times = new ArrayList<>();
            for (int i = -Math.max(5, logins / 10); i < logins; i++) {
                long nanos = path.loginOnce();
                if (i >= 0) {
                    times.add(nanos);
                }
            }
            report.add(Figure.latency("prosody.login", "Prosody path: login (TCP + TLS 1.3 + SASL + bind)", times));
        }
    }

    /** Alone: {@code ServerPath [samples] [messages] [logins]}; must run in a private network namespace (.bench/run). */
    public static void main(String[] args) throws Exception {
        SuiteReport report = new SuiteReport(MachineInfo.current(), "server path only");
        measure(report, args.length > 0 ? Integer.parseInt(args[0]) : 10_000,
                args.length > 1 ? Integer.parseInt(args[1]) : 20_000, args.length > 2 ? Integer.parseInt(args[2]) : 200);
        System.out.println(report.markdown());
        System.exit(0);
    }

    @Override
    public void close() {
        alice.disconnect();
        bob.disconnect();
        prosody.close();
    }
}
