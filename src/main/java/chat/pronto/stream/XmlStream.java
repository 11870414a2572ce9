package chat.pronto.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StreamClose;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.security.PeerKeyChangedException;
import chat.pronto.security.PeerTls;

/**
 * One end-to-end XML stream with one peer (XEP-0246), in either role. A dedicated reader thread
 * negotiates (header, features, STARTTLS, SASL EXTERNAL), then delivers stanzas to the
 * {@link StreamListener} until the stream ends; {@link #send} writes from any thread.
 */
public final class XmlStream implements StanzaStream {
    private static final Logger LOG = LoggerFactory.getLogger(XmlStream.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final XmlEnvironment CLIENT = new XmlEnvironment(StreamHeader.CONTENT_NAMESPACE);
    /** After a stream error, how much of the peer's remaining input we read so that it gets our error. */
    private static final int DRAIN_BYTES = 64 * 1024;
    private static final int DRAIN_MILLIS = 500;
    /** However slowly the peer dribbles, draining after an error or a close never takes longer than this. */
    private static final long DRAIN_DEADLINE_MILLIS = 1_000;
    /**
     * Where TLS is optional, a peer that does not want it may stay quiet after our features until it
     * has a stanza to send; this many negotiation steps' time (60 s by default), and not for ever.
     */
    private static final int QUIET_STEPS = 6;
    /**
     * What may wait to be written to a peer before a send is refused as busy: some thousands of
     * ordinary messages (an outbox flushed after a reconnect), 16 of the largest.
     */
    static final long MAX_QUEUED_CHARS = 4L * 1024 * 1024;

    private enum State { NEGOTIATING, OPEN, CLOSING, ENDED }

    private final long id = IDS.incrementAndGet();
    private final Role role;
    private final StreamEngine engine;
    private final InetSocketAddress remoteAddress;
    private final String localName;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEGOTIATING);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CompletableFuture<StreamInfo> established = new CompletableFuture<>();
    private final TrafficTap.IncomingDecoder tapDecoder;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** One TLS record's worth: the most a peer must take to show it is still reading. */
    private static final int WRITE_SLICE = 16 * 1024;
    /** When the slice being written began (0: none); a slice the peer does not drain is a stalled peer. */
    private volatile long writeStarted;

    private volatile String peer;
    /** Only TLS will do: a peer reached by address, or one mDNS does not vouch for (its key is who it is). */
    private volatile boolean encryptionRequired;
    private volatile StreamInfo info;
    /**
     * The TCP connection itself. Ending a stream closes this, never the TLS socket over it: a TLS
     * close waits for the lock of a writer stuck on a peer that stopped reading, and it would hang
     * whoever called it (the shared timer thread, above all).
     */
    private final Socket tcp;
    private volatile Socket socket;
    private volatile boolean tlsHandshaking;
    private volatile ScheduledFuture<?> timer;
    private volatile long timerMillis;
    private volatile String awaiting = "the stream header";
    private volatile Thread reader;
    private final java.util.concurrent.CountDownLatch readerDone = new java.util.concurrent.CountDownLatch(1);

    // Replaced only by the reader thread; the watchdog reads it.
    private volatile XmlFramer framer;
    private ElementReader elements;
    private StreamHeader peerHeader;

    /** Writes stanzas once the stream is open (set before it is announced as open). */
    private volatile StreamWriter writer;

    // Guarded by writeLock.
    private OutputStream out;
    private boolean headerSent;

    XmlStream(StreamEngine engine, Socket socket, Role role, String peer) throws IOException {
        this.engine = engine;
        this.tcp = socket;
        this.socket = socket;
        this.role = role;
        this.peer = peer;
        this.encryptionRequired = peer == null && role == Role.INITIATOR;
        this.remoteAddress = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.localName = engine.localName();
        this.tapDecoder = engine.tap().new IncomingDecoder();
        socket.setTcpNoDelay(true);
        TcpKeepalive.apply(socket);
        this.out = socket.getOutputStream();
        this.framer = newFramer(socket.getInputStream());
    }

    void start() {
        engine.threads().start("pronto-stream-" + label(), () -> {
            reader = Thread.currentThread(); // failWith asks whether it runs on the reader
            try {
                run();
            } finally {
                reader = null; // the thread goes on to other work
                readerDone.countDown();
            }
        });
    }

    /** A number that tells this stream apart from others in logs and in the console. */
    @Override
    public long id() {
        return id;
    }

    @Override
    public Role role() {
        return role;
    }

    /** The peer's instance name: known from the start when we dialed, after its header when it dialed us. */
    @Override
    public Optional<String> peer() {
        return Optional.ofNullable(peer);
    }

