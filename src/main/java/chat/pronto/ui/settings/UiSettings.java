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
    /** LIGHT, DARK, or SYSTEM: whatever the desktop prefers (looked up once at start). */
    public enum Theme { LIGHT, DARK, SYSTEM }

    private final Path file;
    private Theme theme = Theme.LIGHT;
    private double x = Double.NaN;
    private double y = Double.NaN;
    private double width = 1000;
    private double height = 680;
    private String nick;
    private String firstName;
    private String lastName;
    private String email;
    private String jid;
    private boolean requireEncryption;
    private long idleSeconds = 180;
    private boolean notifications = true;
    private boolean sound;
    private String interfaces = "";
    /** What the desktop prefers; not stored (asked again at every start). */
    private boolean systemPrefersDark;

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
                settings.nick = blankToNull(stored.getProperty("nick"));
                settings.firstName = blankToNull(stored.getProperty("first"));
                settings.lastName = blankToNull(stored.getProperty("last"));
                settings.email = blankToNull(stored.getProperty("publish.email"));
                settings.jid = blankToNull(stored.getProperty("publish.jid"));
                settings.requireEncryption = Boolean.parseBoolean(stored.getProperty("require.encryption", "false"));
                settings.idleSeconds = Math.max(5, Long.parseLong(stored.getProperty("idle.seconds", "180")));
                settings.notifications = Boolean.parseBoolean(stored.getProperty("notifications", "true"));
                settings.sound = Boolean.parseBoolean(stored.getProperty("sound", "false"));
                settings.interfaces = stored.getProperty("interfaces", "").strip();
            } catch (IOException | IllegalArgumentException damaged) {
                return new UiSettings(file);
            }
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
        putIfSet(stored, "nick", nick);
        putIfSet(stored, "first", firstName);
        putIfSet(stored, "last", lastName);
        putIfSet(stored, "publish.email", email);
        putIfSet(stored, "publish.jid", jid);
        stored.setProperty("require.encryption", Boolean.toString(requireEncryption));
        stored.setProperty("idle.seconds", Long.toString(idleSeconds));
        stored.setProperty("notifications", Boolean.toString(notifications));
        stored.setProperty("sound", Boolean.toString(sound));
        stored.setProperty("interfaces", interfaces);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            stored.store(out, "Pronto: window settings");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void putIfSet(Properties stored, String key, String value) {
        if (value != null) {
            stored.setProperty(key, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The names people see; null: not set here (the login name is used, first and last not published). */
    public synchronized String nick() {
        return nick;
    }

    public synchronized String firstName() {
        return firstName;
    }

    public synchronized String lastName() {
        return lastName;
    }

    /** Published only when set: the user opts in by filling them. */
    public synchronized String email() {
        return email;
    }

    public synchronized String jid() {
        return jid;
    }

    public synchronized void names(String newNick, String first, String last) {
        nick = blankToNull(newNick);
        firstName = blankToNull(first);
        lastName = blankToNull(last);
    }

    public synchronized void contacts(String newEmail, String newJid) {
        email = blankToNull(newEmail);
        jid = blankToNull(newJid);
    }

    /** Applies at the next start (streams already open keep what they negotiated). */
    public synchronized boolean requireEncryption() {
        return requireEncryption;
    }

    public synchronized void requireEncryption(boolean value) {
        requireEncryption = value;
    }

    /** Applies at the next start. */
    public synchronized long idleSeconds() {
        return idleSeconds;
    }

    public synchronized void idleSeconds(long value) {
        idleSeconds = Math.max(5, value);
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

    /**
     * The network interfaces (names or addresses) to find people on; empty: every one that reaches a
     * local network. Applies at the next start.
     */
    public synchronized java.util.List<String> interfaces() {
        return interfaces.isBlank() ? java.util.List.of()
                : java.util.Arrays.stream(interfaces.split("[,\\s]+")).filter(part -> !part.isBlank()).toList();
    }

    public synchronized void interfaces(String value) {
        interfaces = value == null ? "" : value.strip();
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
