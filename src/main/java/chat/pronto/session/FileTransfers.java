package chat.pronto.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.bytestreams.socks5.packet.Bytestream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.files.DownloadFolder;
import chat.pronto.files.ReceivedNames;
import chat.pronto.history.History;
import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.security.TlsContexts;
import chat.pronto.stream.StanzaStream;
import chat.pronto.stream.StreamInfo;
import chat.pronto.threads.Threads;
import chat.pronto.transfer.FileData;

/**
 * Files sent and received: the transfers, their states (kept in the history, so an interrupted one
 * resumes after a restart), the routing of the peers' file IQs, and the parts that do the rest —
 * {@link OutgoingOffers} and {@link IncomingOffers} (XEP-0096), {@link DirectBytestreams} (XEP-0065, TLS
 * with the pinned keys between Pronto peers), {@link InBandFiles} (XEP-0047) and {@link OutOfBandFiles}
 * (XEP-0066). One lock (this object) guards every {@link TransferJob}; byte work runs on the transfers'
 * own bounded pool, never on a stream's reader.
 */
final class FileTransfers implements FileRequests, StreamRouter.Watcher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileTransfers.class);

    /** Larger offers are refused (a hostile size); 1 TiB is more than any LAN transfer people make. */
    static final long MAX_SIZE = 1L << 40;
    /** Offers waiting for an answer, per peer and in all: a flood of offers is refused past these. */
    static final int MAX_WAITING_PER_PEER = 50;
    static final int MAX_WAITING = 200;
    static final int THREADS = 8;
    /** No byte either way for this long ends an attempt (it resumes). */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    /** {@link #STALL_TIMEOUT}, shorter in tests that stall on purpose (read at the start of each attempt). */
    private static volatile Duration stallTimeout = STALL_TIMEOUT;
    /** Between two progress events of one transfer. */
    static final long PROGRESS_EVERY_NANOS = 200_000_000L;
    static final Duration RETRY_FIRST = Duration.ofSeconds(2);
    static final Duration RETRY_MAX = Duration.ofMinutes(2);

    private final History history;
    private final SessionEvents events;
    private final TlsContexts tls;
    private final Scheduler scheduler;
    private final Supplier<PeerId> self;
    private final java.util.function.BiFunction<PeerId, Stanza, CompletableFuture<?>> send;
    private volatile DownloadFolder downloads;
    private volatile long bytesPerSecond;
    private final ExecutorService pool = Threads.pool("pronto-transfer", THREADS);
    private final Map<String, TransferJob> jobs = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;
    private final DirectBytestreams direct = new DirectBytestreams(this);
    private final InBandFiles inBand = new InBandFiles(this);
    private final OutOfBandFiles outOfBand = new OutOfBandFiles(this);
    private final OutgoingOffers outgoingOffers = new OutgoingOffers(this);
    private final IncomingOffers incomingOffers = new IncomingOffers(this);

    /** @param send hands a stanza to the peer's session (over its stream, or one it opens) */
    FileTransfers(History history, SessionEvents events, TlsContexts tls, Scheduler scheduler, Supplier<PeerId> self,
                  java.util.function.BiFunction<PeerId, Stanza, CompletableFuture<?>> send, DownloadFolder downloads) {
        this.history = history;
        this.events = events;
        this.tls = tls;
        this.scheduler = scheduler;
        this.self = self;
        this.send = send;
        this.downloads = downloads;
    }

    /**
     * Takes up what the history holds: what was moving when Pronto stopped is interrupted (and resumes).
     * Also registers our IQ providers: the first use of Smack, whose set-up loads ~500 classes (about
     * 0.25 s at a start), so it happens as streams become possible and not while the window is built.
     */
    synchronized void load() throws IOException {
        FileOffer.register();
        TransferCancel.register();
        OobOffer.register();
        for (Transfer kept : history.transfers()) {
            Transfer now = kept;
            if (!kept.state().isFinal() && kept.state() != TransferState.INTERRUPTED
                    && !(kept.state() == TransferState.OFFERED && kept.direction() == Direction.INCOMING)) {
                now = kept.withState(TransferState.INTERRUPTED, "Pronto stopped during the transfer");
                history.saveTransfer(now);
            }
            jobs.put(now.id(), new TransferJob(now));
        }
    }

    /** Tests: the streamhost we name instead of our listener (one nobody can reach: the in-band fallback). */
    static void streamhostForTests(InetSocketAddress address) {
        DirectBytestreams.streamhostForTests(address);
    }

    /** Tests that stall on purpose wait this long instead of {@link #STALL_TIMEOUT}. */
    static void stallAfter(Duration timeout) {
        stallTimeout = timeout;
    }

    // ---- what the parts (direct, in band, out of band) use --------------------------------------------

    DirectBytestreams direct() {
        return direct;
    }

    OutOfBandFiles outOfBand() {
        return outOfBand;
    }

    InBandFiles inBand() {
        return inBand;
    }

    DownloadFolder downloads() {
        return downloads;
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs byte work on the transfers' own bounded pool (throws while closing). */
    void execute(Runnable work) {
        pool.execute(work);
    }

    TlsContexts tls() {
        return tls;
    }

    String self() {
        return self.get().name();
    }

    CompletableFuture<?> send(PeerId peer, Stanza stanza) {
        return send.apply(peer, stanza);
    }

    /** The transfers by id; guarded by this object's lock. */
    Map<String, TransferJob> jobs() {
        return jobs;
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    static Duration stallTimeout() {
        return stallTimeout;
    }

    /** Where accepted files go unless the user picks a folder. */
    void downloadTo(DownloadFolder folder) {
        downloads = folder;
    }

    /** At most this many bytes a second per file we send (0: as fast as the link goes). */
    void limitSending(long rate) {
        bytesPerSecond = Math.max(0, rate);
    }

    // ---- what the user does ---------------------------------------------------------------------------

    /** Offers {@code file} to {@code peer}: it is hashed first (PREPARING), then offered. */
    CompletableFuture<Transfer> send(PeerId peer, Path file) {
        return outgoingOffers.send(peer, file, "");
    }

    /** Offers {@code file}, at its place {@code inFolder} in a folder being sent (empty for a lone file). */
    CompletableFuture<Transfer> send(PeerId peer, Path file, String inFolder) {
        return outgoingOffers.send(peer, file, inFolder);
    }

    /** The user takes an offered file, into {@code folder} (the download folder when empty). */
    CompletableFuture<Transfer> accept(String id, Optional<Path> folder) {
        return incomingOffers.accept(id, folder);
    }

    CompletableFuture<Transfer> decline(String id) {
        return incomingOffers.decline(id);
    }

    /** Says yes to the offer in hand (also one out of band), asking for what the partial file lacks. */
    void acceptNow(TransferJob job) {
        incomingOffers.acceptNow(job);
    }

    /**
     * Under this object's lock: the transfer an offer from {@code peer} goes to — {@code earlier} taken up
     * again (its attempt stopped), or a new one made by {@code fresh}; null when too many offers wait
     * already (the offer is answered with resource-constraint).
     */
    TransferJob jobForOffer(PeerId peer, IQ offer, TransferJob earlier, java.util.function.Supplier<Transfer> fresh) {
        if (earlier != null) {
            closeConnection(earlier);
            return earlier;
        }
        if (waiting(peer) >= MAX_WAITING_PER_PEER || waiting(null) >= MAX_WAITING) {
            reply(peer, error(offer, StanzaError.Condition.resource_constraint, "too many offers are waiting"));
            return null;
        }
        TransferJob job = new TransferJob(fresh.get());
        jobs.put(job.transfer.id(), job);
        return job;
    }

    /** Offers from {@code peer} (all peers: null) waiting for the user; under this object's lock. */
    int waiting(PeerId peer) {
        return incomingOffers.waiting(peer);
    }

    synchronized List<Transfer> all() {
        return jobs.values().stream().map(job -> job.transfer).toList();
    }

    synchronized Optional<Transfer> find(String id) {
        return Optional.ofNullable(jobs.get(id)).map(job -> job.transfer);
    }

    // ---- receiving ------------------------------------------------------------------------------------

    @Override
    public boolean onRequest(StanzaStream stream, PeerId peer, IQ request) {
        if (request instanceof FileOffer offer && request.getType() == IQ.Type.set) {
            incomingOffers.offered(stream, peer, offer);
            return true;
        }
        if (request instanceof Bytestream hosts && request.getType() == IQ.Type.set) {
            direct.streamhosts(peer, hosts, stream.info().map(StreamInfo::localAddress).map(InetSocketAddress::getAddress)
                    .orElse(null));
            return true;
        }
        if (request instanceof org.jivesoftware.smackx.bytestreams.ibb.packet.Open open && request.getType() == IQ.Type.set) {
            inBand.inBandOpened(peer, open);
            return true;
        }
        if (request instanceof org.jivesoftware.smackx.bytestreams.ibb.packet.Data data && request.getType() == IQ.Type.set) {
            inBand.inBandData(peer, data);
            return true;
        }
        if (request instanceof org.jivesoftware.smackx.bytestreams.ibb.packet.Close close
                && request.getType() == IQ.Type.set) {
            inBand.inBandClosed(peer, close);
            return true;
        }
        if (request instanceof OobOffer oob && request.getType() == IQ.Type.set) {
            outOfBand.offeredByUrl(stream, peer, oob);
            return true;
        }
        if (request instanceof TransferCancel cancel && request.getType() == IQ.Type.set) {
            cancelledByPeer(peer, cancel.sid);
            reply(peer, IQ.createResultIQ(request));
            return true;
        }
        return false;
    }

    @Override
    public void onAnswer(StanzaStream stream, PeerId peer, IQ answer) {
        String id = answer.getStanzaId();
        if (inBand.answered(peer, answer)) {
            return;
        }
        TransferJob job;
        synchronized (this) {
            job = outgoing(peer, id);
        }
        if (job == null) {
            return; // an answer to a bytestreams set, a cancel, or something long gone
        }
        boolean toOffer;
        synchronized (this) {
            toOffer = job.transfer.state() == TransferState.OFFERED;
        }
        if (toOffer) {
            outgoingOffers.answered(stream, job, answer);
        } else if (answer instanceof ErrorIQ) {
            synchronized (this) {
                job.directFailed = true; // the next offer goes in band
            }
            stopped(job, new IOException("they could not connect to us; trying over the chat connection"));
        }
    }

    TransferJob outgoing(PeerId peer, String sid) {
        for (TransferJob job : jobs.values()) {
            if (sid != null && sid.equals(job.sid) && job.transfer.peer().equals(peer)
                    && job.transfer.direction() == Direction.OUTGOING) {
                return job;
            }
        }
        return null;
    }

    TransferJob incoming(PeerId peer, String sid) {
        for (TransferJob job : jobs.values()) {
            if (sid != null && sid.equals(job.sid) && job.transfer.peer().equals(peer)
                    && job.transfer.direction() == Direction.INCOMING) {
                return job;
            }
        }
        return null;
    }

    /** The file name at the end of a transfer's name (which may be a path in a folder that was sent). */
    static String leaf(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // reported by the caller either way
        }
    }

    /**
     * Moves a complete part file to its name (a path for a file from a folder: its folders are made
     * under the part's folder), never over another file.
     */
    static Path place(Path part, String name) throws IOException {
        Path folder = part.getParent();
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            for (String sub : name.substring(0, slash).split("/")) {
                folder = folder.resolve(ReceivedNames.clean(sub)); // cleaned already; once more costs nothing
            }
            if (!folder.normalize().startsWith(part.getParent())) {
                throw new IOException("refusing a folder outside the download folder: " + name);
            }
            Files.createDirectories(folder);
        }
        Path target = new DownloadFolder(folder).claim(name.substring(slash + 1));
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    // ---- cancelling -----------------------------------------------------------------------------------

    CompletableFuture<Transfer> cancel(String id) {
        TransferJob job;
        String sid;
        synchronized (this) {
            job = jobs.get(id);
            if (job == null || job.transfer.state().isFinal()) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("no transfer in progress with id " + id));
            }
            sid = job.sid;
        }
        if (sid != null) {
            // Said before the connection closes: the other side then drops it rather than resume it.
            send.apply(job.transfer.peer(), new TransferCancel(sid));
        }
        finish(job, TransferState.CANCELLED, "cancelled");
        return CompletableFuture.completedFuture(job.transfer);
    }

    private void cancelledByPeer(PeerId peer, String sid) {
        TransferJob job;
        synchronized (this) {
            job = incoming(peer, sid);
            if (job == null) {
                job = outgoing(peer, sid);
            }
        }
        if (job != null && !job.transfer.state().isFinal()) {
            finish(job, TransferState.CANCELLED, "cancelled by " + peer.name());
        }
    }

    // ---- streams coming and going ---------------------------------------------------------------------

    /** A stream with {@code peer} ended: our unanswered offers may have gone with it. */
    @Override
    public synchronized void ended(PeerId peer) {
        for (TransferJob job : jobs.values()) {
            if (job.transfer.peer().equals(peer) && job.transfer.direction() == Direction.OUTGOING
                    && job.transfer.state() == TransferState.OFFERED) {
                job.offerMayBeLost = true;
            }
        }
    }

    /**
     * A stream with {@code peer} opened: interrupted transfers, and offers that may have been lost
     * with an earlier stream (or that Pronto made before it restarted), go again. The receiver knows a
     * file offered again and does not ask its user twice.
     */
    @Override
    public void established(PeerId peer) {
        outgoingOffers.offerAgain(peer);
    }

    /**
     * {@code peer} is seen on the network (again: it restarted, or we did): interrupted files and
     * offers that never reached it go again, which opens a stream to it. Nothing else would: after a
     * restart no stream opens by itself unless messages wait.
     */
    void peerSeen(PeerId peer) {
        outgoingOffers.offerAgain(peer);
    }

    // ---- state changes --------------------------------------------------------------------------------

    void active(TransferJob job) {
        synchronized (this) {
            job.transfer = job.transfer.withState(TransferState.ACTIVE, "");
            job.retries = 0;
            job.stalled = false;
        }
        changed(job, job.transfer);
    }

    void progress(TransferJob job, long done) {
        long now = System.nanoTime();
        Transfer shown;
        synchronized (this) {
            job.transfer = job.transfer.withDone(done);
            if (now - job.lastEvent < PROGRESS_EVERY_NANOS) {
                return;
            }
            job.lastEvent = now;
            shown = job.transfer;
        }
        events.emit(new ChatEvent.TransferUpdated(shown));
    }

    /**
     * Ends the attempt on {@code connection} once its bytes stop moving for {@code stall}: a read
     * times out by itself, but a write to a receiver that stopped reading would block for ever (and
     * hold one of the pool's threads). Checks a few times per stall period.
     */
    void watch(TransferJob job, AutoCloseable connection, Duration stall, long lastDone, long since) {
        scheduler.schedule(stall.dividedBy(4), () -> {
            long done;
            long movedAt;
            synchronized (this) {
                if (job.connection != connection || job.transfer.state() != TransferState.ACTIVE) {
                    return; // that attempt is over
                }
                done = job.transfer.done();
                movedAt = done != lastDone ? System.nanoTime() : since;
                if (System.nanoTime() - movedAt >= stall.toNanos()) {
                    job.stalled = true;
                    closeConnection(job); // the blocked write ends with an exception
                    return;
                }
            }
            watch(job, connection, stall, done, movedAt);
        });
    }

    /** An attempt ended without the file: cancelled, or interrupted (it resumes), as the state says. */
    void stopped(TransferJob job, Exception why) {
        synchronized (this) {
            if (job.transfer.state().isFinal() || job.transfer.state() == TransferState.INTERRUPTED) {
                return; // cancelled, declined or already interrupted: closing the connection is what stopped it
            }
        }
        LOG.info("transfer of {} with {} stopped: {}", job.transfer.name(), job.transfer.peer(), why.toString());
        boolean stalled;
        synchronized (this) {
            stalled = job.stalled || why instanceof java.net.SocketTimeoutException;
        }
        String reason = stalled ? "stalled: no data moved for " + stallTimeout.toMillis() / 1000.0 + " s"
                : why instanceof IOException io ? FileData.explain(io) : String.valueOf(why.getMessage());
        interrupt(job, reason);
    }

    void interrupt(TransferJob job, String reason) {
        Transfer now;
        synchronized (this) {
            if (job.transfer.state().isFinal() || job.transfer.state() == TransferState.INTERRUPTED) {
                return; // (one reason per interruption, and one retry waiting)
            }
            closeConnection(job);
            job.transfer = job.transfer.withState(TransferState.INTERRUPTED, reason);
            if (job.transfer.direction() == Direction.OUTGOING && !closed) {
                // Again after a pause (a cancel from the other side arrives first), longer each time.
                long delay = Math.min(RETRY_MAX.toMillis(), RETRY_FIRST.toMillis() << Math.min(job.retries, 10));
                job.retries++;
                job.retry = scheduler.schedule(Duration.ofMillis(delay), () -> submit(job, () -> {
                    synchronized (this) {
                        if (job.transfer.state() != TransferState.INTERRUPTED || job.connection != null) {
                            return;
                        }
                    }
                    outgoingOffers.reoffer(job);
                }));
            }
            now = job.transfer;
        }
        changed(job, now); // as it was set here: another thread may change it meanwhile
    }

    void fail(TransferJob job, String reason) {
        finish(job, TransferState.FAILED, reason);
    }

    void finish(TransferJob job, TransferState state, String reason) {
        Path partToDrop = null;
        Transfer finished;
        synchronized (this) {
            if (job.transfer.state().isFinal()) {
                return;
            }
            closeConnection(job);
            if (job.retry != null) {
                job.retry.cancel();
            }
            job.transfer = job.transfer.withState(state, reason);
            if (state != TransferState.DONE && job.transfer.direction() == Direction.INCOMING && !job.transfer.file().isEmpty()) {
                partToDrop = Path.of(job.transfer.file());
            }
            job.sid = state == TransferState.DONE ? job.sid : null;
            finished = job.transfer;
        }
        if (partToDrop != null && partToDrop.getFileName().toString().endsWith(".part")) {
            try {
                Files.deleteIfExists(partToDrop);
            } catch (IOException e) {
                LOG.warn("could not remove the partial file {}: {}", partToDrop, e.getMessage());
            }
        }
        changed(job, finished);
    }

    synchronized void attach(TransferJob job, AutoCloseable connection) throws IOException {
        if (job.transfer.state().isFinal() || closed) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // closing what nobody needs
            }
            throw new IOException("the transfer was stopped");
        }
        job.connection = connection;
    }

    void closeConnection(TransferJob job) {
        AutoCloseable connection = job.connection;
        job.connection = null;
        if (connection != null) {
            try {
                connection.close(); // a blocked read or write on it ends with an exception
            } catch (Exception e) {
                LOG.debug("closing a data connection: {}", e.getMessage());
            }
        }
    }

    /** Keeps the state and tells the front ends. */
    void changed(TransferJob job, Transfer transfer) {
        try {
            history.saveTransfer(transfer);
        } catch (IOException e) {
            LOG.warn("could not keep the state of {}: {}", transfer.name(), e.getMessage());
        }
        synchronized (this) {
            job.lastEvent = System.nanoTime();
        }
        events.emit(new ChatEvent.TransferUpdated(transfer));
    }

    /** Runs {@code work} on the pool; while closing, {@code result} fails instead (nobody waits for ever). */
    void submitOr(CompletableFuture<?> result, Runnable work) {
        try {
            pool.execute(work);
        } catch (RejectedExecutionException closing) {
            result.completeExceptionally(closing);
        }
    }

    void submit(TransferJob job, Runnable work) {
        try {
            pool.execute(work);
        } catch (RejectedExecutionException closing) {
            if (job != null) {
                LOG.debug("not started while closing: {}", job.transfer.name());
            }
        }
    }

    void reply(PeerId peer, Stanza answer) {
        send.apply(peer, answer);
    }

    static IQ error(IQ request, StanzaError.Condition condition, String text) {
        IQ answer = ErrorIQ.builder(StanzaError.getBuilder(condition).setDescriptiveEnText(text).build(),
                org.jivesoftware.smack.packet.IqData.createErrorResponse(request)).build();
        answer.setTo(request.getFrom());
        answer.setFrom(request.getTo());
        return answer;
    }

    String newId() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    String newSid() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "pronto-" + HexFormat.of().formatHex(bytes);
    }

    static String mimeType(Path file) {
        try {
            String type = Files.probeContentType(file);
            return type == null ? "" : type;
        } catch (IOException e) {
            return "";
        }
    }

    static String words(TransferState state) {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (TransferJob job : jobs.values()) {
                if (job.retry != null) {
                    job.retry.cancel();
                }
                closeConnection(job);
            }
        }
        Threads.shutdown(pool, Duration.ofSeconds(2));
    }
}