    /** The name we go by on this stream (a rename applies to streams opened after it). */
    @Override
    public String localName() {
        return localName;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Present once negotiated. */
    @Override
    public Optional<StreamInfo> info() {
        return Optional.ofNullable(info);
    }

    /** Completes when negotiation succeeds; fails with {@link StreamEndedException} if the stream ends first. */
    public CompletableFuture<StreamInfo> established() {
        return established;
    }

    @Override
    public boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /**
     * Queues one stanza for the stream's writer thread and returns at once. Throws
     * {@link StreamEndedException} unless the stream is established and not closing, and
     * {@link StreamBusyException} while too much waits for a peer that is not reading.
     */
    @Override
    public void send(Stanza stanza) throws IOException {
        if (state.get() != State.OPEN) {
            throw new StreamEndedException(new StreamEnd.Aborted("the stream is not open"));
        }
        if (!writer.offer(stanza.toXML(CLIENT).toString())) {
            if (state.get() != State.OPEN) {
                throw new StreamEndedException(new StreamEnd.Aborted("the stream is not open"));
            }
            throw new StreamBusyException(label());
        }
    }

    /** Reader thread only (the framer is its own); see {@link StanzaStream#moreReceived}. */
    @Override
    public boolean moreReceived() {
        return framer.moreReceived();
    }

    /**
     * Ends the stream politely: sends {@code </stream:stream>}, keeps delivering what arrives until
     * the peer answers with its own (or the close timeout passes), then closes the connection.
     * Before the stream is established, the connection is simply dropped.
     */
    @Override
    public void close() {
        if (state.compareAndSet(State.OPEN, State.CLOSING)) {
            // After what is queued; a peer that does not read never gets it, and the timer ends it.
            writer.offerLast(StreamClose.INSTANCE.toXML(CLIENT).toString());
            timer = engine.timer().schedule(() -> end(new StreamEnd.CloseUnanswered()),
                    engine.config().closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else if (state.get() == State.NEGOTIATING) {
            end(new StreamEnd.Aborted("closed before the stream was established"));
        }
    }

    /**
     * Ends the stream with a stream error because of something the peer did that only a higher layer
     * can judge (a stanza claiming to be from someone else: {@code invalid-from}).
     */
    @Override
    public void fail(Condition condition, String text) {
        failWith(condition, text);
    }

    /** Refuses a connection before reading anything from it (too many streams). */
    void refuse(Condition condition, String text) {
        state.set(State.ENDED);
        writeErrorQuietly(condition, text);
        end(new StreamEnd.ErrorSent(condition.toString(), text));
    }

    /** Drops the connection at once, without the close handshake. */
    void abort(String reason) {
        end(new StreamEnd.Aborted(reason));
    }

    /**
     * Called by the engine's watchdog: a peer that takes longer than the stanza timeout to finish
     * the element it started is holding our memory and thread hostage (a slow sender).
     */
    void checkSlowSender(long now) {
        StreamLimits limits = engine.config().limits();
        XmlFramer current = framer;
        State phase = state.get();
        boolean reading = phase == State.OPEN || phase == State.NEGOTIATING && !tlsHandshaking;
        if (reading && current.unfinishedElementAge(now) > limits.stanzaTimeout().toNanos()) {
            failWith(Condition.policy_violation, "a stanza took longer than " + limits.stanzaTimeout().toMillis()
                    + " ms to arrive");
        }
        long writing = writeStarted;
        if (writing != 0 && now - writing > limits.stanzaTimeout().toNanos()) {
            // The peer has not read what we sent for that long: a writer is stuck. Closing the socket
            // frees it (the write fails) and everyone waiting behind it.
            end(new StreamEnd.ConnectionLost("the peer stopped reading for " + limits.stanzaTimeout().toSeconds()
                    + " s"));
        }
    }

    /** Waits until the reader has finished (for orderly shutdown). */
    void awaitReader(long millis) throws InterruptedException {
        if (Thread.currentThread() != reader) {
            readerDone.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    // ---- the reader thread ----------------------------------------------------------------------

    private void run() {
        try {
            armTimer();
            Negotiation.Result result = role == Role.INITIATOR
                    ? new Negotiation(this).initiate()
                    : new Negotiation(this).accept();
            cancelTimer();
            info = result.info();
            writer = new StreamWriter(this::writeBatch, MAX_QUEUED_CHARS,
                    broken -> end(new StreamEnd.ConnectionLost(String.valueOf(broken.getMessage()))));
            writer.start(engine.threads(), Thread.currentThread().getName() + "-out");
            if (!state.compareAndSet(State.NEGOTIATING, State.OPEN)) {
                return;
            }
            established.complete(info);
            engine.listener().onEstablished(this, info);
            StreamLimits limits = engine.config().limits();
            StanzaRate rate = new StanzaRate(limits.stanzasPerSecond(), limits.stanzaBurst(), System.nanoTime());
            if (result.pending() != null) {
                deliver(result.pending());
            }
            while (true) {
                Frame frame = framer.next();
                if (frame instanceof Frame.End) {
                    peerEnded();
                    return;
                }
                if (!rate.take(System.nanoTime())) {
                    throw new StreamErrorException(Condition.policy_violation, "more than "
                            + limits.stanzasPerSecond() + " stanzas a second (after a burst of "
                            + limits.stanzaBurst() + ")");
                }
                deliver(elements.element((Frame.Element) frame));
            }
        } catch (StreamErrorException e) {
            failWith(e.condition(), e.getMessage(), e.refusal());
        } catch (PeerEndedException e) {
            answerCloseQuietly();
            end(e.end());
        } catch (EOFException e) {
            end(new StreamEnd.ConnectionLost(e.getMessage()));
        } catch (SSLException e) {
            end(tlsEnd(e));
        } catch (IOException e) {
            end(new StreamEnd.ConnectionLost(String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.error("stream {} with {} broke", id, label(), e);
            failWith(Condition.internal_server_error, "internal error");
        }
    }

    private void deliver(ElementReader.Element element) throws StreamErrorException, PeerEndedException {
        if (isStanza(element)) {
            try {
                engine.listener().onStanza(this, ElementReader.stanza(element));
            } catch (UnreadableStanzaException e) {
                engine.listener().onStanzaDropped(this, e.getMessage());
                if (e.answer() != null) {
                    answerUnreadable(e.answer());
                }
            }
        } else if (element.is(StreamHeader.STREAM_NAMESPACE, "error")) {
            StreamError error = ElementReader.streamError(element);
            throw new PeerEndedException(new StreamEnd.ErrorReceived(
                    String.valueOf(error.getCondition()), error.getDescriptiveText()));
        } else {
            throw new StreamErrorException(Condition.unsupported_stanza_type,
                    "<" + element.name().getLocalPart() + " xmlns='" + element.name().getNamespaceURI()
                            + "'/> is no stanza");
        }
    }

    private void answerUnreadable(Stanza answer) {
        try {
            send(answer);
        } catch (IOException notSent) {
            LOG.debug("stream {}: the answer to an unreadable stanza was not sent: {}", id, notSent.getMessage());
        }
    }

    private static boolean isStanza(ElementReader.Element element) {
        String name = element.name().getLocalPart();
        return StreamHeader.CONTENT_NAMESPACE.equals(element.name().getNamespaceURI())
                && (name.equals("message") || name.equals("presence") || name.equals("iq"));
    }

    /** The peer sent {@code </stream:stream>}. */
    private void peerEnded() {
        if (state.compareAndSet(State.OPEN, State.ENDED)) {
            // The peer closed first: answer, then let it close the TCP connection (bounded wait).
            answerCloseQuietly();
            try {
                socket.setSoTimeout((int) engine.config().closeTimeout().toMillis());
                framer.discardUntilEof(DRAIN_BYTES, deadline(engine.config().closeTimeout().toMillis()));
            } catch (IOException timedOutOrReset) {
                // We close it ourselves below.
            }
            end(new StreamEnd.Closed(false));
        } else {
            // We closed first and this is the answer: we close the connection.
            end(new StreamEnd.Closed(true));
        }
    }

    /** Answers the peer's close with ours, after whatever is still queued for it (bounded wait). */
    private void answerCloseQuietly() {
        StreamWriter open = writer;
        if (open != null) {
            open.offerLast(StreamClose.INSTANCE.toXML(CLIENT).toString());
            try {
                open.awaitWritten(engine.config().closeTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            write(StreamClose.INSTANCE.toXML(CLIENT));
        } catch (IOException ignored) {
            // The peer is gone already; nothing to answer.
        }
    }

    private StreamEnd tlsEnd(SSLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PeerKeyChangedException changed) {
                return new StreamEnd.KeyChanged(changed.peer(), changed.pinned(), changed.presented());
            }
        }
        return new StreamEnd.TlsFailed(String.valueOf(e.getMessage()));
    }

    /** Ends the stream with a stream error (RFC 6120 §4.9.1): header if not yet sent, error, end tag, close. */
    private void failWith(Condition condition, String text) {
        failWith(condition, text, StreamEnd.Refusal.NONE);
    }

    private void failWith(Condition condition, String text, StreamEnd.Refusal refusal) {
        if (ended.get()) {
            return;
        }
        state.set(State.ENDED);
        stopWriter(); // the error goes next, not after the queued stanzas
        if (!tlsHandshaking) {
            writeErrorQuietly(condition, text);
            try {
                if (!(socket instanceof SSLSocket)) {
                    socket.shutdownOutput();
                }
                if (Thread.currentThread() == reader) {
                    // Read what the peer still sends, so that closing does not reset the connection
                    // and destroy our error before the peer has read it.
                    socket.setSoTimeout(DRAIN_MILLIS);
                    framer.discardUntilEof(DRAIN_BYTES, deadline(DRAIN_DEADLINE_MILLIS));
                }
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
        end(new StreamEnd.ErrorSent(condition.toString(), text, refusal));
    }

    private void writeErrorQuietly(Condition condition, String text) {
        // Never wait long for a writer stuck on a peer that does not read: the close says enough then.
        if (!tryLock(DRAIN_MILLIS)) {
            return;
        }
        try {
            if (!headerSent) {
                writeLocked(replyHeader(peerHeader != null && peerHeader.speaksVersion1()).toXML(CLIENT));
            }
            writeLocked(new StreamErrorElement(condition, text).toXML(CLIENT).toString()
                    + StreamClose.INSTANCE.toXML(CLIENT));
            if (socket instanceof SSLSocket) {
                // TLS's close_notify, then the TCP FIN: the peer sees the end at once, as in the clear,
                // while we read what it still sends (it used to wait for our drain, 500 ms and more).
                socket.shutdownOutput();
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // The peer will see the connection close instead.
        } finally {
            writeLock.unlock();
        }
    }

    private boolean tryLock(long millis) {
        try {
            return writeLock.tryLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void end(StreamEnd reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        state.set(State.ENDED);
        cancelTimer();
        stopWriter();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // Closed is closed.
        }
        established.completeExceptionally(new StreamEndedException(reason));
        engine.forget(this);
        LOG.debug("stream {} with {} ended: {}", id, label(), reason.describe());
        engine.listener().onEnded(this, reason);
    }

    // ---- used by Negotiation (reader thread) -----------------------------------------------------

    StreamEngine engine() {
        return engine;
    }

    /** True when this stream must be encrypted or end (see {@link #requireEncryption()}). */
    boolean encryptionRequired() {
        return encryptionRequired;
    }

    /** From now on this stream ends unless it encrypts. */
    void requireEncryption() {
        encryptionRequired = true;
    }

    void setPeer(String name) {
        peer = name;
        Thread.currentThread().setName("pronto-stream-" + name);
    }

    /** The header we send in answer to the peer's: it mirrors the peer's version (RFC 6120 §4.7.5). */
    StreamHeader replyHeader(boolean version1) {
        return new StreamHeader(localName, peer, Long.toHexString(engine.random().nextLong()),
                version1 ? StreamHeader.VERSION_1 : null);
    }

    void sendHeader(StreamHeader header) throws IOException {
        writeLock.lock();
        try {
            writeLocked(header.toXML(CLIENT));
            headerSent = true;
        } finally {
            writeLock.unlock();
        }
    }

    void sendNonza(Nonza nonza) throws IOException {
        write(nonza.toXML(CLIENT));
    }

    StreamHeader readHeader(String step) throws IOException, StreamErrorException, PeerEndedException {
        Frame frame = readFrame(step);
        if (!(frame instanceof Frame.Header header)) {
            throw new StreamErrorException(Condition.not_well_formed, "expected a stream header");
        }
        ElementReader.Opened opened = ElementReader.open(header);
        elements = opened.reader();
        peerHeader = opened.header();
        return peerHeader;
    }

    ElementReader.Element readElement(String step) throws IOException, StreamErrorException, PeerEndedException {
        Frame frame = readFrame(step);
        if (frame instanceof Frame.End) {
            throw new PeerEndedException(new StreamEnd.Closed(false));
        }
        ElementReader.Element element = elements.element((Frame.Element) frame);
        if (element.is(StreamHeader.STREAM_NAMESPACE, "error")) {
            StreamError error = ElementReader.streamError(element);
            throw new PeerEndedException(new StreamEnd.ErrorReceived(
                    String.valueOf(error.getCondition()), error.getDescriptiveText()));
        }
        return element;
    }

    private Frame readFrame(String step) throws IOException, StreamErrorException {
        awaiting = step;
        return framer.next();
    }

    /** Upgrades the connection to TLS right after {@code <proceed/>}. */
    void startTls(PeerTls tls) throws IOException, StreamErrorException {
        if (framer.hasUnconsumedInput()) {
            throw new StreamErrorException(Condition.policy_violation, "data sent before the TLS handshake");
        }
        tlsHandshaking = true;
        SSLSocket secured = role == Role.INITIATOR ? tls.upgradeAsInitiator(socket) : tls.upgradeAsRecipient(socket);
        tlsHandshaking = false;
        writeLock.lock();
        try {
            socket = secured;
            out = secured.getOutputStream();
            headerSent = false;
        } finally {
            writeLock.unlock();
        }
        framer = newFramer(secured.getInputStream());
        armTimer();
    }

    /** A fresh stream on the same connection after SASL success (RFC 6120 §6.4.6). */
    void restartStream() {
        writeLock.lock();
        try {
            headerSent = false;
        } finally {
            writeLock.unlock();
        }
        framer.restart();
    }

    Socket socket() {
        return socket;
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private XmlFramer newFramer(InputStream in) {
        boolean encrypted = in != null && socket instanceof SSLSocket;
        StreamLimits limits = engine.config().limits();
        return new XmlFramer(in, limits.maxElementBytes(), limits.maxDepth(),
                (buffer, offset, length) -> tapDecoder.chunk(id, label(), buffer, offset, length, encrypted));
    }

    private void write(CharSequence xml) throws IOException {
        writeLock.lock();
        try {
            writeLocked(xml);
        } finally {
            writeLock.unlock();
        }
    }

    private void stopWriter() {
        StreamWriter open = writer;
        if (open != null) {
            open.stop();
        }
    }

    /** One socket write for a batch of queued stanzas; the console still sees each stanza on its own. */
    private void writeBatch(List<String> batch) throws IOException {
        writeLock.lock();
        try {
            String text = batch.size() == 1 ? batch.get(0) : String.join("", batch);
            writeWatched(text.getBytes(StandardCharsets.UTF_8));
            boolean encrypted = socket instanceof SSLSocket;
            for (String chunk : batch) {
                engine.tap().outgoing(id, label(), chunk, encrypted);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void writeLocked(CharSequence xml) throws IOException {
        String text = xml.toString();
        writeWatched(text.getBytes(StandardCharsets.UTF_8));
        engine.tap().outgoing(id, label(), text, socket instanceof SSLSocket);
    }

    /**
     * Writes in slices of {@link #WRITE_SLICE} bytes and marks each one's start for the watchdog: a
     * peer that takes a big batch slowly but steadily is reading; only one that takes no slice at all
     * within the stanza timeout has stopped. (Timing the whole batch as one write ended healthy streams
     * whenever a backlog met a slow reader.)
     */
    private void writeWatched(byte[] bytes) throws IOException {
        try {
            for (int at = 0; at < bytes.length; at += WRITE_SLICE) {
                writeStarted = System.nanoTime();
                out.write(bytes, at, Math.min(WRITE_SLICE, bytes.length - at));
            }
            writeStarted = System.nanoTime();
            out.flush();
        } finally {
            writeStarted = 0;
        }
    }

    private String label() {
        String name = peer;
        return name != null ? name : remoteAddress.getAddress().getHostAddress() + ":" + remoteAddress.getPort();
    }

    /** Each negotiation step must finish within the negotiation timeout (connection-timeout otherwise). */
    private void armTimer() {
        armTimer(engine.config().negotiationTimeout().toMillis());
    }

    private void armTimer(long millis) {
        cancelTimer();
        timerMillis = millis;
        timer = engine.timer().schedule(this::negotiationTimedOut, millis, TimeUnit.MILLISECONDS);
    }

    /** The next step is the peer's to take when it has something to send: a longer wait, not an endless one. */
    void armQuietTimer() {
        armTimer(engine.config().negotiationTimeout().toMillis() * QUIET_STEPS);
    }

    private static long deadline(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void cancelTimer() {
        ScheduledFuture<?> pending = timer;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void negotiationTimedOut() {
        if (state.get() != State.NEGOTIATING) {
            return;
        }
        if (tlsHandshaking) {
            end(new StreamEnd.Aborted("the TLS handshake took longer than "
                    + engine.config().negotiationTimeout().toSeconds() + " s"));
        } else {
            failWith(Condition.connection_timeout, "no " + awaiting.replaceFirst("^the ", "") + " within "
                    + timerMillis + " ms");
        }
    }
}
