package chat.pronto.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM options of the installed app ({@code packaging/jvm-options}, which the package build
 * hands to jpackage), for lab processes and benchmarks that should run Pronto as it is installed:
 * the collector, heap and compiler thresholds decide much of an idle app's CPU and memory.
 */
public final class InstalledJvm {
    /** Relative to the project's folder, where Maven and the benchmark scripts run. */
    private static final Path OPTIONS = Path.of("packaging", "jvm-options");

    private InstalledJvm() {
    }

    /** Every option, in the order the launcher passes them; blank lines and comments left out. */
    public static List<String> options() {
        try {
            return Files.readAllLines(OPTIONS).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the installed app's JVM options: " + OPTIONS.toAbsolutePath(), e);
        }
    }
}
