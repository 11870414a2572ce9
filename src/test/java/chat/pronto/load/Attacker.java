package chat.pronto.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bad connections, all on one thread (a selector): {@code idle} ones that connect and say nothing,
 * {@code slow} ones that dribble a stream header one byte at a time and never finish it. They come
 * from many source addresses (hosts) in turn; each one that the other side closes is replaced at
 * once, so as many stay open as the attacker can keep. Records, for every connection, how long it
 * lived and what it was told before the close.
 */
final class Attacker implements AutoCloseable {
    enum Kind { IDLE, SLOW }

    private static final java.util.regex.Pattern ERROR = java.util.regex.Pattern
            .compile("<([a-z-]+) xmlns=['\"]urn:ietf:params:xml:ns:xmpp-streams['\"]");

    /** The stream error in what the connection was told before the close ("none" when only closed). */
    private static String errorIn(CharSequence answer) {
        java.util.regex.Matcher error = ERROR.matcher(answer);
        return error.find() ? error.group(1).intern() : "none";
    }

    /** One bad connection's life: from connected to closed by the other side, and the stream error it read. */
    record Life(Kind kind, long connectedNanos, long closedNanos, String answer) {
        double seconds() {
            return (closedNanos - connectedNanos) / 1e9;
        }
    }

    private static final byte[] HEADER = ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='pronto@receiver' version='1.0'>")
            .getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress target;
    private final List<InetAddress> sources;
    private final long dribbleNanos;
    private final Selector selector;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Life> lives = new ConcurrentLinkedQueue<>();
    private final List<String> failures = new ArrayList<>();
    private int nextSource;
    private volatile int open;
    private volatile int connectedNow;
    private volatile long oldestOpenNanos;
    /** Connections connected and not yet closed, by their own address, with the time they connected. */
    private final java.util.Map<InetSocketAddress, Long> openNow = new java.util.concurrent.ConcurrentHashMap<>();

    private final class Connection {
        final Kind kind;
        final SocketChannel channel;
        final StringBuilder answer = new StringBuilder();
        long connected;
        long nextByte;
        int sent;

        Connection(Kind kind, SocketChannel channel) {
            this.kind = kind;
            this.channel = channel;
        }
    }

    private Attacker(InetSocketAddress target, List<InetAddress> sources, int idle, int slow, long dribbleMillis)
            throws IOException {
        this.target = target;
        this.sources = List.copyOf(sources);
        this.dribbleNanos = dribbleMillis * 1_000_000L;
        this.selector = Selector.open();
        this.thread = new Thread(() -> loop(idle, slow), "test-attacker");
        thread.setDaemon(true);
    }

    /** Starts {@code idle} + {@code slow} connections to {@code target}, spread over {@code sources}. */
    static Attacker start(InetSocketAddress target, List<InetAddress> sources, int idle, int slow, long dribbleMillis)
            throws IOException {
        Attacker attacker = new Attacker(target, sources, idle, slow, dribbleMillis);
        attacker.thread.start();
        return attacker;
    }

    /** Connections that are connected and not yet closed by the other side. */
    int connected() {
        return connectedNow;
    }

    /** How long the oldest connection still open has been open (seconds). */
    double oldestOpenSeconds() {
        return oldestOpenNanos / 1e9;
    }

    /** Connections open now that have been open longer than {@code seconds}: their own addresses. */
    List<InetSocketAddress> openLongerThan(double seconds) {
        long now = System.nanoTime();
        return openNow.entrySet().stream().filter(open -> (now - open.getValue()) / 1e9 > seconds)
                .map(java.util.Map.Entry::getKey).toList();
    }

