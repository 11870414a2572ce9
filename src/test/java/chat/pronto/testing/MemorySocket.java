package chat.pronto.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.charset.StandardCharsets;

/**
 * A connected socket without a network: reads come from the bytes it was given (in chunks of at
 * most {@code chunk}, then end of stream: the peer closed), writes are kept for the test to read.
 * Lets the real stream engine serve a hand-made peer in memory, fast enough to fuzz.
 */
public final class MemorySocket extends Socket {
    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5298);

    private final ChunkedInput input;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private volatile boolean closed;
    private volatile boolean outputShut;
    private volatile int timeout;

    public MemorySocket(byte[] incoming, int chunk) {
        this.input = new ChunkedInput(incoming, Math.max(1, chunk));
    }

    /** Everything the other side wrote, as UTF-8 (the part before any TLS bytes is text). */
    public String written() {
        synchronized (written) {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                if (length == 0) {
                    return 0;
                }
                synchronized (input) {
                    return input.read(buffer, offset, length);
                }
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                if (closed || outputShut) {
                    throw new SocketException("Socket output is shut down");
                }
                synchronized (written) {
                    written.write(buffer, offset, length);
                }
            }
        };
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return REMOTE;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return LOCAL;
    }

    @Override
    public InetAddress getInetAddress() {
        return REMOTE.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return LOCAL.getAddress();
    }

    @Override
    public int getPort() {
        return REMOTE.getPort();
    }

    @Override
    public int getLocalPort() {
        return LOCAL.getPort();
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isInputShutdown() {
        return closed;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut || closed;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) {
        return this;
    }

    @Override
    public void setSoTimeout(int millis) {
        timeout = millis;
    }

    @Override
    public int getSoTimeout() {
        return timeout;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public void shutdownInput() {
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "MemorySocket[" + REMOTE + "]";
    }
}
