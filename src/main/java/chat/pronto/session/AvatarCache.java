package chat.pronto.session;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.AvatarHash;

/**
 * Peers' pictures, each in a file named by its SHA-1 ({@code phsh}) in one folder of the data
 * directory: a picture is fetched once, ever (also across restarts), and two peers with the same
 * picture share its file. What is read is checked against its name again (a damaged file is removed
 * and fetched anew). A new file is written beside its place and moved there, so a crash never leaves
 * half a picture under a hash. Without a folder (tests), pictures are kept in memory. Thread-safe.
 */
final class AvatarCache {
    private static final Logger LOG = LoggerFactory.getLogger(AvatarCache.class);
    /** Beyond this many files, the least recently written go at start (a crowded office LAN for years). */
    static final int MAX_FILES = 2000;
    private static final String PART = ".part";

    private final Path folder;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> memory = new ConcurrentHashMap<>();

    private AvatarCache(Path folder) {
        this.folder = folder;
    }

    static AvatarCache inFolder(Path folder) {
        return new AvatarCache(folder);
    }

    static AvatarCache inMemory() {
        return new AvatarCache(null);
    }

    /** Takes stock of the folder (making it if needed): leftovers of a crash go, and the oldest beyond {@link #MAX_FILES}. */
    void load() throws IOException {
        if (folder == null) {
            return;
        }
        Files.createDirectories(folder);
        List<Path> pictures = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(PART)) {
                    Files.deleteIfExists(file);
                } else if (AvatarHash.parse(name).filter(name::equals).isPresent() && Files.isRegularFile(file)) {
                    pictures.add(file);
                }
            }
        }
        if (pictures.size() > MAX_FILES) {
            pictures.sort(Comparator.comparing(AvatarCache::modified).reversed());
            for (Path old : pictures.subList(MAX_FILES, pictures.size())) {
                Files.deleteIfExists(old);
            }
            pictures = pictures.subList(0, MAX_FILES);
        }
        pictures.forEach(file -> known.add(file.getFileName().toString()));
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Whether the picture named {@code hash} is here (no disk access). */
    boolean has(String hash) {
        return known.contains(hash);
    }

    /** Keeps {@code picture} under {@code hash}, which must be its SHA-1. */
    void store(String hash, byte[] picture) throws IOException {
        if (!AvatarHash.of(picture).equals(hash)) {
            throw new IllegalArgumentException("the picture is not the one named " + hash);
        }
        if (folder == null) {
            memory.put(hash, picture.clone());
        } else {
            Files.createDirectories(folder);
            Path part = folder.resolve(hash + PART);
            Files.write(part, picture);
            try {
                Files.move(part, folder.resolve(hash), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, folder.resolve(hash), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        known.add(hash);
    }

    /** The picture named {@code hash}; empty when it is not here (or its file no longer matches its name). */
    Optional<byte[]> read(String hash) throws IOException {
        if (AvatarHash.parse(hash).filter(hash::equals).isEmpty() || !known.contains(hash)) {
            return Optional.empty();
        }
        byte[] picture;
        if (folder == null) {
            picture = memory.get(hash);
            picture = picture == null ? null : picture.clone();
        } else {
            try {
                picture = Files.readAllBytes(folder.resolve(hash));
            } catch (NoSuchFileException gone) {
                picture = null;
            }
        }
        if (picture == null || !AvatarHash.of(picture).equals(hash)) {
            LOG.info("the stored picture {} is missing or damaged: it is fetched again", hash);
            known.remove(hash);
            if (folder != null) {
                Files.deleteIfExists(folder.resolve(hash));
            }
            return Optional.empty();
        }
        return Optional.of(picture);
    }
}
