package chat.pronto.session;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;

import chat.pronto.model.PeerId;
import chat.pronto.model.TransferState;
import chat.pronto.transfer.FileData;

/**
 * Files in band (XEP-0047), when the receiver cannot connect to the sender: blocks as IQs over the
 * chat stream (encrypted when it is), a few in flight, each on disk before it is acknowledged, the hash
 * checked at the close. A part of {@link FileTransfers}, which keeps the transfers and their states.
 */
final class InBandFiles {
    private final FileTransfers files;
    /** Our in-band IQs waiting for their answers, by peer and id. */
    private final Map<String, CompletableFuture<IQ>> awaited = new java.util.concurrent.ConcurrentHashMap<>();

    InBandFiles(FileTransfers files) {
        this.files = files;
    }

    /** An answer to one of our blocks (or open, or close): true when it was one. */
    boolean answered(PeerId peer, IQ answer) {
        String id = answer.getStanzaId();
        CompletableFuture<IQ> waiting = id == null ? null : awaited.remove(peer.name() + "/" + id);
        if (waiting == null) {
            return false;
        }
        waiting.complete(answer);
        return true;
    }


    /** Bytes per block: with base64 and the stanza around it well under the 256 KiB a peer takes in one element. */
    static final int BLOCK = 32 * 1024;
    /** Blocks sent before the first answer is awaited: the chat stream stays usable for messages meanwhile. */
    static final int WINDOW = 4;

    /** Sends the file in blocks over the chat stream, from byte {@code from}, each block acknowledged. */
    void sendInBand(TransferJob job, long from) {
        PeerId peer = job.transfer.peer();
        String sid;
        synchronized (files) {
            sid = job.sid;
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.ArrayDeque<CompletableFuture<IQ>> window = new java.util.ArrayDeque<>();
        try {
            files.attach(job, () -> stop.set(true));
            awaitAnswer(peer, new org.jivesoftware.smackx.bytestreams.ibb.packet.Open(sid, BLOCK), sid + "-open");
            files.active(job);
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
                    files.progress(job, done);
                }
                while (!window.isEmpty()) {
                    expectResult(window.poll());
                }
            }
            IQ closed = await(ask(peer, new org.jivesoftware.smackx.bytestreams.ibb.packet.Close(sid), sid + "-close"));
            if (closed instanceof ErrorIQ refused) {
                files.fail(job, "the file arrived damaged at " + peer.name() + " ("
                        + refused.getError().getDescriptiveText() + ")");
                return;
            }
            files.finish(job, TransferState.DONE, "");
        } catch (IOException | RuntimeException e) {
            files.stopped(job, e);
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
        files.send(peer, request);
        return answer;
    }

    void awaitAnswer(PeerId peer, IQ request, String id) throws IOException {
        expectResult(ask(peer, request, id));
    }

    void expectResult(CompletableFuture<IQ> answer) throws IOException {
        IQ got = await(answer);
        if (got instanceof ErrorIQ error) {
            throw new IOException("they refused a block (" + error.getError().getCondition() + ")");
        }
    }

