package chat.pronto.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether the desktop prefers dark windows: GNOME's (and most freedesktop desktops') colour-scheme
 * setting, asked once at start with a short timeout. Anything else, or no answer: light.
 */
final class SystemTheme {
    private SystemTheme() {
    }

    static boolean prefersDark() {
        try {
            Process process = new ProcessBuilder(List.of("gsettings", "get", "org.gnome.desktop.interface",
                    "color-scheme")).redirectErrorStream(true).start();
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            String answer = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer.contains("prefer-dark");
        } catch (IOException e) {
            return false; // no gsettings: not a GNOME-like desktop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
