package chat.pronto.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where received files land (issue 14): {@code Pronto/} in the user's download folder — the XDG one
 * ({@code XDG_DOWNLOAD_DIR} in {@code ~/.config/user-dirs.dirs}), else {@code ~/Downloads} — or a
 * folder the user chose. A file is claimed under a name no other file has, {@code name (1).ext} and
 * so on, atomically (two transfers of {@code photo.jpg} at once get two files), and made without an
 * executable bit.
 */
public final class DownloadFolder {
    static final String SUBFOLDER = "Pronto";
    /** How many numbered names are tried before giving up (a folder full of copies is a mistake somewhere). */
    static final int MAX_COPIES = 9_999;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?> NOT_EXECUTABLE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

    private final Path folder;

    public DownloadFolder(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** The default: {@code Pronto/} in the user's download folder, from {@code home} and the environment. */
    public static DownloadFolder standard(Path home, Map<String, String> environment) {
        Path config = Optional.ofNullable(environment.get("XDG_CONFIG_HOME")).filter(value -> !value.isBlank())
                .map(Path::of).filter(Path::isAbsolute).orElse(home.resolve(".config"));
        Path downloads = xdgDownloadDir(config.resolve("user-dirs.dirs"), home).orElse(home.resolve("Downloads"));
        return new DownloadFolder(downloads.resolve(SUBFOLDER));
    }

    public Path path() {
        return folder;
    }

    /**
     * Creates an empty file for {@code offered} (cleaned by {@link ReceivedNames}) that no other file
     * had: the name itself, else {@code stem (1).ext}, {@code stem (2).ext}…; the folder is made if it
     * is missing. Its permissions are {@code rw-r--r--} at most (the umask may take more away).
     */
    public Path claim(String offered) throws IOException {
        Files.createDirectories(folder);
        String name = ReceivedNames.clean(offered);
        String extension = ReceivedNames.extension(name);
        String stem = name.substring(0, name.length() - extension.length());
        for (int copy = 0; copy <= MAX_COPIES; copy++) {
            String candidate = copy == 0 ? name : numbered(stem, copy, extension);
            Path file = folder.resolve(candidate);
            if (!file.getParent().equals(folder)) {
                throw new IOException("refusing a name outside the download folder: " + candidate);
            }
            try {
                return POSIX ? Files.createFile(file, NOT_EXECUTABLE) : Files.createFile(file);
            } catch (FileAlreadyExistsException taken) {
                // the next number
            }
        }
        throw new IOException("the download folder " + folder + " already holds " + MAX_COPIES + " copies of " + name);
    }

    /** {@code stem (n).ext}, the stem shortened so that the number and extension always fit. */
    static String numbered(String stem, int copy, String extension) {
        String suffix = " (" + copy + ")" + extension;
        return ReceivedNames.prefixWithin(stem, ReceivedNames.MAX_BYTES - ReceivedNames.bytes(suffix)) + suffix;
    }

    /**
     * {@code XDG_DOWNLOAD_DIR} from a {@code user-dirs.dirs} file: {@code XDG_DOWNLOAD_DIR="$HOME/Downloads"}
     * or an absolute path, in double quotes (the only forms the file's specification allows). A value
     * that is the home folder itself means "no download folder" (xdg-user-dirs writes that when the
     * folder was removed), so the default is used.
     */
    static Optional<Path> xdgDownloadDir(Path userDirs, Path home) {
        List<String> lines;
        try {
            lines = Files.readAllLines(userDirs, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        for (String line : lines) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("XDG_DOWNLOAD_DIR=")) {
                continue;
            }
            String value = trimmed.substring("XDG_DOWNLOAD_DIR=".length());
            if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
                return Optional.empty();
            }
            value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
            Path path;
            if (value.startsWith("$HOME/")) {
                path = home.resolve(value.substring("$HOME/".length()));
            } else if (value.equals("$HOME")) {
                path = home;
            } else if (value.startsWith("/")) {
                path = Path.of(value);
            } else {
                return Optional.empty();
            }
            path = path.normalize();
            return path.equals(home.normalize()) ? Optional.empty() : Optional.of(path);
        }
        return Optional.empty();
    }
}
