package chat.pronto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Optional;

/**
 * Folders for the files tests and benchmarks make (histories, identities, labs' logs), all under one
 * folder per JVM, {@code pronto-tests-<pid>-…} in the system's temporary folder. That folder goes when
 * the JVM ends, unless a test failed in it ({@link #keep}: its files are what the failure message points
 * at) or {@code -Dpronto.keepTestFiles=true} asks to keep it. A JVM that was killed cannot clean up: the
 * next one removes such a folder when its JVM is gone and nothing asked to keep it (only folders of
 * the same user, never through a link). A JVM this one starts gets {@link #childOptions}: its temporary
 * folder is inside this one's, which alone decides whether it all stays. Before, every core and lab
 * left its folder in /tmp: thousands a day, gigabytes.
 */
public final class Scratch {
    /** Asks to keep this JVM's test files. */
    public static final String KEEP_PROPERTY = "pronto.keepTestFiles";
    /** Set for a JVM started by one that uses Scratch: its files are removed, or kept, with the parent's. */
    private static final String PARENT_DECIDES = "pronto.testFilesKeptByParent";
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

    /**
     * A new, empty folder of exactly this name (which must be new in this JVM): a short path, for folders
     * that hold Unix sockets (at most 107 bytes for the whole path).
     */
    public static Path directoryNamed(String name) throws IOException {
        return Files.createDirectory(root().resolve(name));
    }

    /**
     * JVM options for a JVM this one starts: its temporary folder (where SQLite unpacks its native library,
     * and its own Scratch files) inside this JVM's folder, which is removed or kept with everything in it.
     */
    public static synchronized List<String> childOptions() {
        try {
            if (forChildren == null) {
                forChildren = directory("children-");
            }
            return List.of("-Djava.io.tmpdir=" + forChildren, "-D" + PARENT_DECIDES + "=true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps this JVM's files after it ends (a test failed), and says where they are; none made, none kept. */
    public static synchronized void keep(String why) {
        if (root == null) {
            return;
        }
        try {
            Path marked = root.resolve(KEPT_MARK);
            if (!Files.exists(marked)) {
                Files.writeString(marked, why + System.lineSeparator());
                System.err.println("Test files kept in " + root + " (" + why + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This JVM's folder, made (and older JVMs' left-overs removed) on first use. */
    static synchronized Path root() throws IOException {
        if (root == null) {
            Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
            root = Files.createTempDirectory(temporary, PREFIX + ProcessHandle.current().pid() + "-");
            removeLeftOvers(temporary, root);
            if (!Boolean.getBoolean(PARENT_DECIDES)) {
                Path mine = root;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> removeUnlessKept(mine), "pronto-test-files-cleaner"));
            }
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

    /**
     * Folders of JVMs that are gone (killed: no shutdown hook ran) and that nobody asked to keep. Only real
     * folders (not links) of the user this JVM runs as ({@code mine}'s owner): what is inside them is that
     * user's alone (0700), so nobody else can slip a link into the walk.
     */
    private static void removeLeftOvers(Path temporary, Path mine) throws IOException {
        UserPrincipal us = Files.getOwner(mine);
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(temporary, PREFIX + "*")) {
            for (Path folder : folders) {
                if (folder.equals(mine) || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                        || !us.equals(Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS))) {
                    continue;
                }
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

    /** A file that cannot go stays, and so does its folder (not empty then); the rest goes all the same. */
    private static void deleteIfPossible(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left where it is
        }
    }

    /** Best effort: a file a lab's root process still holds open must not stop the rest going. */
    static void deleteQuietly(Path folder) {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    deleteIfPossible(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    deleteIfPossible(directory);
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
