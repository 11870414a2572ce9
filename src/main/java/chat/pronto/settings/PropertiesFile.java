package chat.pronto.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/** Reads a {@code .properties} file and writes one so that a crash mid-write leaves the old file whole. */
public final class PropertiesFile {
    private PropertiesFile() {
    }

    /** What {@code file} holds; nothing when it does not exist. */
    public static Properties read(Path file) throws IOException {
        Properties stored = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                stored.load(in);
            }
        }
        return stored;
    }

    /** Writes beside {@code file} first, then moves it into place in one step. */
    public static void writeAtomically(Path file, Properties values, String comment) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            values.store(out, comment);
            // On disk before the rename: a power cut must not leave an empty file in its place.
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
