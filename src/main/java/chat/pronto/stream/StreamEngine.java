package chat.pronto.stream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.packet.StreamError.Condition;

import chat.pronto.security.TlsContexts;
import chat.pronto.threads.Threads;

/**
 * Makes and tracks this instance's streams: dials peers, takes over accepted connections, owns the
 * one timer thread all streams share, and closes every stream on shutdown.
 */
public final class StreamEngine implements AutoCloseable {
    /** Threads kept waiting for the next stream's reader and writer (see {@link Threads#kept}). */
    public static final int KEPT_THREADS = 4;
    private static final java.time.Duration EXTRA_THREADS_FOR = java.time.Duration.ofSeconds(5);

    private final StreamConfig config;
    private final TlsContexts tls;
    private final StreamListener listener;
    private final PeerMatcher matcher;
    private final TrafficTap tap = new TrafficTap();
    private final Map<Long, XmlStream> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /** Readers and writers: a new stream takes the threads an ended one left (see {@link Threads#kept}). */
    private final Threads.Kept threads;
    private final Random random = new SecureRandom();
    private volatile boolean closed;
    private volatile String localName;

    public StreamEngine(StreamConfig config, TlsContexts tls, StreamListener listener, PeerMatcher matcher) {
        this.config = config;
        this.tls = tls;
        this.listener = listener;
        this.matcher = matcher;
        this.localName = config.localName();
        XmlParsing.ready();
        this.timer = Threads.timer("pronto-stream-timer");
        // Two threads a stream, as many streams dialed as taken (each up to the limit). Threads for two
        // streams wait for the next ones; the rest end soon (after a burst, or an attack of many).
        this.threads = Threads.kept("pronto-spare", KEPT_THREADS, 4 * config.maxStreams(), EXTRA_THREADS_FOR);
        long period = Math.max(50, config.limits().stanzaTimeout().toMillis() / 4);
        timer.scheduleWithFixedDelay(this::watchForSlowSenders, period, period, TimeUnit.MILLISECONDS);
    }

    private void watchForSlowSenders() {
        long now = System.nanoTime();
        for (XmlStream stream : streams.values()) {
            stream.checkSlowSender(now);
        }
    }

    public StreamEngine(StreamConfig config, TlsContexts tls, StreamListener listener) {
        this(config, tls, listener, PeerMatcher.CLAIMED_NAME);
    }

    /**
     * Dials whoever listens at {@code address}, its name unknown (added by address): the stream header
     * goes without {@code to}, the peer's answer names it, and only an encrypted stream is accepted —
     * its key, checked against the one pinned for the name it gives, is all that says who it is.
     */
    public XmlStream openUnnamed(InetSocketAddress address) throws IOException {
        return open(address, null);
    }

    /**
     * Dials {@code peer} at {@code address} (bounded by the connect timeout) and starts negotiating;
     * {@link XmlStream#established()} tells when it is ready.
     */
    public XmlStream open(InetSocketAddress address, String peer) throws IOException {
        ensureOpen();
        long dialed = count(stream -> stream.role() == Role.INITIATOR);
        if (dialed >= config.maxStreams()) {
            throw new IOException("already " + dialed + " streams dialed, the limit");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) config.connectTimeout().toMillis());
            return register(new XmlStream(this, socket, Role.INITIATOR, peer));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Takes over a connection a peer opened to us and negotiates as the recipient. */
    public XmlStream accept(Socket socket) throws IOException {
        ensureOpen();
        XmlStream stream = new XmlStream(this, socket, Role.RECIPIENT, null);
        // Incoming streams have their own allowance (our own dials never wait for it), and one
        // address may hold only a share of it: a host that opens streams and says nothing cannot
        // take every slot.
        InetAddress source = socket.getInetAddress();
        if (count(other -> other.role() == Role.RECIPIENT) >= config.maxStreams()) {
            stream.refuse(Condition.resource_constraint, "too many streams open");
            return stream;
        }
        SourceHost host = SourceHost.of(source);
        if (count(other -> other.role() == Role.RECIPIENT
                && host.equals(SourceHost.of(other.remoteAddress().getAddress())))
                >= Math.max(8, config.maxStreams() / 16)) {
            stream.refuse(Condition.resource_constraint, "too many streams from " + source.getHostAddress()
                    + (source instanceof java.net.Inet6Address ? " and its /64" : ""));
            return stream;
        }
        return register(stream);
    }

    private long count(java.util.function.Predicate<XmlStream> which) {
        return streams.values().stream().filter(which).count();
    }

    private XmlStream register(XmlStream stream) {
        streams.put(stream.id(), stream);
        stream.start();
        return stream;
    }

    /** Streams not yet ended. */
    public Collection<XmlStream> streams() {
        return List.copyOf(streams.values());
    }

    /** Raw traffic of every stream, for the debug console. */
    public TrafficTap tap() {
        return tap;
    }

    public StreamConfig config() {
        return config;
    }

    /** Our instance name as new streams announce it; starts as the configured one. */
    public String localName() {
        return localName;
    }

    /**
     * Another host owned our name and presence renamed us ({@code user-1@machine}): streams opened
     * from now on use the new name; open ones keep the name they were negotiated under.
     */
    public void rename(String newName) {
        localName = java.util.Objects.requireNonNull(newName, "newName");
    }

    /**
     * Closes every stream with the close handshake, waits up to the close timeout for the answers,
     * then drops what is left and stops the timer thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        streams.values().forEach(XmlStream::close);
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        for (XmlStream stream : streams()) {
            try {
                stream.awaitReader(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        streams.values().forEach(stream -> stream.abort("shutting down"));
        timer.shutdownNow();
        threads.shutdown(java.time.Duration.ofSeconds(1)); // the readers end with their sockets, closed above
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the stream engine is shut down");
        }
    }

    // ---- for XmlStream and Negotiation ----------------------------------------------------------

    void forget(XmlStream stream) {
        streams.remove(stream.id());
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    Threads.Kept threads() {
        return threads;
    }

    StreamListener listener() {
        return listener;
    }

    PeerMatcher matcher() {
        return matcher;
    }

    TlsContexts tls() {
        return tls;
    }

    Random random() {
        return random;
    }

}
