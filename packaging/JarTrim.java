import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Trims the library jars an installer ships, the same way on every system (the build scripts under
 * packaging/ run it with the JDK that builds the package: {@code java packaging/JarTrim.java DIR}).
 * <ul>
 * <li>BouncyCastle's jars lose their signature, and the entry that names them as security providers.
 * A signed jar costs at every start (the JVM checks the signature and each class's digest as its
 * classes load: 0.24 s of a start measured on Linux; class-data sharing leaves signed jars out too),
 * and OpenJDK asks no signature of a provider, which Pronto does not register them as anyway. Without
 * the services entry, a provider look-up that misses does not make BouncyCastle's two providers (~450
 * classes) just to ask them.</li>
 * <li>sqlite-jdbc keeps only the native library for this system and processor (it carries one for
 * every pair).</li>
 * </ul>
 * The Maven build and the tests use the jars as published. Prints what it removed.
 */
public final class JarTrim {
    private static final String NATIVE = "org/sqlite/native/";

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java packaging/JarTrim.java FOLDER_OF_JARS");
            System.exit(2);
        }
        String kept = NATIVE + nativeFolder(System.getProperty("os.name"), System.getProperty("os.arch")) + "/";
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (name.startsWith("bc")) {
                    trim(jar, JarTrim::signatureOrProvider);
                } else if (name.startsWith("sqlite-jdbc-")) {
                    requireNative(jar, kept);
                    trim(jar, entry -> entry.startsWith(NATIVE) && !entry.startsWith(kept));
                }
            }
        }
    }

    /** sqlite-jdbc's folder for a system and processor, as its own loader names them. */
    static String nativeFolder(String osName, String osArch) {
        String system;
        if (osName.startsWith("Linux")) {
            system = "Linux";
        } else if (osName.startsWith("Mac")) {
            system = "Mac";
        } else if (osName.startsWith("Windows")) {
            system = "Windows";
        } else {
            throw new IllegalArgumentException("no installer for " + osName);
        }
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> throw new IllegalArgumentException("no installer for " + osArch);
        };
        return system + "/" + arch;
    }

    /** Without this system's library the package could not open its history: stop before removing the others. */
    private static void requireNative(Path jar, String kept) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            Path folder = zip.getPath("/" + kept);
            boolean found;
            try (Stream<Path> files = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
                found = files.anyMatch(Files::isRegularFile);
            }
            if (!found) {
                throw new IllegalStateException(jar.getFileName() + " has no native library in " + kept);
            }
        }
    }

    private static boolean signatureOrProvider(String entry) {
        return entry.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)") || entry.equals("META-INF/services/java.security.Provider");
    }

    /** Removes the files that {@code removed} names (paths inside the jar), then the folders left empty. */
    private static void trim(Path jar, Predicate<String> removed) throws IOException {
        int count = 0;
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            Path root = zip.getPath("/");
            List<Path> files;
            try (Stream<Path> all = Files.walk(root)) {
                files = all.filter(Files::isRegularFile).filter(file -> removed.test(inside(root, file))).toList();
            }
            for (Path file : files) {
                Files.delete(file);
                count++;
            }
            List<Path> folders;
            try (Stream<Path> all = Files.walk(root)) {
                folders = all.filter(Files::isDirectory).filter(folder -> !folder.equals(root))
                        .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
            }
            for (Path folder : folders) {
                try (Stream<Path> left = Files.list(folder)) {
                    if (left.findAny().isEmpty() && removed.test(inside(root, folder) + "/x")) {
                        Files.delete(folder);
                    }
                }
            }
        }
        System.out.println(jar.getFileName() + ": " + count + " files removed");
    }

    private static String inside(Path root, Path path) {
        return root.relativize(path).toString();
    }
}
