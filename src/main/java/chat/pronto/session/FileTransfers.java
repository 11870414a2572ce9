package chat.pronto.session;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.net.URI;
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
import org.jxmpp.jid.impl.JidCreate;
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
import chat.pronto.transfer.DataListener;
import chat.pronto.transfer.FileData;
import chat.pronto.transfer.IpLiterals;
import chat.pronto.transfer.Socks5;

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
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The receiver must connect within this after the streamhosts went out. */
    static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);
    /** No byte either way for this long ends an attempt (it resumes). */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    /** {@link #STALL_TIMEOUT}, shorter in tests that stall on purpose (read at the start of each attempt). */
    private static volatile Duration stallTimeout = STALL_TIMEOUT;
    /** Between two progress events of one transfer. */
    static final long PROGRESS_EVERY_NANOS = 200_000_000L;
    static final Duration RETRY_FIRST = Duration.ofSeconds(2);
    static final Duration RETRY_MAX = Duration.ofMinutes(2);
    private static final byte VERDICT_OK = 'K';
    private static final byte VERDICT_DAMAGED = 'H';

    /** One transfer and what its current attempt holds. Guarded by the {@link FileTransfers} lock. */
    private static final class Job {
        Transfer transfer;
        /** The current attempt's stream id (changes at each resume); null when none is running. */
        String sid;
        /** Incoming: the offer being answered. */
        FileOffer offer;
        /** The chosen method. */
        String method;
        /** The data connection or listener of the current attempt, closed to stop it. */
        AutoCloseable connection;
        long lastEvent;
        int retries;
        Scheduler.Scheduled retry;
        /** Ours, offered: a stream with the peer ended since, so the offer may never have arrived. */
        boolean offerMayBeLost;
        /** The current attempt was ended by the stall watch (its bytes stopped moving). */
        boolean stalled;
        /** Ours: the receiver could not connect to us; the next offer is in band (XEP-0047). */
        boolean directFailed;
        /** Theirs, in band: where the blocks go. */
        InBandSink sink;
        /** Incoming out of band (XEP-0066): the offer, answered once the file is here (or could not be had). */
        OobOffer oob;
        URI oobUri;

        Job(Transfer transfer) {
            this.transfer = transfer;
        }
    }

    private final History history;
    private final SessionEvents events;
    private final TlsContexts tls;
    private final Scheduler scheduler;
    private final Supplier<PeerId> self;
    private final java.util.function.BiFunction<PeerId, Stanza, CompletableFuture<?>> send;
    private volatile DownloadFolder downloads;
    private volatile long bytesPerSecond;
    private final ExecutorService pool = Threads.pool("pronto-transfer", THREADS);
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /** Our in-band IQs waiting for their answers, by id. */
    private final Map<String, CompletableFuture<IQ>> awaited = new java.util.concurrent.ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

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
            jobs.put(now.id(), new Job(now));
        }
    }

    /** Tests: the streamhost we name instead of our listener (one nobody can reach: the in-band fallback). */
    private static volatile InetSocketAddress streamhostForTests;

    static void streamhostForTests(InetSocketAddress address) {
        streamhostForTests = address;
    }

    /** Tests that stall on purpose wait this long instead of {@link #STALL_TIMEOUT}. */
    static void stallAfter(Duration timeout) {
        stallTimeout = timeout;
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
        Job job;
        synchronized (this) {
            job = new Job(transfer);
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
    private void offer(Job job) {
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
    private void answered(StanzaStream stream, Job job, IQ answer) {
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
            submit(job, () -> sendInBand(job, start));
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
        submit(job, () -> serve(job, local.orElse(null), from, encrypted));
    }

    /** Sender's side of one attempt: listen, say where, take the receiver's connection, send from {@code from}. */
    private void serve(Job job, InetAddress local, long from, boolean encrypted) {
        Transfer transfer = job.transfer;
        PeerId peer = transfer.peer();
        String sid;
        synchronized (this) {
            sid = job.sid;
        }
        InetAddress address = local;
        if (address == null) {
            interrupt(job, "no open stream to " + peer.name() + " to say where to connect");
            return;
        }
        try (DataListener listener = new DataListener(address)) {
            attach(job, listener);
            Bytestream hosts = new Bytestream(sid);
            hosts.setType(IQ.Type.set);
            hosts.setStanzaId(sid);
            InetSocketAddress advertised = streamhostForTests != null ? streamhostForTests : listener.address();
            hosts.addStreamHost(JidCreate.from(self.get().name()), IpLiterals.forPeer(streamhostForTests != null
                    ? advertised.getAddress() : address), advertised.getPort());
            send.apply(peer, hosts);
            Socket plain;
            try {
                plain = listener.await(Socks5.hash(sid, self.get().name(), peer.name()), ACCEPT_TIMEOUT);
            } catch (java.net.SocketTimeoutException unreachable) {
                synchronized (this) {
                    job.directFailed = true;
                }
                throw unreachable;
            }
            Duration stall = stallTimeout;
            attach(job, plain);
            plain.setSoTimeout((int) stall.toMillis()); // the TLS handshake too
            Socket socket = encrypted ? tls.forPeer(self.get().name(), peer.name()).upgradeAsRecipient(plain) : plain;
            attach(job, socket);
            try (socket) {
                active(job);
                watch(job, socket, stall, -1, System.nanoTime());
                OutputStream out = socket.getOutputStream();
                FileData.send(Path.of(transfer.file()), from, transfer.size(), out, bytesPerSecond,
                        done -> progress(job, done));
                if (encrypted) {
                    // The receiver says whether the hash matched; a plain receiver just closes.
                    socket.shutdownOutput();
                    int verdict = socket.getInputStream().read();
                    if (verdict == VERDICT_DAMAGED) {
                        fail(job, "the file arrived damaged at " + peer.name() + " (its hash differs)");
                        return;
                    }
                    if (verdict != VERDICT_OK) {
                        throw new EOFException("the receiver closed before it confirmed the file");
                    }
                } else {
                    out.flush();
                    socket.shutdownOutput();
                    while (socket.getInputStream().read() >= 0) {
                        // A plain receiver closes once it has it all.
                    }
                }
                finish(job, TransferState.DONE, "");
            }
        } catch (IOException | RuntimeException e) {
            stopped(job, e);
        }
    }

    // ---- receiving ------------------------------------------------------------------------------------

    @Override
    public boolean onRequest(StanzaStream stream, PeerId peer, IQ request) {
        if (request instanceof FileOffer offer && request.getType() == IQ.Type.set) {
            offered(stream, peer, offer);
            return true;
        }
        if (request instanceof Bytestream hosts && request.getType() == IQ.Type.set) {
            streamhosts(peer, hosts, stream.info().map(StreamInfo::localAddress).map(InetSocketAddress::getAddress)
                    .orElse(null));
            return true;
        }
        if (request instanceof org.jivesoftware.smackx.bytestreams.ibb.packet.Open open && request.getType() == IQ.Type.set) {
            inBandOpened(peer, open);
            return true;
        }
        if (request instanceof org.jivesoftware.smackx.bytestreams.ibb.packet.Data data && request.getType() == IQ.Type.set) {
            inBandData(peer, data);
            return true;
        }
        if (request instanceof org.jivesoftware.smackx.bytestreams.ibb.packet.Close close
                && request.getType() == IQ.Type.set) {
            inBandClosed(peer, close);
            return true;
        }
        if (request instanceof OobOffer oob && request.getType() == IQ.Type.set) {
            offeredByUrl(stream, peer, oob);
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
        CompletableFuture<IQ> waiting = id == null ? null : awaited.remove(peer.name() + "/" + id);
        if (waiting != null) {
            waiting.complete(answer);
            return;
        }
        Job job;
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

    private Job outgoing(PeerId peer, String sid) {
        for (Job job : jobs.values()) {
            if (sid != null && sid.equals(job.sid) && job.transfer.peer().equals(peer)
                    && job.transfer.direction() == Direction.OUTGOING) {
                return job;
            }
        }
        return null;
    }

    private Job incoming(PeerId peer, String sid) {
        for (Job job : jobs.values()) {
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
        Job job;
        boolean resume;
        boolean repeated;
        synchronized (this) {
            Job earlier = sameFile(peer, offer);
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
                job = new Job(transfer);
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
    private Job sameFile(PeerId peer, FileOffer offer) {
        for (Job job : jobs.values()) {
            Transfer transfer = job.transfer;
            if (transfer.direction() == Direction.INCOMING && transfer.peer().equals(peer) && !transfer.state().isFinal()
                    && !offer.sha256.isEmpty() && offer.sha256.equals(transfer.sha256()) && offer.size == transfer.size()
                    && shownName(offer).equals(transfer.name())) {
                return job;
            }
        }
        return null;
    }

    private int waiting(PeerId peer) {
        int count = 0;
        for (Job job : jobs.values()) {
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
                Job job;
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
    private void acceptNow(Job job) {
        if (job.oob != null) {
            synchronized (this) {
                job.transfer = job.transfer.withState(TransferState.CONNECTING, "");
            }
            changed(job, job.transfer);
            submit(job, () -> fetch(job));
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
        Job job;
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

    // ---- in band (XEP-0047): when the receiver cannot connect to us -----------------------------------------

    /** Bytes per block: with base64 and the stanza around it well under the 256 KiB a peer takes in one element. */
    static final int BLOCK = 32 * 1024;
    /** Blocks sent before the first answer is awaited: the chat stream stays usable for messages meanwhile. */
    static final int WINDOW = 4;

    /** Sends the file in blocks over the chat stream, from byte {@code from}, each block acknowledged. */
    private void sendInBand(Job job, long from) {
        PeerId peer = job.transfer.peer();
        String sid;
        synchronized (this) {
            sid = job.sid;
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.ArrayDeque<CompletableFuture<IQ>> window = new java.util.ArrayDeque<>();
        try {
            attach(job, () -> stop.set(true));
            awaitAnswer(peer, new org.jivesoftware.smackx.bytestreams.ibb.packet.Open(sid, BLOCK), sid + "-open");
            active(job);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(Path.of(job.transfer.file()))) {
                if (channel.size() != job.transfer.size()) {
                    throw new IOException("the file changed since it was offered");
                }
                long done = from;
                int seq = 0;
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(BLOCK);
                while (done < job.transfer.size()) {
                    if (stop.get()) {
                        throw new IOException("stopped");
                    }
                    buffer.clear();
                    buffer.limit((int) Math.min(BLOCK, job.transfer.size() - done));
                    int read = channel.read(buffer, done);
                    if (read <= 0) {
                        throw new EOFException("the file got shorter while it was being sent");
                    }
                    String base64 = java.util.Base64.getEncoder().encodeToString(
                            java.util.Arrays.copyOf(buffer.array(), read));
                    org.jivesoftware.smackx.bytestreams.ibb.packet.Data data =
                            new org.jivesoftware.smackx.bytestreams.ibb.packet.Data(
                                    new org.jivesoftware.smackx.bytestreams.ibb.packet.DataPacketExtension(sid, seq, base64));
                    window.add(ask(peer, data, sid + "-" + seq));
                    seq = (seq + 1) & 0xFFFF;
                    done += read;
                    if (window.size() >= WINDOW) {
                        expectResult(window.poll());
                    }
                    progress(job, done);
                }
                while (!window.isEmpty()) {
                    expectResult(window.poll());
                }
            }
            IQ closed = await(ask(peer, new org.jivesoftware.smackx.bytestreams.ibb.packet.Close(sid), sid + "-close"));
            if (closed instanceof ErrorIQ refused) {
                fail(job, "the file arrived damaged at " + peer.name() + " ("
                        + refused.getError().getDescriptiveText() + ")");
                return;
            }
            finish(job, TransferState.DONE, "");
        } catch (IOException | RuntimeException e) {
            stopped(job, e);
        } finally {
            window.forEach(answer -> answer.cancel(false));
        }
    }

    /** Sends {@code request} (with id {@code id}); the future completes with the peer's answer. */
    private CompletableFuture<IQ> ask(PeerId peer, IQ request, String id) {
        request.setStanzaId(id);
        request.setType(IQ.Type.set);
        CompletableFuture<IQ> answer = new CompletableFuture<>();
        awaited.put(peer.name() + "/" + id, answer);
        answer.whenComplete((result, failure) -> awaited.remove(peer.name() + "/" + id));
        send.apply(peer, request);
        return answer;
    }

    private void awaitAnswer(PeerId peer, IQ request, String id) throws IOException {
        expectResult(ask(peer, request, id));
    }

    private void expectResult(CompletableFuture<IQ> answer) throws IOException {
        IQ got = await(answer);
        if (got instanceof ErrorIQ error) {
            throw new IOException("they refused a block (" + error.getError().getCondition() + ")");
        }
    }

    private IQ await(CompletableFuture<IQ> answer) throws IOException {
        try {
            return answer.get(stallTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("stalled: no answer for " + stallTimeout.toSeconds() + " s", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            throw new IOException("no answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("stopped");
        }
    }

    /** Where a peer's in-band blocks go: the partial file, hashed as they come. */
    private static final class InBandSink implements AutoCloseable {
        final java.nio.channels.FileChannel channel;
        final java.security.MessageDigest digest;
        int nextSeq;
        long done;

        InBandSink(Path part) throws IOException {
            digest = FileData.digestOf(part);
            channel = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
            done = channel.size();
            channel.position(done);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private void inBandOpened(PeerId peer, org.jivesoftware.smackx.bytestreams.ibb.packet.Open open) {
        Job job;
        synchronized (this) {
            job = incoming(peer, open.getSessionID());
            if (job == null || job.transfer.state() != TransferState.CONNECTING || !FileOffer.IBB.equals(job.method)) {
                job = null;
            }
        }
        if (job == null || open.getBlockSize() <= 0 || open.getBlockSize() > 65_535) {
            reply(peer, error(open, StanzaError.Condition.not_acceptable, "no in-band transfer with that id waits"));
            return;
        }
        try {
            InBandSink sink = new InBandSink(Path.of(job.transfer.file()));
            attach(job, sink);
            synchronized (this) {
                job.sink = sink;
            }
            active(job);
            reply(peer, IQ.createResultIQ(open));
        } catch (IOException e) {
            reply(peer, error(open, StanzaError.Condition.resource_constraint, FileData.explain(e)));
            stopped(job, e);
        }
    }

    /**
     * One block, written here on the stream's reader (a 32 KiB write): the answer that lets the
     * sender go on leaves only once it is on disk.
     */
    private void inBandData(PeerId peer, org.jivesoftware.smackx.bytestreams.ibb.packet.Data data) {
        String sid = data.getDataPacketExtension().getSessionID();
        Job job;
        InBandSink sink;
        synchronized (this) {
            job = incoming(peer, sid);
            sink = job == null ? null : job.sink;
        }
        if (sink == null) {
            reply(peer, error(data, StanzaError.Condition.item_not_found, "no in-band transfer with that id is open"));
            return;
        }
        if (data.getDataPacketExtension().getSeq().intValue() != sink.nextSeq) {
            reply(peer, error(data, StanzaError.Condition.unexpected_request, "a block is missing"));
            interrupt(job, "a block went missing");
            return;
        }
        byte[] bytes = data.getDataPacketExtension().getDecodedData();
        if (bytes == null) {
            reply(peer, error(data, StanzaError.Condition.bad_request, "not base64"));
            interrupt(job, "a block could not be read");
            return;
        }
        if (sink.done + bytes.length > job.transfer.size()) {
            reply(peer, error(data, StanzaError.Condition.not_acceptable, "more than declared"));
            deleteQuietly(Path.of(job.transfer.file()));
            fail(job, new FileData.TooMuchData(job.transfer.size()).getMessage() + "; nothing was kept");
            return;
        }
        try {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                sink.channel.write(buffer);
            }
        } catch (IOException e) {
            reply(peer, error(data, StanzaError.Condition.resource_constraint, FileData.explain(e)));
            stopped(job, e);
            return;
        }
        sink.digest.update(bytes);
        sink.done += bytes.length;
        sink.nextSeq = (sink.nextSeq + 1) & 0xFFFF;
        reply(peer, IQ.createResultIQ(data));
        progress(job, sink.done);
    }

    /** The sender is done: all of it here and the hash right → the file, and a result; else an error. */
    private void inBandClosed(PeerId peer, org.jivesoftware.smackx.bytestreams.ibb.packet.Close close) {
        Job job;
        InBandSink sink;
        synchronized (this) {
            job = incoming(peer, close.getSessionID());
            sink = job == null ? null : job.sink;
        }
        if (sink == null) {
            reply(peer, error(close, StanzaError.Condition.item_not_found, "no in-band transfer with that id is open"));
            return;
        }
        Path part = Path.of(job.transfer.file());
        try {
            sink.channel.force(false);
            sink.close();
            if (sink.done < job.transfer.size()) {
                reply(peer, IQ.createResultIQ(close));
                interrupt(job, "the sender stopped after " + sink.done + " of " + job.transfer.size() + " bytes");
                return;
            }
            String got = java.util.HexFormat.of().formatHex(sink.digest.digest());
            String expected = job.transfer.sha256();
            if (!expected.isEmpty() && !expected.equals(got)) {
                deleteQuietly(part);
                reply(peer, error(close, StanzaError.Condition.not_acceptable, "its SHA-256 differs from the one offered"));
                fail(job, "the file arrived damaged (its SHA-256 differs from the one offered); nothing was kept");
                return;
            }
            Path done = place(part, job.transfer.name());
            synchronized (this) {
                job.transfer = job.transfer.withFile(done.toString()).withSha256(expected.isEmpty() ? got : expected);
            }
            reply(peer, IQ.createResultIQ(close));
            finish(job, TransferState.DONE, expected.isEmpty() ? "not checked: the sender gave no hash" : "");
        } catch (IOException e) {
            reply(peer, error(close, StanzaError.Condition.resource_constraint, FileData.explain(e)));
            stopped(job, e);
        }
    }

    // ---- out of band (XEP-0066: iChat, Telepathy Salut) -------------------------------------------------

    /**
     * A URL to fetch a file from. Only {@code http://} at the address the peer's stream comes from, by
     * number: an offer must not make us fetch from anywhere else on the network (or look a name up).
     */
    private void offeredByUrl(StanzaStream stream, PeerId peer, OobOffer offer) {
        Optional<InetAddress> from = stream.info().map(info -> info.remoteAddress().getAddress());
        URI uri;
        try {
            uri = new URI(offer.url);
        } catch (java.net.URISyntaxException bad) {
            reply(peer, error(offer, StanzaError.Condition.bad_request, "not a URL"));
            return;
        }
        Optional<InetAddress> host = uri.getHost() == null ? Optional.empty()
                : chat.pronto.transfer.IpLiterals.parse(uri.getHost().replaceAll("^\\[|]$", ""));
        if (!"http".equalsIgnoreCase(uri.getScheme()) || host.isEmpty() || from.isEmpty()
                || !sameHost(host.get(), from.get()) || uri.getRawPath() == null) {
            reply(peer, error(offer, StanzaError.Condition.not_acceptable,
                    "only http:// from the sender's own address is fetched"));
            return;
        }
        if (offer.size > MAX_SIZE) {
            reply(peer, error(offer, StanzaError.Condition.not_acceptable, "files over 1 TiB are not taken"));
            return;
        }
        String path = uri.getPath();
        String name = ReceivedNames.clean(path.substring(path.lastIndexOf('/') + 1));
        Job job;
        boolean resume;
        synchronized (this) {
            Job earlier = sameUrl(peer, uri);
            if (earlier == null && (waiting(peer) >= MAX_WAITING_PER_PEER || waiting(null) >= MAX_WAITING)) {
                reply(peer, error(offer, StanzaError.Condition.resource_constraint, "too many offers are waiting"));
                return;
            }
            if (earlier != null) {
                job = earlier;
                closeConnection(job);
                resume = job.transfer.state() != TransferState.OFFERED;
            } else {
                job = new Job(new Transfer(newId(), peer, Direction.INCOMING, name, Math.max(0, offer.size), "",
                        offer.mimeType, TransferState.OFFERED, 0, "", false, "", Instant.now()));
                jobs.put(job.transfer.id(), job);
                resume = false;
            }
            job.oob = offer;
            job.oobUri = uri;
        }
        if (resume) {
            acceptNow(job);
        } else {
            changed(job, job.transfer);
        }
    }

    private static boolean sameHost(InetAddress named, InetAddress peer) {
        return java.util.Arrays.equals(named.getAddress(), peer.getAddress());
    }

    /** An unfinished out-of-band transfer of the same URL from the same peer (offered again after an interruption). */
    private Job sameUrl(PeerId peer, URI uri) {
        for (Job job : jobs.values()) {
            if (job.oobUri != null && job.oobUri.equals(uri) && job.transfer.peer().equals(peer)
                    && !job.transfer.state().isFinal()) {
                return job;
            }
        }
        return null;
    }

    /** Fetches the file, then answers the offer: a result when it is here, item-not-found when not. */
    private void fetch(Job job) {
        Path part = Path.of(job.transfer.file());
        OobOffer offer = job.oob;
        chat.pronto.transfer.HttpFetch http = new chat.pronto.transfer.HttpFetch(job.oobUri, stallTimeout);
        try {
            attach(job, http);
            active(job);
            long size = http.into(part, offer.size, MAX_SIZE, done -> progress(job, done));
            synchronized (this) {
                job.transfer = job.transfer.withSize(size).withDone(size);
            }
            Path done = place(part, job.transfer.name());
            synchronized (this) {
                job.transfer = job.transfer.withFile(done.toString());
            }
            reply(job.transfer.peer(), IQ.createResultIQ(offer));
            finish(job, TransferState.DONE, "not checked: sent without a hash, over plain HTTP");
        } catch (FileData.TooMuchData tooMuch) {
            deleteQuietly(part);
            reply(job.transfer.peer(), error(offer, StanzaError.Condition.item_not_found, "more bytes than declared"));
            fail(job, tooMuch.getMessage() + "; nothing was kept");
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (job.transfer.state().isFinal()) {
                    return; // cancelled
                }
            }
            reply(job.transfer.peer(), error(offer, StanzaError.Condition.item_not_found,
                    "could not fetch the file: " + e.getMessage()));
            stopped(job, e);
        }
    }

    /** The name a received file goes by: its place in the folder it came with, or its name, made safe. */
    private static String shownName(FileOffer offer) {
        return offer.path.isEmpty() ? ReceivedNames.clean(offer.name) : ReceivedNames.cleanPath(offer.path);
    }

    /** The file name at the end of a transfer's name (which may be a path in a folder that was sent). */
    static String leaf(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // reported by the caller either way
        }
    }

    /** The sender says where to connect: we try its hosts in turn, then take the bytes. */
    private void streamhosts(PeerId peer, Bytestream hosts, InetAddress link) {
        Job job;
        synchronized (this) {
            job = incoming(peer, hosts.getSessionID());
            if (job != null && job.transfer.state() != TransferState.CONNECTING) {
                job = null;
            }
        }
        if (job == null) {
            reply(peer, error(hosts, StanzaError.Condition.item_not_found, "no transfer with that stream id waits"));
            return;
        }
        Job taken = job;
        submit(job, () -> receive(taken, hosts, link));
    }

    /** @param link our address on the chat stream with the peer: its zone completes link-local streamhosts */
    private void receive(Job job, Bytestream hosts, InetAddress link) {
        PeerId peer = job.transfer.peer();
        String sid = hosts.getSessionID();
        boolean encrypted = FileOffer.TLS_BYTESTREAMS.equals(job.method);
        String hash = Socks5.hash(sid, peer.name(), self.get().name());
        Socket plain = null;
        Bytestream.StreamHost used = null;
        List<String> tried = new ArrayList<>();
        for (Bytestream.StreamHost host : hosts.getStreamHosts()) {
            if (host.getPort() <= 0 || tried.size() >= 8) {
                continue;
            }
            String address = host.getAddress().toString();
            Optional<InetAddress> literal = IpLiterals.parse(address);
            if (literal.isEmpty()) {
                tried.add(address + " (not an IP address: names are not looked up)");
                continue;
            }
            try {
                plain = Socks5.connect(new InetSocketAddress(IpLiterals.onLink(literal.get(), link), host.getPort()),
                        hash, CONNECT_TIMEOUT);
                used = host;
                break;
            } catch (IOException e) {
                tried.add(host.getAddress() + ":" + host.getPort() + " (" + e.getMessage() + ")");
            }
        }
        if (plain == null) {
            reply(peer, error(hosts, StanzaError.Condition.item_not_found, "could not connect to any streamhost"));
            interrupt(job, "could not connect to " + peer.name() + ": " + String.join(", ", tried));
            return;
        }
        Bytestream usedAnswer = new Bytestream(sid);
        usedAnswer.setType(IQ.Type.result);
        usedAnswer.setStanzaId(hosts.getStanzaId());
        usedAnswer.setUsedHost(used.getJID());
        reply(peer, usedAnswer);
        Path part = Path.of(job.transfer.file());
        Duration stall = stallTimeout;
        try {
            attach(job, plain);
            plain.setSoTimeout((int) stall.toMillis()); // the TLS handshake too
            Socket socket = encrypted ? tls.forPeer(self.get().name(), peer.name()).upgradeAsInitiator(plain) : plain;
            attach(job, socket);
            try (socket) {
                active(job);
                InputStream in = socket.getInputStream();
                String got = FileData.receive(socket, in, part, job.transfer.size(),
                        encrypted ? stall : Duration.ofMillis(300), done -> progress(job, done));
                String expected = job.transfer.sha256();
                if (!expected.isEmpty() && !expected.equals(got)) {
                    Files.deleteIfExists(part);
                    if (encrypted) {
                        socket.getOutputStream().write(VERDICT_DAMAGED);
                    }
                    fail(job, "the file arrived damaged (its SHA-256 differs from the one offered); nothing was kept");
                    return;
                }
                Path done = place(part, job.transfer.name());
                synchronized (this) {
                    job.transfer = job.transfer.withFile(done.toString()).withSha256(expected.isEmpty() ? got : expected);
                }
                if (encrypted) {
                    socket.getOutputStream().write(VERDICT_OK);
                    socket.getOutputStream().flush();
                }
                finish(job, TransferState.DONE, expected.isEmpty() ? "not checked: the sender gave no hash" : "");
            }
        } catch (FileData.TooMuchData tooMuch) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // reported below either way
            }
            fail(job, tooMuch.getMessage() + "; nothing was kept");
        } catch (IOException | RuntimeException e) {
            stopped(job, e);
        }
    }

    /**
     * Moves a complete part file to its name (a path for a file from a folder: its folders are made
     * under the part's folder), never over another file.
     */
    private static Path place(Path part, String name) throws IOException {
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
        Job job;
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
        Job job;
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
        for (Job job : jobs.values()) {
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
        List<Job> again = new ArrayList<>();
        synchronized (this) {
            for (Job job : jobs.values()) {
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
    private void reoffer(Job job) {
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

    private void active(Job job) {
        synchronized (this) {
            job.transfer = job.transfer.withState(TransferState.ACTIVE, "");
            job.retries = 0;
            job.stalled = false;
        }
        changed(job, job.transfer);
    }

    private void progress(Job job, long done) {
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
    private void watch(Job job, AutoCloseable connection, Duration stall, long lastDone, long since) {
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
    private void stopped(Job job, Exception why) {
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

    private void interrupt(Job job, String reason) {
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

    private void fail(Job job, String reason) {
        finish(job, TransferState.FAILED, reason);
    }

    private void finish(Job job, TransferState state, String reason) {
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

    private synchronized void attach(Job job, AutoCloseable connection) throws IOException {
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

    private void closeConnection(Job job) {
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
    private void changed(Job job, Transfer transfer) {
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

    private void submit(Job job, Runnable work) {
        try {
            pool.execute(work);
        } catch (RejectedExecutionException closing) {
            if (job != null) {
                LOG.debug("not started while closing: {}", job.transfer.name());
            }
        }
    }

    private void reply(PeerId peer, Stanza answer) {
        send.apply(peer, answer);
    }

    private static IQ error(IQ request, StanzaError.Condition condition, String text) {
        IQ answer = ErrorIQ.builder(StanzaError.getBuilder(condition).setDescriptiveEnText(text).build(),
                org.jivesoftware.smack.packet.IqData.createErrorResponse(request)).build();
        answer.setTo(request.getFrom());
        answer.setFrom(request.getTo());
        return answer;
    }

    private String newId() {
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
            for (Job job : jobs.values()) {
                if (job.retry != null) {
                    job.retry.cancel();
                }
                closeConnection(job);
            }
        }
        Threads.shutdown(pool, Duration.ofSeconds(2));
    }
}
