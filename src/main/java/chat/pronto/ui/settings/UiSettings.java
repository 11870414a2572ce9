package chat.pronto.ui.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import chat.pronto.settings.PropertiesFile;

/**
 * What the window remembers between runs (theme, size, position, notifications), in
 * {@code ui.properties} in the data folder; what the core uses is in {@code chat.pronto.settings}.
 * Read before the window opens and written after it closes: never on the FX thread.
 */
public final class UiSettings {
    /** LIGHT, DARK, or SYSTEM: whatever the desktop prefers (looked up once at start). */
    public enum Theme { LIGHT, DARK, SYSTEM }

    private final Path file;
    private Theme theme = Theme.LIGHT;
    private double x = Double.NaN;
    private double y = Double.NaN;
    private double width = 1000;
    private double height = 680;
    private boolean notifications = true;
    private boolean sound;
    /** What the desktop prefers; not stored (asked again at every start). */
    private boolean systemPrefersDark;

    private UiSettings(Path file) {
        this.file = file;
    }

    /** Settings from {@code file}; a missing or damaged file gives the defaults, never an error. */
    public static UiSettings load(Path file) {
        UiSettings settings = new UiSettings(file);
        if (file == null) {
            return settings;
        }
        try {
            Properties stored = PropertiesFile.read(file);
            settings.theme = Theme.valueOf(stored.getProperty("theme", "LIGHT").toUpperCase(Locale.ROOT));
            settings.x = Double.parseDouble(stored.getProperty("window.x", "NaN"));
            settings.y = Double.parseDouble(stored.getProperty("window.y", "NaN"));
            settings.width = Math.max(720, Double.parseDouble(stored.getProperty("window.width", "1000")));
            settings.height = Math.max(480, Double.parseDouble(stored.getProperty("window.height", "680")));
            settings.notifications = Boolean.parseBoolean(stored.getProperty("notifications", "true"));
            settings.sound = Boolean.parseBoolean(stored.getProperty("sound", "false"));
        } catch (IOException | IllegalArgumentException damaged) {
            return new UiSettings(file);
        }
        return settings;
    }

    /** Writes atomically (a crash mid-write leaves the old file). */
    public synchronized void save() throws IOException {
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
        stored.setProperty("notifications", Boolean.toString(notifications));
        stored.setProperty("sound", Boolean.toString(sound));
        PropertiesFile.writeAtomically(file, stored, "Pronto: window settings");
    }

    /** Desktop notifications for messages that arrive while the window is not in front. */
    public synchronized boolean notifications() {
        return notifications;
    }

    public synchronized void notifications(boolean value) {
        notifications = value;
    }

    public synchronized boolean sound() {
        return sound;
    }

    public synchronized void sound(boolean value) {
        sound = value;
    }

    /** Where these settings live (shown to the user as the data folder). */
    public synchronized Path file() {
        return file;
    }

    public synchronized void systemPrefersDark(boolean value) {
        systemPrefersDark = value;
    }

    /** Whether the window should be dark now: chosen so, or the system's choice when SYSTEM. */
    public synchronized boolean dark() {
        return theme == Theme.DARK || theme == Theme.SYSTEM && systemPrefersDark;
    }

    public synchronized Theme theme() {
        return theme;
    }

    public synchronized void theme(Theme value) {
        theme = value;
    }

    public synchronized double x() {
        return x;
    }

    public synchronized double y() {
        return y;
    }

    public synchronized double width() {
        return width;
    }

    public synchronized double height() {
        return height;
    }

    public synchronized void window(double newX, double newY, double newWidth, double newHeight) {
        x = newX;
        y = newY;
        width = newWidth;
        height = newHeight;
    }
}
