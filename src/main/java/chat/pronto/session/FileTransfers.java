package chat.pronto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import chat.pronto.stream.StreamSecurity;
import chat.pronto.threads.Threads;
import chat.pronto.transfer.FileData;

/**
 * Files sent and received (XEP-0096 offers, XEP-0065 direct bytestreams; between two Pronto peers TLS
 * with the pinned keys over the bytestream). The sender listens and the receiver connects, as libpurple
 * does. Every state change is kept in the history, so an interrupted transfer resumes after a restart:
 * the sender offers it again and the receiver, which has the start of it, asks for the rest with
 * {@code <range offset/>}. Byte work runs on its own bounded pool, never on a stream's reader.
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
        FileOffer.register();
        TransferCancel.register();
        OobOffer.register();
    }

    /** Takes up what the history holds: what was moving when Pronto stopped is interrupted (and resumes). */
    synchronized void load() throws IOException {
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

    synchronized List<Transfer> all() {
        return jobs.values().stream().map(job -> job.transfer).toList();
    }

    synchronized Optional<Transfer> find(String id) {
        return Optional.ofNullable(jobs.get(id)).map(job -> job.transfer);
    }

    // ---- sending --------------------------------------------------------------------------------------

    /** Offers {@code file} to {@code peer}: it is hashed first (PREPARING), then offered. */
    CompletableFuture<Transfer> send(PeerId peer, Path file) {
        return send(peer, file, "");
    }

    /**
     * Offers {@code file}; {@code inFolder} is its place in a folder being sent ({@code holiday/day 1/beach.jpg},
     * the folder's own name first), or empty for a lone file.
     */
    CompletableFuture<Transfer> send(PeerId peer, Path file, String inFolder) {
        Path path = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            return CompletableFuture.failedFuture(new IOException(path + " is not a file"));
        }
        if (!Files.isReadable(path)) {
            return CompletableFuture.failedFuture(new IOException(path + " cannot be read"));
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        Transfer transfer = new Transfer(newId(), peer, Direction.OUTGOING,
                inFolder.isEmpty() ? path.getFileName().toString() : inFolder, size, "",
                mimeType(path), TransferState.PREPARING, 0, path.toString(), false, "", Instant.now());
        TransferJob job;
        synchronized (this) {
            job = new TransferJob(transfer);
            jobs.put(transfer.id(), job);
        }
        CompletableFuture<Transfer> offered = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    changed(job, transfer);
                    String hash = hashOf(path);
                    Transfer ready;
                    synchronized (this) {
                        if (job.transfer.state() != TransferState.PREPARING) {
                            offered.complete(job.transfer);
                            return; // cancelled meanwhile
                        }
                        ready = job.transfer.withSha256(hash).withState(TransferState.OFFERED, "");
                        job.transfer = ready;
                    }
                    changed(job, ready);
                    offered.complete(ready);
                    offer(job);
                } catch (IOException e) {
                    fail(job, "could not read the file: " + e.getMessage());
                    offered.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException closing) {
            offered.completeExceptionally(closing);
        }
        return offered;
    }

    /** A file's hash as last read, by path, size and time of change: sending it again does not read it again. */
    private record Known(long size, java.nio.file.attribute.FileTime modified, String sha256) {
    }

    private final Map<Path, Known> hashes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Known> eldest) {
            return size() > 1024;
        }
    };

    private String hashOf(Path path) throws IOException {
        long size = Files.size(path);
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(path);
        synchronized (hashes) {
            Known known = hashes.get(path);
            if (known != null && known.size() == size && known.modified().equals(modified)) {
                return known.sha256();
            }
        }
        String sha256 = FileData.sha256(path, done -> { });
        synchronized (hashes) {
            hashes.put(path, new Known(size, modified, sha256));
        }
        return sha256;
    }

    /** Sends the (new) offer of an outgoing transfer, with a fresh stream id. */
    private void offer(TransferJob job) {
        FileOffer offer;
        synchronized (this) {
            Transfer transfer = job.transfer;
            if (transfer.state().isFinal() || closed) {
                return;
            }
            job.sid = newSid();
            job.retry = null;
            job.offerMayBeLost = false;
            offer = FileOffer.offer(job.sid, leaf(transfer.name()), transfer.size(), transfer.mimeType(),
                    transfer.sha256(),
                    job.directFailed ? List.of(FileOffer.IBB) : List.of(FileOffer.TLS_BYTESTREAMS, FileOffer.BYTESTREAMS),
                    transfer.name().contains("/") ? transfer.name() : "");
            if (transfer.state() != TransferState.OFFERED) {
                job.transfer = transfer.withState(TransferState.OFFERED, transfer.reason());
            }
        }
        changed(job, job.transfer);
        String sid = offer.sid;
        send.apply(job.transfer.peer(), offer).whenComplete((sent, failure) -> {
            if (failure == null) {
                return;
            }
            boolean lost;
            synchronized (this) {
                lost = sid.equals(job.sid) && job.transfer.state() == TransferState.OFFERED;
                job.offerMayBeLost |= lost;
            }
            if (lost) {
                // Not on the network, or its stream refused (it may not see us yet after our restart):
                // tried again later, and at once when it shows up or a stream opens.
                Throwable why = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                interrupt(job, "could not reach " + job.transfer.peer().name() + " to offer it"
                        + (why instanceof NotSentException ? "" : " (" + why.getMessage() + ")")
                        + "; it goes again when they are back");
            }
        });
    }

    /** The peer answered our offer: yes (with a method and maybe where to start), or no. */
    private void answered(StanzaStream stream, TransferJob job, IQ answer) {
        if (answer instanceof ErrorIQ error) {
            StanzaError why = error.getError();
            StanzaError.Condition condition = why == null ? StanzaError.Condition.undefined_condition : why.getCondition();
            String text = why == null || why.getDescriptiveText() == null ? "" : why.getDescriptiveText();
            if (condition == StanzaError.Condition.forbidden || condition == StanzaError.Condition.not_acceptable) {
                finish(job, TransferState.DECLINED, "declined by " + job.transfer.peer().name());
            } else if (condition == StanzaError.Condition.resource_constraint) {
                interrupt(job, "they have too many offers waiting; it is offered again later");
            } else {
                fail(job, "they refused it (" + condition + (text.isEmpty() ? "" : ": " + text) + ")");
            }
            return;
        }
        if (!(answer instanceof FileOffer accepted) || accepted.method().isEmpty()) {
            fail(job, "their answer chose no way to send the file");
            return;
        }
        String method = accepted.method().get();
        long from = accepted.range.orElse(0);
        boolean encrypted = FileOffer.TLS_BYTESTREAMS.equals(method);
        boolean streamEncrypted = stream.info().map(info -> info.security() == StreamSecurity.TLS).orElse(false);
        if (FileOffer.IBB.equals(method) && job.directFailed) {
            long start = from;
            if (start < 0 || start > job.transfer.size()) {
                fail(job, "they asked to start at byte " + start + " of " + job.transfer.size());
                return;
            }
            synchronized (this) {
                job.method = method;
                job.transfer = job.transfer.withState(TransferState.CONNECTING, "").withEncrypted(streamEncrypted)
                        .withDone(start);
            }
            changed(job, job.transfer);
            submit(job, () -> inBand.sendInBand(job, start));
            return;
        }
        if (!encrypted && !FileOffer.BYTESTREAMS.equals(method)) {
            fail(job, "they chose a way to send the file that was not offered (" + method + ")");
            return;
        }
        if (!encrypted && streamEncrypted) {
            fail(job, "they asked for an unencrypted transfer over an encrypted chat: refused");
            return;
        }
        if (from < 0 || from > job.transfer.size()) {
            fail(job, "they asked to start at byte " + from + " of " + job.transfer.size());
            return;
        }
        Optional<InetAddress> local = stream.info().map(StreamInfo::localAddress).map(InetSocketAddress::getAddress);
        synchronized (this) {
            job.method = method;
            job.transfer = job.transfer.withState(TransferState.CONNECTING, "").withEncrypted(encrypted).withDone(from);
        }
        changed(job, job.transfer);
        submit(job, () -> direct.serve(job, local.orElse(null), from, encrypted));
    }

    // ---- receiving ------------------------------------------------------------------------------------

    @Override
    public boolean onRequest(StanzaStream stream, PeerId peer, IQ request) {
        if (request instanceof FileOffer offer && request.getType() == IQ.Type.set) {
            offered(stream, peer, offer);
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
            answered(stream, job, answer);
        } else if (answer instanceof ErrorIQ) {
            synchronized (this) {
                job.directFailed = true; // the next offer goes in band
            }
            stopped(job, new IOException("they could not connect to us; trying over the chat connection"));
        }
    }

    private TransferJob outgoing(PeerId peer, String sid) {
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

    /** A peer offers a file: checked, bounded, matched with one we have the start of, then shown. */
    private void offered(StanzaStream stream, PeerId peer, FileOffer offer) {
        if (offer.sid.isEmpty() || offer.name.isBlank() || offer.size < 0) {
            reply(peer, error(offer, StanzaError.Condition.bad_request, "an offer needs a stream id, a name and a size"));
            return;
        }
        if (offer.size > MAX_SIZE) {
            reply(peer, error(offer, StanzaError.Condition.not_acceptable, "files over 1 TiB are not taken"));
            return;
        }
        boolean streamEncrypted = stream.info().map(info -> info.security() == StreamSecurity.TLS).orElse(false);
        String method = offer.methods.contains(FileOffer.TLS_BYTESTREAMS) ? FileOffer.TLS_BYTESTREAMS
                : !streamEncrypted && offer.methods.contains(FileOffer.BYTESTREAMS) ? FileOffer.BYTESTREAMS
                : offer.methods.contains(FileOffer.IBB) ? FileOffer.IBB : null;
        if (method == null) {
            reply(peer, error(offer, StanzaError.Condition.bad_request, "no stream method we can use (no-valid-streams)"));
            return;
        }
        TransferJob job;
        boolean resume;
        boolean repeated;
        synchronized (this) {
            TransferJob earlier = sameFile(peer, offer);
            repeated = earlier != null;
            if (earlier == null && waiting(peer) >= MAX_WAITING_PER_PEER || waiting(null) >= MAX_WAITING) {
                reply(peer, error(offer, StanzaError.Condition.resource_constraint, "too many offers are waiting"));
                return;
            }
            if (earlier != null) {
                job = earlier;
                closeConnection(job);
                resume = job.transfer.state() != TransferState.OFFERED;
            } else {
                Transfer transfer = new Transfer(newId(), peer, Direction.INCOMING, shownName(offer),
                        offer.size, offer.sha256, offer.mimeType, TransferState.OFFERED, 0, "",
                        FileOffer.TLS_BYTESTREAMS.equals(method) || FileOffer.IBB.equals(method) && streamEncrypted, "",
                        Instant.now());
                job = new TransferJob(transfer);
                jobs.put(transfer.id(), job);
                resume = false;
            }
            job.sid = offer.sid;
            job.offer = offer;
            job.method = method;
        }
        if (resume) {
            LOG.info("{} offers {} again: resuming", peer, job.transfer.name());
            acceptNow(job);
        } else if (!repeated) {
            changed(job, job.transfer);
        }
    }

    /** An unfinished incoming transfer of the same file from the same peer (a re-offer after an interruption). */
    private TransferJob sameFile(PeerId peer, FileOffer offer) {
        for (TransferJob job : jobs.values()) {
            Transfer transfer = job.transfer;
            if (transfer.direction() == Direction.INCOMING && transfer.peer().equals(peer) && !transfer.state().isFinal()
                    && !offer.sha256.isEmpty() && offer.sha256.equals(transfer.sha256()) && offer.size == transfer.size()
                    && shownName(offer).equals(transfer.name())) {
                return job;
            }
        }
        return null;
    }

    int waiting(PeerId peer) {
        int count = 0;
        for (TransferJob job : jobs.values()) {
            if (job.transfer.direction() == Direction.INCOMING && job.transfer.state() == TransferState.OFFERED
                    && (peer == null || job.transfer.peer().equals(peer))) {
                count++;
            }
        }
        return count;
    }

    /** The user takes an offered file, into {@code folder} (the download folder when empty). */
    CompletableFuture<Transfer> accept(String id, Optional<Path> folder) {
        CompletableFuture<Transfer> result = new CompletableFuture<>();
        submit(null, () -> {
            try {
                TransferJob job;
                synchronized (this) {
                    job = jobs.get(id);
                    if (job == null || job.transfer.direction() != Direction.INCOMING) {
                        throw new IllegalArgumentException("no file offered with id " + id);
                    }
                    if (job.transfer.state() != TransferState.OFFERED || job.offer == null && job.oob == null) {
                        throw new IllegalStateException(job.transfer.name() + " is " + words(job.transfer.state())
                                + ", not waiting for an answer");
                    }
                }
                Path target = folder.orElse(downloads.path());
                Files.createDirectories(target);
                Path part = target.resolve("." + leaf(job.transfer.name()) + "." + id + ".part");
                synchronized (this) {
                    job.transfer = job.transfer.withFile(part.toString());
                }
                acceptNow(job);
                result.complete(job.transfer);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Says yes to the offer in hand, asking for what the partial file lacks. */
    void acceptNow(TransferJob job) {
        if (job.oob != null) {
            synchronized (this) {
                job.transfer = job.transfer.withState(TransferState.CONNECTING, "");
            }
            changed(job, job.transfer);
            submit(job, () -> outOfBand.fetch(job));
            return;
        }
        FileOffer offer;
        long have;
        synchronized (this) {
            offer = job.offer;
            Path part = Path.of(job.transfer.file());
            try {
                have = Files.exists(part) ? Files.size(part) : 0;
            } catch (IOException e) {
                have = 0;
            }
            if (have > job.transfer.size()) {
                have = 0;
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // written over below
                }
            }
            job.transfer = job.transfer.withState(TransferState.CONNECTING, "").withDone(have);
        }
        changed(job, job.transfer);
        reply(job.transfer.peer(), FileOffer.accept(offer, job.method, have));
    }

    CompletableFuture<Transfer> decline(String id) {
        CompletableFuture<Transfer> result = new CompletableFuture<>();
        TransferJob job;
        FileOffer offer;
        OobOffer oob;
        synchronized (this) {
            job = jobs.get(id);
            if (job == null || job.transfer.direction() != Direction.INCOMING || job.transfer.state() != TransferState.OFFERED) {
                result.completeExceptionally(new IllegalArgumentException("no file waiting for an answer with id " + id));
                return result;
            }
            offer = job.offer;
            oob = job.oob;
        }
        if (oob != null) {
            // XEP-0066 §3.2: a refusal is not-acceptable.
            reply(job.transfer.peer(), error(oob, StanzaError.Condition.not_acceptable, "declined"));
        } else if (offer != null) {
            reply(job.transfer.peer(), error(offer, StanzaError.Condition.forbidden, "Offer Declined"));
        }
        finish(job, TransferState.DECLINED, "declined");
        result.complete(job.transfer);
        return result;
    }

    /** The name a received file goes by: its place in the folder it came with, or its name, made safe. */
    private static String shownName(FileOffer offer) {
        return offer.path.isEmpty() ? ReceivedNames.clean(offer.name) : ReceivedNames.cleanPath(offer.path);
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
        offerAgain(peer);
    }

    /**
     * {@code peer} is seen on the network (again: it restarted, or we did): interrupted files and
     * offers that never reached it go again, which opens a stream to it. Nothing else would: after a
     * restart no stream opens by itself unless messages wait.
     */
    void peerSeen(PeerId peer) {
        offerAgain(peer);
    }

    private void offerAgain(PeerId peer) {
        List<TransferJob> again = new ArrayList<>();
        synchronized (this) {
            for (TransferJob job : jobs.values()) {
                Transfer transfer = job.transfer;
                if (transfer.peer().equals(peer) && transfer.direction() == Direction.OUTGOING
                        && (transfer.state() == TransferState.INTERRUPTED
                                || transfer.state() == TransferState.OFFERED && (job.offerMayBeLost || job.sid == null))
                        && job.connection == null) {
                    if (job.retry != null) {
                        job.retry.cancel();
                    }
                    again.add(job);
                }
            }
        }
        again.forEach(job -> submit(job, () -> reoffer(job)));
    }

    /** Offers an interrupted file again, if it is still the same file. */
    private void reoffer(TransferJob job) {
        Transfer transfer = job.transfer;
        try {
            Path file = Path.of(transfer.file());
            if (!Files.isRegularFile(file) || Files.size(file) != transfer.size()) {
                fail(job, "the file changed or is gone since it was offered");
                return;
            }
        } catch (IOException e) {
            fail(job, "the file cannot be read any more: " + e.getMessage());
            return;
        }
        offer(job);
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
                    reoffer(job);
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

    private String newSid() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "pronto-" + HexFormat.of().formatHex(bytes);
    }

    private static String mimeType(Path file) {
        try {
            String type = Files.probeContentType(file);
            return type == null ? "" : type;
        } catch (IOException e) {
            return "";
        }
    }

    private static String words(TransferState state) {
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
