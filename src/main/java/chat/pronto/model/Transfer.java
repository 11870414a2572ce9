package chat.pronto.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One file sent or received, as the front ends show it and the history keeps it.
 *
 * @param id        ours, stable across resumes (the stream id of each attempt changes)
 * @param name      the file's name: ours as sent, or theirs as offered (cleaned before it touches a disk)
 * @param size      declared size in bytes: more is refused, less is an interruption
 * @param sha256    lower-case hex SHA-256 of the whole file, or empty when the sender gave none (old clients)
 * @param done      bytes that have arrived (or been sent) so far, counting what earlier attempts moved
 * @param file      ours: the file sent; theirs: where it is written (the partial file until DONE, then the file)
 * @param encrypted the bytes travel over TLS with the peer's pinned key (false only with old clients)
 * @param reason    why it failed, was declined or interrupted; empty otherwise
 * @param at        when it was offered
 */
public record Transfer(String id, PeerId peer, Direction direction, String name, long size, String sha256,
                       String mimeType, TransferState state, long done, String file, boolean encrypted,
                       String reason, Instant at) {
    public Transfer {
        Objects.requireNonNull(id);
        Objects.requireNonNull(peer);
        Objects.requireNonNull(direction);
        Objects.requireNonNull(name);
        Objects.requireNonNull(state);
        sha256 = sha256 == null ? "" : sha256;
        mimeType = mimeType == null ? "" : mimeType;
        file = file == null ? "" : file;
        reason = reason == null ? "" : reason;
        if (size < 0 || done < 0) {
            throw new IllegalArgumentException("sizes are never negative");
        }
    }

    public Transfer withState(TransferState next, String why) {
        return new Transfer(id, peer, direction, name, size, sha256, mimeType, next, done, file, encrypted, why, at);
    }

    public Transfer withDone(long bytes) {
        return new Transfer(id, peer, direction, name, size, sha256, mimeType, state, bytes, file, encrypted, reason,
                at);
    }

    /** A size learnt late (an out-of-band offer that gave none, once the sender's server says). */
    public Transfer withSize(long bytes) {
        return new Transfer(id, peer, direction, name, bytes, sha256, mimeType, state, done, file, encrypted, reason,
                at);
    }

    public Transfer withFile(String path) {
        return new Transfer(id, peer, direction, name, size, sha256, mimeType, state, done, path, encrypted, reason,
                at);
    }

    public Transfer withEncrypted(boolean value) {
        return new Transfer(id, peer, direction, name, size, sha256, mimeType, state, done, file, value, reason, at);
    }

    public Transfer withSha256(String value) {
        return new Transfer(id, peer, direction, name, size, value, mimeType, state, done, file, encrypted, reason, at);
    }

    /** 0 to 1. */
    public double progress() {
        return size == 0 ? (state == TransferState.DONE ? 1 : 0) : Math.min(1.0, (double) done / size);
    }
}
