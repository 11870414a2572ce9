package chat.pronto.ui.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * What the window remembers between runs (theme, size, position), in {@code ui.properties} in the
 * data folder. Read before the window opens and written after it closes: never on the FX thread.
 */
public final class UiSettings {
    public enum Theme { LIGHT, DARK }

    private final Path file;
    private Theme theme = Theme.LIGHT;
    private double x = Double.NaN;
    private double y = Double.NaN;
    private double width = 1000;
    private double height = 680;

    private UiSettings(Path file) {
        this.file = file;
    }

    /** Settings from {@code file}; a missing or damaged file gives the defaults, never an error. */
    public static UiSettings load(Path file) {
        UiSettings settings = new UiSettings(file);
        if (file != null && Files.exists(file)) {
            Properties stored = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                stored.load(in);
                settings.theme = Theme.valueOf(stored.getProperty("theme", "LIGHT").toUpperCase(Locale.ROOT));
                settings.x = Double.parseDouble(stored.getProperty("window.x", "NaN"));
                settings.y = Double.parseDouble(stored.getProperty("window.y", "NaN"));
                settings.width = Math.max(720, Double.parseDouble(stored.getProperty("window.width", "1000")));
                settings.height = Math.max(480, Double.parseDouble(stored.getProperty("window.height", "680")));
            } catch (IOException | IllegalArgumentException damaged) {
                return new UiSettings(file);
            }
        }
        return settings;
    }

    /** Writes atomically (a crash mid-write leaves the old file). */
    public void save() throws IOException {
        if (file == null) {
            return;
        }
        Properties stored = new Properties();
        stored.setProperty("theme", theme.name());
        if (!Double.isNaN(x) && !Double.isNaN(y)) {
            stored.setProperty("window.x", Double.toString(x));
            stored.setProperty("window.y", Double.toString(y));
        }
        stored.setProperty("window.width", Double.toString(width));
        stored.setProperty("window.height", Double.toString(height));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            stored.store(out, "Pronto: window settings");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Theme theme() {
        return theme;
    }

    public void theme(Theme value) {
        theme = value;
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    public void window(double newX, double newY, double newWidth, double newHeight) {
        x = newX;
        y = newY;
        width = newWidth;
        height = newHeight;
    }
}
