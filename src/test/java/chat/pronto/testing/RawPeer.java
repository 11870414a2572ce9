package chat.pronto.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import chat.pronto.security.PeerTls;

/**
 * A hand-driven peer on a raw socket: writes exactly the bytes a test gives it and shows exactly
 * what came back, so tests can assert what is on the wire.
 */
public final class RawPeer implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean eof;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
    }

    public static RawPeer connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        return new RawPeer(socket);
    }

    /** Connects with a tiny receive buffer: once it stops reading, the other side's writes block soon. */
    public static RawPeer connectTight(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(address, 5000);
        return new RawPeer(socket);
    }

    /** Waits for one connection on {@code server}. */
    public static RawPeer accept(ServerSocket server) throws IOException {
        server.setSoTimeout(10_000);
        return new RawPeer(server.accept());
    }

    /**
     * Runs the TLS handshake over this connection as the side that sent {@code <starttls/>} (after
     * reading {@code <proceed/>}); from then on everything sent and received is inside TLS.
     */
    public RawPeer startTls(PeerTls tls) throws IOException {
        socket.setSoTimeout(10_000);
        socket = tls.upgradeAsInitiator(socket);
        in = socket.getInputStream();
        received.reset();
        return this;
    }

    public RawPeer send(String xml) throws IOException {
        socket.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    public RawPeer send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads until what was received contains {@code text}; returns everything received so far. */
    public String readUntil(String text) throws IOException {
        return readUntil(text, RecordingStreamListener.WAIT);
    }

    public String readUntil(String text, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!received().contains(text)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || eof) {
                throw new AssertionError("expected \"" + text + "\" but received only: " + received()
                        + (eof ? " (then the connection closed)" : ""));
            }
            readOnce(Math.max(1, (int) (left / 1_000_000)));
        }
        return received();
    }

    /**
     * Reads like a slow but steady peer: at most {@code bytesPerRead} every {@code pauseMillis}, until
     * {@code text} has been received {@code times} times (or {@code timeout} passes, or the connection ends).
     * Returns how many times it was received.
     */
    public int readSlowly(String text, int times, int bytesPerRead, long pauseMillis, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof && System.nanoTime() < deadline && count(text) < times) {
            readOnce(100, bytesPerRead);
            Thread.sleep(pauseMillis); // the slowness under test, not a wait for a result
        }
        return count(text);
    }

    private int count(String text) {
        String all = received();
        int found = 0;
        for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + text.length())) {
            found++;
        }
        return found;
    }

    /** True when the other side closes the connection within the timeout (reading what still comes). */
    public boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            readOnce(Math.max(1, (int) (left / 1_000_000)));
        }
        return true;
    }

    public String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    private void readOnce(int timeoutMillis) throws IOException {
        readOnce(timeoutMillis, 8192);
    }

    private void readOnce(int timeoutMillis, int maxBytes) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buffer = new byte[maxBytes];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                eof = true;
            } else {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // The caller checks its deadline.
        } catch (IOException e) {
            eof = true; // a reset counts as closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
