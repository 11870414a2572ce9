package chat.pronto.app;

import java.nio.file.Path;

/**
 * Where Pronto keeps its files. The one place that reads the environment for paths: packaging can
 * point it elsewhere with {@code -Dpronto.dataDir=…}, and tests never touch the user's folders.
 */
final class AppPaths {
    private AppPaths() {
    }

    /** {@code $XDG_DATA_HOME/pronto}, else {@code ~/.local/share/pronto} (on Windows {@code %APPDATA%\Pronto}). */
    static Path dataDirectory() {
        String configured = System.getProperty("pronto.dataDir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String appData = System.getenv("APPDATA");
        if (appData != null && System.getProperty("os.name", "").startsWith("Windows")) {
            return Path.of(appData, "Pronto");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "pronto");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "pronto");
    }
}
