package chat.pronto.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Moves a file's bytes between a disk and a data connection, streamed through one buffer (memory
 * stays flat whatever the size), hashing as they go.
 */
public final class FileData {
    /** Large enough that a TLS record and a disk write each carry many kilobytes per system call. */
    static final int BUFFER = 256 * 1024;

    /** Told the bytes moved so far (counting what earlier attempts moved), after every buffer. */
    public interface Progress {
        void moved(long done);
    }

    /** The peer sent more than it declared: refused, whatever the bytes were. */
    public static final class TooMuchData extends IOException {
        public TooMuchData(long size) {
            super("the sender sent more than the " + size + " bytes it declared");
        }
    }

    private FileData() {
    }

    /**
     * Writes bytes {@code offset} to {@code size} of {@code file} (it must not have changed since its hash),
     * at most {@code bytesPerSecond} a second when that is positive (a user who wants the link for others).
     */
    public static void send(Path file, long offset, long size, OutputStream out, long bytesPerSecond,
                            Progress progress) throws IOException {
        long started = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != size) {
                throw new IOException(file.getFileName() + " changed since it was offered (" + channel.size()
                        + " bytes now, " + size + " offered)");
            }
            channel.position(offset);
            byte[] bytes = new byte[BUFFER];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            // Paced, a buffer is a tenth of a second's worth at most: progress (which the stall watch reads) keeps coming.
            int chunk = bytesPerSecond > 0 ? (int) Math.max(4096, Math.min(BUFFER, bytesPerSecond / 10)) : BUFFER;
            long done = offset;
            while (done < size) {
                buffer.clear();
                buffer.limit((int) Math.min(chunk, size - done));
                int read = channel.read(buffer);
                if (read < 0) {
                    throw new IOException(file.getFileName() + " got shorter while it was being sent");
                }
                out.write(bytes, 0, read);
                done += read;
                progress.moved(done);
                if (bytesPerSecond > 0) {
                    pace(started, done - offset, bytesPerSecond);
                }
            }
            out.flush();
        }
    }

    /**
     * Appends to {@code part} (its length so far is where the sender started) until it holds
     * {@code size} bytes, then checks that nothing more comes: a sender that closes its side says so at
     * once; one that keeps the connection open (libpurple) gets {@code quiet} to send a stray byte.
     *
     * @return lower-case hex SHA-256 of the whole file (the part that was there first included)
     * @throws EOFException when the connection ends early: the part keeps what arrived
     */
    public static String receive(Socket socket, InputStream in, Path part, long size, Duration quiet,
                                 Progress progress) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long done = channel.size();
            if (done > size) {
                throw new TooMuchData(size);
            }
            byte[] bytes = new byte[BUFFER];
            hashPrefix(channel, done, digest, bytes);
            channel.position(done);
            while (done < size) {
                int read = in.read(bytes, 0, (int) Math.min(BUFFER, size - done));
                if (read < 0) {
                    channel.force(false); // what arrived is kept for the resume
                    throw new EOFException("the connection ended after " + done + " of " + size + " bytes");
                }
                digest.update(bytes, 0, read);
                writeFully(channel, bytes, read);
                done += read;
                progress.moved(done);
            }
            channel.force(false);
        }
        socket.setSoTimeout((int) Math.max(1, quiet.toMillis()));
        try {
            if (in.read() >= 0) {
                throw new TooMuchData(size);
            }
        } catch (SocketTimeoutException stillOpen) {
            // Nothing more within the quiet time: a sender that keeps the connection open until we close it.
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Sleeps while {@code sent} bytes are ahead of the rate. */
    private static void pace(long started, long sent, long bytesPerSecond) throws IOException {
        long due = started + sent * 1_000_000_000L / bytesPerSecond;
        long ahead = due - System.nanoTime();
        if (ahead > 0) {
            try {
                Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("stopped while pacing");
            }
        }
    }

    /** Writes the first {@code length} bytes of {@code bytes} at the channel's position (a write may take part of them). */
    public static void writeFully(FileChannel channel, byte[] bytes, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** A SHA-256 fed with what {@code file} holds now (the start of a file that more bytes will follow). */
    public static MessageDigest digestOf(Path file) throws IOException {
        MessageDigest digest = sha256();
        if (java.nio.file.Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                hashPrefix(channel, channel.size(), digest, new byte[BUFFER]);
            }
        }
        return digest;
    }

    /** Lower-case hex SHA-256 of {@code file}, read once. */
    public static String sha256(Path file, Progress progress) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            hashPrefix(channel, channel.size(), digest, new byte[BUFFER], progress);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void hashPrefix(FileChannel channel, long length, MessageDigest digest, byte[] bytes)
            throws IOException {
        hashPrefix(channel, length, digest, bytes, done -> { });
    }

    private static void hashPrefix(FileChannel channel, long length, MessageDigest digest, byte[] bytes,
                                   Progress progress) throws IOException {
        channel.position(0);
        long done = 0;
        while (done < length) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, (int) Math.min(bytes.length, length - done));
            int read = channel.read(buffer);
            if (read < 0) {
                throw new EOFException("the file got shorter while it was read");
            }
            digest.update(bytes, 0, read);
            done += read;
            progress.moved(done);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** A sentence for a failed disk write ("No space left on device" says it least clearly). */
    public static String explain(IOException failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("No space left") || message.contains("Disk quota exceeded")) {
            return "the disk is full: free some space and it resumes where it stopped";
        }
        return message;
    }
}
