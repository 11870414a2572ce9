package chat.pronto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;

import chat.pronto.files.ReceivedNames;
import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.stream.StanzaStream;
import chat.pronto.transfer.FileData;
import chat.pronto.transfer.IpLiterals;

/**
 * Files offered out of band (XEP-0066, as iChat and Telepathy Salut send them): a URL fetched over
 * HTTP once the user accepts. A part of {@link FileTransfers}, which keeps the transfers and their states.
 */
final class OutOfBandFiles {
    private final FileTransfers files;

    OutOfBandFiles(FileTransfers files) {
        this.files = files;
    }


    /**
     * A URL to fetch a file from. Only {@code http://} at the address the peer's stream comes from, by
     * number: an offer must not make us fetch from anywhere else on the network (or look a name up).
     */
    void offeredByUrl(StanzaStream stream, PeerId peer, OobOffer offer) {
        Optional<InetAddress> from = stream.info().map(info -> info.remoteAddress().getAddress());
        URI uri;
        try {
            uri = new URI(offer.url);
        } catch (java.net.URISyntaxException bad) {
            files.reply(peer, FileTransfers.error(offer, StanzaError.Condition.bad_request, "not a URL"));
            return;
        }
        Optional<InetAddress> host = uri.getHost() == null ? Optional.empty()
                : chat.pronto.transfer.IpLiterals.parse(uri.getHost().replaceAll("^\\[|]$", ""));
        if (!"http".equalsIgnoreCase(uri.getScheme()) || host.isEmpty() || from.isEmpty()
                || !sameHost(host.get(), from.get()) || uri.getRawPath() == null) {
            files.reply(peer, FileTransfers.error(offer, StanzaError.Condition.not_acceptable,
                    "only http:// from the sender's own address is fetched"));
            return;
        }
        if (offer.size > FileTransfers.MAX_SIZE) {
            files.reply(peer, FileTransfers.error(offer, StanzaError.Condition.not_acceptable, "files over 1 TiB are not taken"));
            return;
        }
        String path = uri.getPath();
        String name = ReceivedNames.clean(path.substring(path.lastIndexOf('/') + 1));
        TransferJob job;
        boolean resume;
        synchronized (files) {
            TransferJob earlier = sameUrl(peer, uri);
            resume = earlier != null && earlier.transfer.state() != TransferState.OFFERED;
            job = files.jobForOffer(peer, offer, earlier, () -> new Transfer(files.newId(), peer, Direction.INCOMING, name,
                    Math.max(0, offer.size), "", offer.mimeType, TransferState.OFFERED, 0, "", false, "", Instant.now()));
            if (job == null) {
                return;
            }
            job.oob = offer;
            job.oobUri = uri;
        }
        if (resume) {
            files.acceptNow(job);
        } else {
            files.changed(job, job.transfer);
        }
    }

    static boolean sameHost(InetAddress named, InetAddress peer) {
        return java.util.Arrays.equals(named.getAddress(), peer.getAddress());
    }

    /** An unfinished out-of-band transfer of the same URL from the same peer (offered again after an interruption). */
    private TransferJob sameUrl(PeerId peer, URI uri) {
        for (TransferJob job : files.jobs().values()) {
            if (job.oobUri != null && job.oobUri.equals(uri) && job.transfer.peer().equals(peer)
                    && !job.transfer.state().isFinal()) {
                return job;
            }
        }
        return null;
    }

    /** Fetches the file, then answers the offer: a result when it is here, item-not-found when not. */
    void fetch(TransferJob job) {
        Path part = Path.of(job.transfer.file());
        OobOffer offer = job.oob;
        chat.pronto.transfer.HttpFetch http = new chat.pronto.transfer.HttpFetch(job.oobUri, FileTransfers.stallTimeout());
        try {
            files.attach(job, http);
            files.active(job);
            long size = http.into(part, offer.size, FileTransfers.MAX_SIZE, done -> files.progress(job, done));
            synchronized (files) {
                job.transfer = job.transfer.withSize(size).withDone(size);
            }
            Path done = FileTransfers.place(part, job.transfer.name());
            synchronized (files) {
                job.transfer = job.transfer.withFile(done.toString());
            }
            files.reply(job.transfer.peer(), IQ.createResultIQ(offer));
            files.finish(job, TransferState.DONE, "not checked: sent without a hash, over plain HTTP");
        } catch (FileData.TooMuchData tooMuch) {
            FileTransfers.deleteQuietly(part);
            files.reply(job.transfer.peer(), FileTransfers.error(offer, StanzaError.Condition.item_not_found, "more bytes than declared"));
            files.fail(job, tooMuch.getMessage() + "; nothing was kept");
        } catch (IOException | RuntimeException e) {
            synchronized (files) {
                if (job.transfer.state().isFinal()) {
                    return; // cancelled
                }
            }
            files.reply(job.transfer.peer(), FileTransfers.error(offer, StanzaError.Condition.item_not_found,
                    "could not fetch the file: " + e.getMessage()));
            files.stopped(job, e);
        }
    }
}