    List<Life> lives() {
        return List.copyOf(lives);
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    private void loop(int idle, int slow) {
        try {
            // Connections (the first ones and the replacements) go out at most one per 5 ms (200 a second):
            // faster, they overflow the other side's accept queue, and the kernel keeps them waiting there
            // (SYN-ACK sent again after 1, 3, 7 s) or forgets them (SYN cookies) before Pronto sees them.
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            List<Kind> first = new ArrayList<>();
            first.addAll(java.util.Collections.nCopies(idle, Kind.IDLE));
            first.addAll(java.util.Collections.nCopies(slow, Kind.SLOW));
            java.util.Collections.shuffle(first, new java.util.Random(16));
            toDial.addAll(first);
            while (running.get()) {
                long clock = System.nanoTime();
                nextDial = Math.max(nextDial, clock - 20_000_000L); // no saving up beyond 20 ms
                while (!toDial.isEmpty() && nextDial <= clock) {
                    dial(toDial.poll());
                    nextDial += 5_000_000L;
                }
                selector.select(20);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isConnectable()) {
                        finishConnect(key, connection, now);
                    } else if (key.isReadable()) {
                        read(key, connection, buffer, now);
                    }
                }
                selector.selectedKeys().clear();
                for (SelectionKey key : selector.keys()) {
                    Connection connection = (Connection) key.attachment();
                    if (key.isValid() && connection.kind == Kind.SLOW && connection.connected != 0
                            && now >= connection.nextByte && connection.sent < HEADER.length - 1) {
                        dribble(key, connection, now);
                    }
                }
                int connectedCount = 0;
                long oldest = 0;
                for (SelectionKey key : selector.keys()) {
                    Connection connection = (Connection) key.attachment();
                    if (key.isValid() && connection.connected != 0) {
                        connectedCount++;
                        oldest = Math.max(oldest, now - connection.connected);
                    }
                }
                connectedNow = connectedCount;
                oldestOpenNanos = oldest;
            }
        } catch (IOException | RuntimeException e) {
            failure("attacker stopped: " + e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // Closing anyway.
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }

    private final java.util.ArrayDeque<Kind> toDial = new java.util.ArrayDeque<>();
    private long nextDial;
    private final java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();

    /** Connections the other side has closed so far. */
    int closedCount() {
        return closed.get();
    }
    private void dial(Kind kind) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.bind(new InetSocketAddress(sources.get(nextSource++ % sources.size()), 0));
        Connection connection = new Connection(kind, channel);
        channel.register(selector, SelectionKey.OP_CONNECT, connection);
        if (channel.connect(target)) {
            connection.connected = System.nanoTime();
            channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
            openNow.put((InetSocketAddress) channel.getLocalAddress(), connection.connected);
        }
        open++;
    }

    private void finishConnect(SelectionKey key, Connection connection, long now) throws IOException {
        try {
            if (connection.channel.finishConnect()) {
                connection.connected = now;
                connection.nextByte = now;
                key.interestOps(SelectionKey.OP_READ);
                openNow.put((InetSocketAddress) connection.channel.getLocalAddress(), now);
            }
        } catch (IOException refused) {
            failure("connect failed: " + refused.getMessage());
            replace(key, connection);
        }
    }

    private void read(SelectionKey key, Connection connection, ByteBuffer buffer, long now) throws IOException {
        buffer.clear();
        int n;
        try {
            n = connection.channel.read(buffer);
        } catch (IOException reset) {
            n = -1;
        }
        if (n > 0) {
            connection.answer.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
            return;
        }
        if (n < 0) {
            lives.add(new Life(connection.kind, connection.connected, now, errorIn(connection.answer)));
            closed.incrementAndGet();
            replace(key, connection);
        }
    }

    private void dribble(SelectionKey key, Connection connection, long now) throws IOException {
        try {
            connection.channel.write(ByteBuffer.wrap(HEADER, connection.sent, 1));
            connection.sent++;
            connection.nextByte = now + dribbleNanos;
        } catch (IOException closed) {
            // The read side will see the close.
            connection.nextByte = Long.MAX_VALUE;
        }
    }

    private void replace(SelectionKey key, Connection connection) throws IOException {
        key.cancel();
        if (connection.channel.getLocalAddress() != null) {
            openNow.remove((InetSocketAddress) connection.channel.getLocalAddress());
        }
        connection.channel.close();
        open--;
        if (running.get()) {
            toDial.add(connection.kind);
        }
    }

    private void failure(String what) {
        synchronized (failures) {
            if (failures.size() < 20) {
                failures.add(what);
            }
        }
    }

    /** Stops and closes every connection it holds. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        selector.wakeup();
        thread.join(5000);
    }
}