    private IQ await(CompletableFuture<IQ> answer) throws IOException {
        try {
            return answer.get(FileTransfers.stallTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("stalled: no answer for " + FileTransfers.stallTimeout().toSeconds() + " s", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            throw new IOException("no answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("stopped");
        }
    }

    /** Where a peer's in-band blocks go: the partial file, hashed as they come. */
    static final class Sink implements AutoCloseable {
        final java.nio.channels.FileChannel channel;
        final java.security.MessageDigest digest;
        int nextSeq;
        long done;

        Sink(Path part) throws IOException {
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

    void inBandOpened(PeerId peer, org.jivesoftware.smackx.bytestreams.ibb.packet.Open open) {
        TransferJob job;
        synchronized (files) {
            job = files.incoming(peer, open.getSessionID());
            if (job == null || job.transfer.state() != TransferState.CONNECTING || !FileOffer.IBB.equals(job.method)) {
                job = null;
            }
        }
        if (job == null || open.getBlockSize() <= 0 || open.getBlockSize() > 65_535) {
            files.reply(peer, FileTransfers.error(open, StanzaError.Condition.not_acceptable, "no in-band transfer with that id waits"));
            return;
        }
        try {
            Sink sink = new Sink(Path.of(job.transfer.file()));
            files.attach(job, sink);
            synchronized (files) {
                job.sink = sink;
            }
            files.active(job);
            files.reply(peer, IQ.createResultIQ(open));
        } catch (IOException e) {
            files.reply(peer, FileTransfers.error(open, StanzaError.Condition.resource_constraint, FileData.explain(e)));
            files.stopped(job, e);
        }
    }

    /**
     * One block, written here on the stream's reader (a 32 KiB write): the answer that lets the
     * sender go on leaves only once it is on disk.
     */
    void inBandData(PeerId peer, org.jivesoftware.smackx.bytestreams.ibb.packet.Data data) {
        String sid = data.getDataPacketExtension().getSessionID();
        TransferJob job;
        Sink sink;
        synchronized (files) {
            job = files.incoming(peer, sid);
            sink = job == null ? null : job.sink;
        }
        if (sink == null) {
            files.reply(peer, FileTransfers.error(data, StanzaError.Condition.item_not_found, "no in-band transfer with that id is open"));
            return;
        }
        if (data.getDataPacketExtension().getSeq().intValue() != sink.nextSeq) {
            files.reply(peer, FileTransfers.error(data, StanzaError.Condition.unexpected_request, "a block is missing"));
            files.interrupt(job, "a block went missing");
            return;
        }
        byte[] bytes = data.getDataPacketExtension().getDecodedData();
        if (bytes == null) {
            files.reply(peer, FileTransfers.error(data, StanzaError.Condition.bad_request, "not base64"));
            files.interrupt(job, "a block could not be read");
            return;
        }
        if (sink.done + bytes.length > job.transfer.size()) {
            files.reply(peer, FileTransfers.error(data, StanzaError.Condition.not_acceptable, "more than declared"));
            FileTransfers.deleteQuietly(Path.of(job.transfer.file()));
            files.fail(job, new FileData.TooMuchData(job.transfer.size()).getMessage() + "; nothing was kept");
            return;
        }
        try {
            FileData.writeFully(sink.channel, bytes, bytes.length);
        } catch (IOException e) {
            files.reply(peer, FileTransfers.error(data, StanzaError.Condition.resource_constraint, FileData.explain(e)));
            files.stopped(job, e);
            return;
        }
        sink.digest.update(bytes);
        sink.done += bytes.length;
        sink.nextSeq = (sink.nextSeq + 1) & 0xFFFF;
        files.reply(peer, IQ.createResultIQ(data));
        files.progress(job, sink.done);
    }

    /** The sender is done: all of it here and the hash right → the file, and a result; else an error. */
    void inBandClosed(PeerId peer, org.jivesoftware.smackx.bytestreams.ibb.packet.Close close) {
        TransferJob job;
        Sink sink;
        synchronized (files) {
            job = files.incoming(peer, close.getSessionID());
            sink = job == null ? null : job.sink;
        }
        if (sink == null) {
            files.reply(peer, FileTransfers.error(close, StanzaError.Condition.item_not_found, "no in-band transfer with that id is open"));
            return;
        }
        Path part = Path.of(job.transfer.file());
        try {
            sink.channel.force(false);
            sink.close();
            if (sink.done < job.transfer.size()) {
                files.reply(peer, IQ.createResultIQ(close));
                files.interrupt(job, "the sender stopped after " + sink.done + " of " + job.transfer.size() + " bytes");
                return;
            }
            String got = java.util.HexFormat.of().formatHex(sink.digest.digest());
            String expected = job.transfer.sha256();
            if (!expected.isEmpty() && !expected.equals(got)) {
                FileTransfers.deleteQuietly(part);
                files.reply(peer, FileTransfers.error(close, StanzaError.Condition.not_acceptable, "its SHA-256 differs from the one offered"));
                files.fail(job, "the file arrived damaged (its SHA-256 differs from the one offered); nothing was kept");
                return;
            }
            Path done = FileTransfers.place(part, job.transfer.name());
            synchronized (files) {
                job.transfer = job.transfer.withFile(done.toString()).withSha256(expected.isEmpty() ? got : expected);
            }
            files.reply(peer, IQ.createResultIQ(close));
            files.finish(job, TransferState.DONE, expected.isEmpty() ? "not checked: the sender gave no hash" : "");
        } catch (IOException e) {
            files.reply(peer, FileTransfers.error(close, StanzaError.Condition.resource_constraint, FileData.explain(e)));
            files.stopped(job, e);
        }
    }
}
