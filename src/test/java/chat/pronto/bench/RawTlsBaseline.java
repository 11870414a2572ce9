package chat.pronto.bench;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.receipts.DeliveryReceipt;
import org.jivesoftware.smackx.receipts.DeliveryReceiptRequest;
import org.jxmpp.jid.impl.JidCreate;

import chat.pronto.security.Identity;
import chat.pronto.threads.Threads;

/**
 * The floor every message figure is held against: bare JSSE TLS 1.3 (mutual certificates, the
 * peers' own keys) on 127.0.0.1, carrying exactly the bytes of a Pronto chat message (a 100-character
 * body with a receipt request) and of its XEP-0184 receipt, one write per message, as Pronto writes
 * them. Nothing parses, stores or hands off: this is what the wire and TLS cost.
 */
public final class RawTlsBaseline implements AutoCloseable {
    /** The first byte a client sends after the handshake picks what the server does with the connection. */
    private static final int ECHO = 'E';
    private static final int ACK = 'A';
    private static final int SINK = 'S';
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final KeyManager[] clientKeys;
    private final SSLServerSocket server;
    private final byte[] frame;
    private final byte[] ack;
    private SSLSocket open;
    private SSLContext keptClient;

    public RawTlsBaseline(Identity client, Identity server) throws Exception {
        this.clientKeys = BareTls.keyManagers(client);
        this.server = (SSLServerSocket) BareTls.context(BareTls.keyManagers(server)).getServerSocketFactory()
                .createServerSocket(0, 50, LOOPBACK);
        this.server.setNeedClientAuth(true);
        String from = client.instanceName().orElse("alice@hosta");
        String to = server.instanceName().orElse("bob@hostb");
        this.frame = messageFrame(from, to);
        this.ack = receiptFrame(to, from);
        Threads.start("pronto-bench-raw-tls-accept", this::accept);
    }

    /** A Pronto chat message as Smack writes it: 100-character body, receipt requested. */
    static byte[] messageFrame(String from, String to) throws Exception {
        Message message = StanzaBuilder.buildMessage("bench-0000000000000000000000000000000000")
                .from(JidCreate.from(from)).to(JidCreate.from(to)).ofType(Message.Type.chat)
                .setBody("x".repeat(100)).addExtension(new DeliveryReceiptRequest()).build();
        return message.toXML().toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] receiptFrame(String from, String to) throws Exception {
        Message receipt = StanzaBuilder.buildMessage("bench-1111111111111111111111111111111111")
                .from(JidCreate.from(from)).to(JidCreate.from(to))
                .addExtension(new DeliveryReceipt("bench-0000000000000000000000000000000000")).build();
        return receipt.toXML().toString().getBytes(StandardCharsets.UTF_8);
    }

    public int frameBytes() {
        return frame.length;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                Threads.start("pronto-bench-raw-tls-connection", () -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            int mode = in.read();
            if (mode == ECHO) {
                byte[] buffer = new byte[16384];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
            } else if (mode == ACK) {
                byte[] message = new byte[frame.length];
                while (true) {
                    in.readFully(message);
                    out.write(ack);
                }
            } else if (mode == SINK) {
                byte[] message = new byte[frame.length];
                while (true) {
                    int count = in.readInt();
                    for (int i = 0; i < count; i++) {
                        in.readFully(message);
                    }
                    out.write(1);
                }
            }
        } catch (IOException gone) {
            // the client closed the connection
        }
    }

    private SSLSocket connect(int mode) throws Exception {
        return connect(mode, BareTls.context(clientKeys));
    }

    private SSLSocket connect(int mode, SSLContext context) throws Exception {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(LOOPBACK, server.getLocalPort());
        socket.setTcpNoDelay(true);
        socket.startHandshake();
        socket.getOutputStream().write(mode);
        return socket;
    }

    /** TCP connect + full TLS 1.3 handshake (fresh context: no resumption) + one byte there and back. */
    public long handshake() throws Exception {
        long start = System.nanoTime();
        try (SSLSocket socket = connect(ECHO)) {
            socket.getOutputStream().write(1);
            if (socket.getInputStream().read() < 0) {
                throw new EOFException("no echo");
            }
            return System.nanoTime() - start;
        }
    }

    /**
     * TCP connect + TLS 1.3 handshake resuming the last session (one client context kept: PSK with
     * ECDHE, no certificates) + one byte there and back, which also takes in the next ticket.
     */
    public long resumedHandshake() throws Exception {
        if (keptClient == null) {
            keptClient = BareTls.context(clientKeys);
        }
        long start = System.nanoTime();
        try (SSLSocket socket = connect(ECHO, keptClient)) {
            socket.getOutputStream().write(1);
            if (socket.getInputStream().read() < 0) {
                throw new EOFException("no echo");
            }
            return System.nanoTime() - start;
        }
    }

