package chat.pronto.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StreamError.Condition;

import chat.pronto.stream.Role;
import chat.pronto.stream.StanzaStream;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamSecurity;

/** A stream without a socket: records what is sent; the test opens, breaks and closes it. */
public final class FakeStream implements StanzaStream {
    private static final AtomicLong IDS = new AtomicLong(1000);

    private final long id = IDS.incrementAndGet();
    private final Role role;
    private final String localName;
    private final String peer;
    private final StreamInfo info;
    private final List<Stanza> sent = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;
    private volatile int writesBeforeBreaking = Integer.MAX_VALUE;
    private volatile int writesBeforeBusy = Integer.MAX_VALUE;
    private volatile boolean closedByUs;
    private volatile Condition failedWith;
    private volatile java.util.function.Consumer<Stanza> beforeWrite = stanza -> { };

    private FakeStream(Role role, String localName, String peer, StreamSecurity security) {
        this.role = role;
        this.localName = localName;
        this.peer = peer;
        this.info = new StreamInfo(peer, role, security, Optional.empty(), Optional.empty(), Optional.empty(),
                "s" + id, new InetSocketAddress("127.0.0.1", 5298),
                new InetSocketAddress("127.0.0.1", 5299), false);
    }

    /** An encrypted stream between {@code localName} and {@code peer}, opened by {@code role}'s side. */
    public static FakeStream encrypted(Role role, String localName, String peer) {
        return new FakeStream(role, localName, peer, StreamSecurity.TLS_AUTHENTICATED);
    }

    /** A stream with a pre-1.0 peer such as Pidgin: no TLS, no receipts. */
    public static FakeStream legacy(Role role, String localName, String peer) {
        return new FakeStream(role, localName, peer, StreamSecurity.LEGACY_PLAINTEXT);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public Optional<String> peer() {
        return Optional.of(peer);
    }

    @Override
    public String localName() {
        return localName;
    }

    @Override
    public Optional<StreamInfo> info() {
        return Optional.of(info);
    }

    public StreamInfo streamInfo() {
        return info;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void send(Stanza stanza) throws IOException {
        if (!open) {
            throw new IOException("the stream is not open");
        }
        if (writesBeforeBusy <= 0) {
            throw new chat.pronto.stream.StreamBusyException(peer);
        }
        writesBeforeBusy--;
        if (writesBeforeBreaking-- <= 0) {
            open = false;
            throw new IOException("broken pipe");
        }
        beforeWrite.accept(stanza);
        sent.add(stanza);
    }

    /** Runs {@code check} as each stanza is written, to see what the sender had done by then. */
    public void beforeEachWrite(java.util.function.Consumer<Stanza> check) {
        beforeWrite = check;
    }

    @Override
    public void close() {
        open = false;
        closedByUs = true;
    }

    @Override
    public void fail(Condition condition, String text) {
        open = false;
        failedWith = condition;
    }

    /** After {@code writes} more writes the peer is slow: the stream refuses more as busy until {@link #drained}. */
    public void busyAfter(int writes) {
        writesBeforeBusy = writes;
    }

    /** The peer read what waited: the stream takes stanzas again. */
    public void drained() {
        writesBeforeBusy = Integer.MAX_VALUE;
    }

    /** After {@code writes} more writes, the connection dies: the next write fails and the stream is closed. */
    public void breakAfter(int writes) {
        writesBeforeBreaking = writes;
    }

    /** The peer's side went away (the session hears of it through onEnded). */
    public void drop() {
        open = false;
    }

    public boolean closedByUs() {
        return closedByUs;
    }

    public Condition failedWith() {
        return failedWith;
    }

    public List<Stanza> sent() {
        return List.copyOf(sent);
    }

    /** Chat messages with a body, in the order they were written. */
    public List<Message> chatMessages() {
        return sent.stream().filter(Message.class::isInstance).map(Message.class::cast)
                .filter(message -> message.getBody() != null).toList();
    }

    public List<IQ> iqs() {
        return sent.stream().filter(IQ.class::isInstance).map(IQ.class::cast).toList();
    }

    @Override
    public String toString() {
        return "FakeStream " + id + " (" + role + ", " + localName + " ↔ " + peer + ")";
    }
}
