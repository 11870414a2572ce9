package chat.pronto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;

import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.stream.StanzaStream;
import chat.pronto.stream.StreamInfo;
import chat.pronto.transfer.FileData;

/**
 * Files we send: read once for their hash, offered (XEP-0096), the answer taken (a method, where to
 * start), and offered again after an interruption. A part of {@link FileTransfers}, which keeps the
 * transfers and their states.
 */
final class OutgoingOffers {
    private final FileTransfers files;

    OutgoingOffers(FileTransfers files) {
        this.files = files;
    }


    /** Offers {@code file} to {@code peer}: it is hashed first (PREPARING), then offered. */
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
        Transfer transfer = new Transfer(files.newId(), peer, Direction.OUTGOING,
                inFolder.isEmpty() ? path.getFileName().toString() : inFolder, size, "",
                FileTransfers.mimeType(path), TransferState.PREPARING, 0, path.toString(), false, "", Instant.now());
        TransferJob job;
        synchronized (files) {
            job = new TransferJob(transfer);
            files.jobs().put(transfer.id(), job);
        }
        CompletableFuture<Transfer> offered = new CompletableFuture<>();
        try {
            files.execute(() -> {
                try {
                    files.changed(job, transfer);
                    String hash = hashOf(path);
                    Transfer ready;
                    synchronized (files) {
                        if (job.transfer.state() != TransferState.PREPARING) {
                            offered.complete(job.transfer);
                            return; // cancelled meanwhile
                        }
                        ready = job.transfer.withSha256(hash).withState(TransferState.OFFERED, "");
                        job.transfer = ready;
                    }
                    files.changed(job, ready);
                    offered.complete(ready);
                    offer(job);
                } catch (IOException e) {
                    files.fail(job, "could not read the file: " + e.getMessage());
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

    String hashOf(Path path) throws IOException {
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
    void offer(TransferJob job) {
        FileOffer offer;
        synchronized (files) {
            Transfer transfer = job.transfer;
            boolean due = transfer.state() == TransferState.PREPARING || transfer.state() == TransferState.INTERRUPTED
                    || transfer.state() == TransferState.OFFERED && (job.offerMayBeLost || job.sid == null);
            if (!due || job.connection != null || files.isClosed()) {
                return; // offered already (a stream opened as the peer showed up: both ask), or moving, or over
            }
            job.sid = files.newSid();
            job.retry = null;
            job.offerMayBeLost = false;
            offer = FileOffer.offer(job.sid, FileTransfers.leaf(transfer.name()), transfer.size(), transfer.mimeType(),
                    transfer.sha256(),
                    job.directFailed ? List.of(FileOffer.IBB) : List.of(FileOffer.TLS_BYTESTREAMS, FileOffer.BYTESTREAMS),
                    transfer.name().contains("/") ? transfer.name() : "");
            if (transfer.state() != TransferState.OFFERED) {
                job.transfer = transfer.withState(TransferState.OFFERED, transfer.reason());
            }
        }
        files.changed(job, job.transfer);
        String sid = offer.sid;
        files.send(job.transfer.peer(), offer).whenComplete((sent, failure) -> {
            if (failure == null) {
                return;
            }
            boolean lost;
            synchronized (files) {
                lost = sid.equals(job.sid) && job.transfer.state() == TransferState.OFFERED;
                job.offerMayBeLost |= lost;
            }
            if (lost) {
                // Not on the network, or its stream refused (it may not see us yet after our restart):
                // tried again later, and at once when it shows up or a stream opens.
                Throwable why = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                files.interrupt(job, "could not reach " + job.transfer.peer().name() + " to offer it"
                        + (why instanceof NotSentException ? "" : " (" + why.getMessage() + ")")
                        + "; it goes again when they are back");
            }
        });
    }

    /** The peer answered our offer: yes (with a method and maybe where to start), or no. */
    void answered(StanzaStream stream, TransferJob job, IQ answer) {
        if (answer instanceof ErrorIQ error) {
            StanzaError why = error.getError();
            StanzaError.Condition condition = why == null ? StanzaError.Condition.undefined_condition : why.getCondition();
            String text = why == null || why.getDescriptiveText() == null ? "" : why.getDescriptiveText();
            if (condition == StanzaError.Condition.forbidden || condition == StanzaError.Condition.not_acceptable) {
                files.finish(job, TransferState.DECLINED, "declined by " + job.transfer.peer().name());
            } else if (condition == StanzaError.Condition.resource_constraint) {
                files.interrupt(job, "they have too many offers waiting; it is offered again later");
            } else {
                files.fail(job, "they refused it (" + condition + (text.isEmpty() ? "" : ": " + text) + ")");
            }
            return;
        }
        if (!(answer instanceof FileOffer accepted) || accepted.method().isEmpty()) {
            files.fail(job, "their answer chose no way to send the file");
            return;
        }
        String method = accepted.method().get();
        long from = accepted.range.orElse(0);
        boolean encrypted = FileOffer.TLS_BYTESTREAMS.equals(method);
        boolean streamEncrypted = stream.info().map(info -> info.security().isEncrypted()).orElse(false);
        if (FileOffer.IBB.equals(method) && job.directFailed) {
            long start = from;
            if (start < 0 || start > job.transfer.size()) {
                files.fail(job, "they asked to start at byte " + start + " of " + job.transfer.size());
                return;
            }
            synchronized (files) {
                job.method = method;
                job.transfer = job.transfer.withState(TransferState.CONNECTING, "").withEncrypted(streamEncrypted)
                        .withDone(start);
            }
            files.changed(job, job.transfer);
            files.submit(job, () -> files.inBand().sendInBand(job, start));
            return;
        }
        if (!encrypted && !FileOffer.BYTESTREAMS.equals(method)) {
            files.fail(job, "they chose a way to send the file that was not offered (" + method + ")");
            return;
        }
        if (!encrypted && streamEncrypted) {
            files.fail(job, "they asked for an unencrypted transfer over an encrypted chat: refused");
            return;
        }
        if (from < 0 || from > job.transfer.size()) {
            files.fail(job, "they asked to start at byte " + from + " of " + job.transfer.size());
            return;
        }
        Optional<InetAddress> local = stream.info().map(StreamInfo::localAddress).map(InetSocketAddress::getAddress);
        synchronized (files) {
            job.method = method;
            job.transfer = job.transfer.withState(TransferState.CONNECTING, "").withEncrypted(encrypted).withDone(from);
        }
        files.changed(job, job.transfer);
        files.submit(job, () -> files.direct().serve(job, local.orElse(null), from, encrypted));
    }


    /** Interrupted files, and offers that may never have reached {@code peer}, go again. */
    void offerAgain(PeerId peer) {
        List<TransferJob> again = new ArrayList<>();
        synchronized (files) {
            for (TransferJob job : files.jobs().values()) {
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
        again.forEach(job -> files.submit(job, () -> reoffer(job)));
    }

    /** Offers an interrupted file again, if it is still the same file. */
    void reoffer(TransferJob job) {
        Transfer transfer = job.transfer;
        try {
            Path file = Path.of(transfer.file());
            if (!Files.isRegularFile(file) || Files.size(file) != transfer.size()) {
                files.fail(job, "the file changed or is gone since it was offered");
                return;
            }
        } catch (IOException e) {
            files.fail(job, "the file cannot be read any more: " + e.getMessage());
            return;
        }
        offer(job);
    }
}