    /** One message frame to the server and the same bytes back, on an open connection. */
    public long echo() throws Exception {
        if (open == null) {
            open = connect(ECHO);
        }
        byte[] back = new byte[frame.length];
        long start = System.nanoTime();
        open.getOutputStream().write(frame);
        readFully(open.getInputStream(), back);
        return System.nanoTime() - start;
    }

    /** {@code count} frames one way, one write each, until the server says it read them all: the elapsed nanoseconds. */
    public long oneWay(int count) throws Exception {
        try (SSLSocket socket = connect(SINK)) {
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(java.nio.ByteBuffer.allocate(4).putInt(count).array());
            for (int i = 0; i < count; i++) {
                out.write(frame);
            }
            if (socket.getInputStream().read() < 0) {
                throw new EOFException("the server did not confirm");
            }
            return System.nanoTime() - start;
        }
    }

    /** {@code count} frames written back to back while a reader takes one receipt per frame: until the last receipt. */
    public long withReceipts(int count) throws Exception {
        try (SSLSocket socket = connect(ACK)) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            InputStream in = socket.getInputStream();
            Threads.start("pronto-bench-raw-tls-receipts", () -> {
                try {
                    byte[] receipts = new byte[64 * ack.length];
                    long left = (long) count * ack.length;
                    while (left > 0) {
                        int n = in.read(receipts, 0, (int) Math.min(receipts.length, left));
                        if (n < 0) {
                            throw new EOFException("receipts ended early");
                        }
                        left -= n;
                    }
                    done.complete(System.nanoTime());
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            });
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                out.write(frame);
            }
            return done.get(120, TimeUnit.SECONDS) - start;
        }
    }

    private static void readFully(InputStream in, byte[] into) throws IOException {
        for (int got = 0; got < into.length; ) {
            int n = in.read(into, got, into.length - got);
            if (n < 0) {
                throw new EOFException();
            }
            got += n;
        }
    }

    /** Runs {@code body} {@code runs} times and keeps the median run (runs are printed in the note). */
    static Figure medianRate(String key, String what, int count, int runs, Samples.Measured body) throws Exception {
        List<Long> elapsed = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            elapsed.add(body.nanos());
        }
        List<Long> sorted = new ArrayList<>(elapsed);
        sorted.sort(null);
        long median = sorted.get(sorted.size() / 2);
        StringBuilder all = new StringBuilder("runs:");
        for (long nanos : elapsed) {
            all.append(String.format(java.util.Locale.ROOT, " %,.0f", count * 1e9 / nanos));
        }
        return Figure.rate(key, what, count, median).withNote(all + " msg/s, median shown");
    }

    /** The raw TLS figures of the suite: latencies with {@code samples} samples, rates over {@code messages}. */
    public static void measure(SuiteReport report, Identity alice, Identity bob, int samples, int messages,
                               int handshakes) throws Exception {
        try (RawTlsBaseline tls = new RawTlsBaseline(alice, bob)) {
            report.add(Figure.latency("tls.echo", "raw TLS 1.3 echo of one message (" + tls.frameBytes() + " bytes)",
                    timed(Math.max(50, samples / 10), samples, tls::echo)));
            tls.oneWay(Math.max(1000, messages / 4));
            report.add(medianRate("tls.oneway", "raw TLS 1.3 one way, one write per message", messages, 3,
                    () -> tls.oneWay(messages)));
            tls.withReceipts(Math.max(1000, messages / 4));
            report.add(medianRate("tls.receipts", "raw TLS 1.3, a receipt back per message, until the last",
                    messages, 3, () -> tls.withReceipts(messages)));
            int shakesWarmup = Math.max(20, handshakes / 5);
            report.add(Figure.latency("tls.handshake",
                    "bare JSSE full handshake (TCP + TLS 1.3, mutual, the peers' keys) + 1-byte echo",
                    timed(shakesWarmup, handshakes, tls::handshake)));
            report.add(Figure.latency("tls.resumed",
                    "bare JSSE resumed handshake (TCP + TLS 1.3 PSK with ECDHE, the last session) + 1-byte echo",
                    timed(shakesWarmup, handshakes, tls::resumedHandshake)));
        }
    }

    /** {@code samples} nanosecond figures of {@code measure}, after {@code warmup} unrecorded ones. */
    private static List<Long> timed(int warmup, int samples, Timed measure) throws Exception {
        List<Long> figures = new ArrayList<>();
        for (int i = -warmup; i < samples; i++) {
            long nanos = measure.nanos();
            if (i >= 0) {
                figures.add(nanos);
            }
        }
        return figures;
    }

    private interface Timed {
        long nanos() throws Exception;
    }

    @Override
    public void close() throws IOException {
        if (open != null) {
            open.close();
        }
        server.close();
    }
}
