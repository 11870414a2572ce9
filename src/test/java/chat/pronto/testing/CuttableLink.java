package chat.pronto.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a real port, that the test can cut like a cable: while cut,
 * bytes in both directions are swallowed and nobody is told (no FIN, no RST), exactly what a pulled
 * cable or a frozen machine looks like from the other end. Mended, new connections work again.
 */
public final class CuttableLink implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(0);

    private final InetAddress source;

    public CuttableLink(int targetPort) throws IOException {
        this(targetPort, null);
    }

    /**
     * A relay whose connections to the real port come from {@code source} (an address of this host,
     * 127.0.0.N say): in one JVM, it makes a core's streams come from the address it advertises.
     */
    public CuttableLink(int targetPort, InetAddress source) throws IOException {
        this.source = source;
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "test-cuttable-link");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port to advertise instead of the real one. */
    public int port() {
        return listener.getLocalPort();
    }

    public void cut() {
        cut = true;
    }

    public void mend() {
        cut = false;
        stalled.countDown();
    }

    /**
     * Stops reading in both directions, as a peer that no longer reads: the kernel's buffers fill up
     * and the other side's writes block. {@link #mend} reads again.
     */
    public void stall() {
        stalled = new java.util.concurrent.CountDownLatch(1);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket near = listener.accept();
                Socket far = new Socket();
                far.setTcpNoDelay(true);
                near.setTcpNoDelay(true);
                if (source != null) {
                    far.bind(new InetSocketAddress(source, 0));
                }
                far.connect(target, 2000);
                sockets.add(near);
                sockets.add(far);
                relay(near, far);
                relay(far, near);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while (awaitUnstalled() && (read = in.read(buffer)) >= 0) {
                    if (!cut) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
                to.shutdownOutput();
            } catch (IOException gone) {
                // One side closed; the other notices on its own.
            }
        }, "test-cuttable-link-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private boolean awaitUnstalled() {
        try {
            stalled.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        stalled.countDown();
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
