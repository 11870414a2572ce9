package chat.pronto.transfer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Where the sender of a file waits for the receiver (the sender is the XEP-0065 streamhost, as in
 * libpurple): a port of its own per transfer, one connection taken, closed after it. Connections that
 * ask for another transfer's hash are refused; after {@link #MAX_ATTEMPTS} of them it gives up.
 */
public final class DataListener implements AutoCloseable {
    static final int MAX_ATTEMPTS = 8;

    private final ServerSocket server;

    public DataListener(InetAddress address) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0), 4);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The receiver's connection, SOCKS5 handshake done; fails after {@code timeout} without one. */
    public Socket await(String hash, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                server.setSoTimeout((int) left);
                Socket socket = server.accept();
                try {
                    socket.setTcpNoDelay(true);
                    if (Socks5.accept(socket, hash, Duration.ofMillis(Math.max(1, left)))) {
                        return socket;
                    }
                } catch (IOException wrong) {
                    socket.close();
                }
            }
        } catch (SocketTimeoutException late) {
            throw new SocketTimeoutException("the receiver did not connect within " + timeout.toSeconds() + " s");
        } finally {
            close();
        }
        throw new SocketTimeoutException("the receiver did not connect within " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
