package chat.pronto.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny tmpfs that fills up quickly, for testing a full disk. The tests' JVM runs in a mount
 * namespace of its own (src/test/private-network), so mounting it changes nothing on the machine,
 * and it vanishes with the JVM at the latest.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    public static SmallDisk ofKilobytes(int kilobytes) throws IOException, InterruptedException {
        Path mountPoint = Scratch.directory("small-disk-");
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k", "tmpfs", mountPoint.toString()));
        return new SmallDisk(mountPoint);
    }

    /** Whether one can be mounted here (root, or a user namespace, inside the tests' own mount namespace). */
    public static boolean available() {
        try {
            SmallDisk probe = ofKilobytes(64);
            probe.close();
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The small disk's top folder. */
    public Path root() {
        return root;
    }

    /** Writes a file until the disk is full; returns it (delete it to give the space back). */
    public Path fillUp() throws IOException {
        Path ballast = root.resolve("ballast");
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            return ballast;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("umount", "-l", root.toString()));
        Files.deleteIfExists(root);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
