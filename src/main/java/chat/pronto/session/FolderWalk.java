package chat.pronto.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a user picked, with the files of every folder among them in order, each with its place
 * in its folder. Links are not followed (a link to {@code /} must not send the disk); at most
 * {@link #MAX_FILES} files.
 */
final class FolderWalk {
    static final int MAX_FILES = 10_000;

    /** A file and, for one from a folder, its place there ({@code holiday/day 1/beach.jpg}); else empty. */
    record Found(Path path, String inFolder) {
    }

    private FolderWalk() {
    }

    static List<Found> files(List<Path> picked) throws IOException {
        List<Found> found = new ArrayList<>();
        for (Path path : picked) {
            Path absolute = path.toAbsolutePath().normalize();
            if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
                found.add(new Found(absolute, ""));
                continue;
            }
            Path top = absolute.getFileName() == null ? absolute : absolute.getFileName();
            try (Stream<Path> inside = Files.walk(absolute)) {
                for (Path file : (Iterable<Path>) inside.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .sorted()::iterator) {
                    String relative = top + "/" + absolute.relativize(file).toString().replace('\\', '/');
                    found.add(new Found(file, relative));
                    if (found.size() > MAX_FILES) {
                        throw new IOException("more than " + MAX_FILES + " files: send fewer at a time");
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw new IOException("no files there to send");
        }
        return found;
    }
}
