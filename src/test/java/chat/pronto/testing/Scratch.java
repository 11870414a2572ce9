package chat.pronto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Folders for the files tests and benchmarks make (histories, identities, labs' logs), all under one
 * folder per JVM, {@code pronto-tests-<pid>-…} in the system's temporary folder. That folder goes when
 * the JVM ends, unless a test failed in it ({@link #keep}: its files are what the failure message points
 * at) or {@code -Dpronto.keepTestFiles=true} asks to keep it. A JVM that was killed cannot clean up: the
 * next one removes such a folder when its JVM is gone and nothing asked to keep it. Before, every core
 * and lab left its folder in /tmp: thousands a day, gigabytes.
 */
public final class Scratch {
    /** Asks to keep this JVM's test files. */
    public static final String KEEP_PROPERTY = "pronto.keepTestFiles";
    private static final String PREFIX = "pronto-tests-";
    /** Written into the folder when it is to be kept, so that no later JVM removes it either. */
    private static final String KEPT_MARK = "KEPT";

    private static Path root;
    private static Path forChildren;

    private Scratch() {
    }

    /** A new, empty folder whose name starts with {@code prefix}. */
    public static Path directory(String prefix) throws IOException {
        return Files.createTempDirectory(root(), prefix);
    }

    /** The temporary folder for the JVMs this one starts: their left-overs go with this JVM's files. */
    public static synchronized Path forChildren() {
        try {
            if (forChildren == null) {
                forChildren = directory("children-");
            }
            return forChildren;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps this JVM's files after it ends (a test failed), and says where they are. */
    public static synchronized void keep(String why) {
        try {
            Path marked = root().resolve(KEPT_MARK);
            if (!Files.exists(marked)) {
                Files.writeString(marked, why + System.lineSeparator());
                System.err.println("Test files kept in " + root() + " (" + why + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This JVM's folder, made (and older JVMs' left-overs removed) on first use. */
    static synchronized Path root() throws IOException {
        if (root == null) {
            Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
            removeLeftOvers(temporary);
            root = Files.createTempDirectory(temporary, PREFIX + ProcessHandle.current().pid() + "-");
            Path mine = root;
            Thread cleaner = new Thread(() -> removeUnlessKept(mine), "pronto-test-files-cleaner");
            Runtime.getRuntime().addShutdownHook(cleaner);
        }
        return root;
    }

    private static void removeUnlessKept(Path folder) {
        if (Boolean.getBoolean(KEEP_PROPERTY)) {
            System.err.println("Test files kept in " + folder + " (-D" + KEEP_PROPERTY + "=true)");
            return;
        }
        if (!Files.exists(folder.resolve(KEPT_MARK))) {
            deleteQuietly(folder);
        }
    }

    /** Folders of JVMs that are gone (killed: no shutdown hook ran) and that nobody asked to keep. */
    private static void removeLeftOvers(Path temporary) throws IOException {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(temporary, PREFIX + "*")) {
            for (Path folder : folders) {
                Optional<Long> pid = pidOf(folder.getFileName().toString());
                boolean gone = pid.isPresent() && ProcessHandle.of(pid.get()).map(jvm -> !jvm.isAlive()).orElse(true);
                if (gone && !Files.exists(folder.resolve(KEPT_MARK))) {
                    deleteQuietly(folder);
                }
            }
        }
    }

    static Optional<Long> pidOf(String folderName) {
        String rest = folderName.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return Optional.of(Long.parseLong(dash < 0 ? rest : rest.substring(0, dash)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Best effort: a file a lab's root process still holds open must not stop the rest going. */
    static void deleteQuietly(Path folder) {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        // left, and so is its folder
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    try {
                        Files.deleteIfExists(directory);
                    } catch (IOException notEmpty) {
                        // something in it could not go: leave the folder
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // another JVM removed it first
        } catch (IOException e) {
            System.err.println("Could not remove " + folder + ": " + e);
        }
    }
}
