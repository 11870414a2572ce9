package chat.pronto.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes secrets so that only the user can read them and a crash never leaves half a file. */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> FOLDER =
            PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    public static void writeAtomically(Path directory, String name, byte[] content) throws IOException {
        makePrivateFolder(directory);
        Path temporary = POSIX
                ? Files.createTempFile(directory, name, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, name, ".tmp");
        try {
            // On disk before it takes the old file's place, and the rename on disk too: a power cut
            // leaves the old pins or the new ones, never an empty file.
            try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                file.write(ByteBuffer.wrap(content));
                file.force(true);
            }
            try {
                Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            syncFolder(directory);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Creates {@code directory} readable by the user only, and tightens an existing one: a data
     * folder made by an older version, or by hand, may follow the umask (0755).
     */
    public static void makePrivateFolder(Path directory) throws IOException {
        if (!POSIX) {
            Files.createDirectories(directory);
            return;
        }
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(FOLDER));
        if (!Files.getPosixFilePermissions(directory).equals(FOLDER)) {
            Files.setPosixFilePermissions(directory, FOLDER);
        }
    }

    private static void syncFolder(Path directory) {
        try (FileChannel folder = FileChannel.open(directory, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException notSupported) {
            // Some systems cannot open a folder for syncing; the file itself is on disk.
        }
    }
}
