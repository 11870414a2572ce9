package chat.pronto.stream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.threads.Threads;

/** Listens on the port we advertise and hands each incoming connection to the engine as a recipient stream. */
public final class StreamServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamServer.class);
    /** After a failed accept (no file descriptors left, say) the acceptor waits this long before the next. */
    private static final long ACCEPT_FAILURE_PAUSE_MILLIS = 100;

    private final ServerSocket serverSocket;
    private final StreamEngine engine;
    private final Thread acceptor;

    private StreamServer(ServerSocket serverSocket, StreamEngine engine) {
        this.serverSocket = serverSocket;
        this.engine = engine;
        this.acceptor = Threads.unstarted("pronto-stream-accept", this::acceptLoop);
    }

    /** Binds {@code address}:{@code port} (0 for any free port) and starts accepting. */
    public static StreamServer start(StreamEngine engine, InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + address.getHostAddress() + ":" + port + ": "
                    + e.getMessage(), e);
        }
        StreamServer server = new StreamServer(socket, engine);
        server.acceptor.start();
        return server;
    }

    /** The port actually bound: the one to advertise in SRV and {@code port.p2pj}. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    private static void pause() {
        try {
            Thread.sleep(ACCEPT_FAILURE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    // Out of file descriptors, say: trying again at once would spin a core.
                    LOG.warn("accepting a connection failed: {}", e.getMessage());
                    pause();
                }
                continue;
            }
            try {
                engine.accept(socket);
            } catch (IOException e) {
                LOG.debug("dropped an incoming connection: {}", e.getMessage());
                closeQuietly(socket);
            }
        }
    }

    /** Stops accepting; streams already open are the engine's to close. */
    @Override
    public void close() throws IOException {
        serverSocket.close();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do with it.
        }
    }
}
