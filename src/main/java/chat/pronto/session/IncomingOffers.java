package chat.pronto.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jivesoftware.smack.packet.StanzaError;

import chat.pronto.files.ReceivedNames;
import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.stream.StanzaStream;

/**
 * Files people offer us: checked and bounded, matched with a file we have the start of (a resume),
 * shown, then accepted (asking for what the partial file lacks) or declined. A part of
 * {@link FileTransfers}, which keeps the transfers and their states.
 */
final class IncomingOffers {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IncomingOffers.class);

    private final FileTransfers files;

    IncomingOffers(FileTransfers files) {
        this.files = files;
    }

    /** A peer offers a file: checked, bounded, matched with one we have the start of, then shown. */
    void offered(StanzaStream stream, PeerId peer, FileOffer offer) {
        if (offer.sid.isEmpty() || offer.name.isBlank() || offer.size < 0) {
            files.reply(peer, FileTransfers.error(offer, StanzaError.Condition.bad_request, "an offer needs a stream id, a name and a size"));
            return;
        }
        if (offer.size > FileTransfers.MAX_SIZE) {
            files.reply(peer, FileTransfers.error(offer, StanzaError.Condition.not_acceptable, "files over 1 TiB are not taken"));
            return;
        }
        boolean streamEncrypted = stream.info().map(info -> info.security().isEncrypted()).orElse(false);
        String method = offer.methods.contains(FileOffer.TLS_BYTESTREAMS) ? FileOffer.TLS_BYTESTREAMS
                : !streamEncrypted && offer.methods.contains(FileOffer.BYTESTREAMS) ? FileOffer.BYTESTREAMS
                : offer.methods.contains(FileOffer.IBB) ? FileOffer.IBB : null;
        if (method == null) {
            files.reply(peer, FileTransfers.error(offer, StanzaError.Condition.bad_request, "no stream method we can use (no-valid-streams)"));
            return;
        }
        TransferJob job;
        boolean resume;
        boolean repeated;
        synchronized (files) {
            TransferJob earlier = sameFile(peer, offer);
            repeated = earlier != null;
            resume = earlier != null && earlier.transfer.state() != TransferState.OFFERED;
            job = files.jobForOffer(peer, offer, earlier, () -> new Transfer(files.newId(), peer, Direction.INCOMING,
                    shownName(offer), offer.size, offer.sha256, offer.mimeType, TransferState.OFFERED, 0, "",
                    FileOffer.TLS_BYTESTREAMS.equals(method) || FileOffer.IBB.equals(method) && streamEncrypted, "",
                    Instant.now()));
            if (job == null) {
                return;
            }
            job.sid = offer.sid;
            job.offer = offer;
            job.method = method;
        }
        if (resume) {
            LOG.info("{} offers {} again: resuming", peer, job.transfer.name());
            acceptNow(job);
        } else if (!repeated) {
            files.changed(job, job.transfer);
        }
    }

    /** An unfinished incoming transfer of the same file from the same peer (a re-offer after an interruption). */
    TransferJob sameFile(PeerId peer, FileOffer offer) {
        for (TransferJob job : files.jobs().values()) {
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
        for (TransferJob job : files.jobs().values()) {
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
        files.submitOr(result, () -> {
            try {
                TransferJob job;
                synchronized (files) {
                    job = files.jobs().get(id);
                    if (job == null || job.transfer.direction() != Direction.INCOMING) {
                        throw new IllegalArgumentException("no file offered with id " + id);
                    }
                    if (job.transfer.state() != TransferState.OFFERED || job.offer == null && job.oob == null) {
                        throw new IllegalStateException(job.transfer.name() + " is " + FileTransfers.words(job.transfer.state())
                                + ", not waiting for an answer");
                    }
                }
                Path target = folder.orElse(files.downloads().path());
                Files.createDirectories(target);
                // Named by the transfer's id only: a name at the 255-byte limit plus a suffix would not fit.
                Path part = target.resolve(".pronto-" + id + ".part");
                synchronized (files) {
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
            synchronized (files) {
                job.transfer = job.transfer.withState(TransferState.CONNECTING, "");
            }
            files.changed(job, job.transfer);
            files.submit(job, () -> files.outOfBand().fetch(job));
            return;
        }
        FileOffer offer;
        long have;
        synchronized (files) {
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
        files.changed(job, job.transfer);
        files.reply(job.transfer.peer(), FileOffer.accept(offer, job.method, have));
    }

    CompletableFuture<Transfer> decline(String id) {
        CompletableFuture<Transfer> result = new CompletableFuture<>();
        TransferJob job;
        FileOffer offer;
        OobOffer oob;
        synchronized (files) {
            job = files.jobs().get(id);
            if (job == null || job.transfer.direction() != Direction.INCOMING || job.transfer.state() != TransferState.OFFERED) {
                result.completeExceptionally(new IllegalArgumentException("no file waiting for an answer with id " + id));
                return result;
            }
            offer = job.offer;
            oob = job.oob;
        }
        if (oob != null) {
            // XEP-0066 §3.2: a refusal is not-acceptable.
            files.reply(job.transfer.peer(), FileTransfers.error(oob, StanzaError.Condition.not_acceptable, "declined"));
        } else if (offer != null) {
            files.reply(job.transfer.peer(), FileTransfers.error(offer, StanzaError.Condition.forbidden, "Offer Declined"));
        }
        files.finish(job, TransferState.DECLINED, "declined");
        result.complete(job.transfer);
        return result;
    }

    /** The name a received file goes by: its place in the folder it came with, or its name, made safe. */
    private static String shownName(FileOffer offer) {
        return offer.path.isEmpty() ? ReceivedNames.clean(offer.name) : ReceivedNames.cleanPath(offer.path);
    }
}
