package chat.pronto.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import chat.pronto.model.FilePolicy;
import chat.pronto.model.Problem;

/**
 * What the user chose for the core: the names and contacts published over mDNS, whether to refuse
 * peers that cannot encrypt, when to close idle streams and which networks to use. Kept in
 * {@code settings.properties} in the data folder, so the terminal and the window start the same way.
 * Loading and saving touch the disk: callers keep them off the FX thread.
 */
public final class Preferences {
    public static final String FILE_NAME = "settings.properties";
    /** Where Pronto kept these before they had a file of their own (beside the window's settings). */
    static final String OLDER_FILE_NAME = "ui.properties";
    public static final long DEFAULT_IDLE_SECONDS = 180;
    /** The shortest idle time kept: a smaller one, saved or set, is raised to it. */
    public static final long MIN_IDLE_SECONDS = 5;

    /** Null: kept in memory only. */
    private final Path file;
    private String nick;
    private String firstName;
    private String lastName;
    private String email;
    private String jid;
    private boolean requireEncryption;
    private boolean syncEveryCommit;
    private long idleSeconds = DEFAULT_IDLE_SECONDS;
    private String interfaces = "";
    private FilePolicy files = FilePolicy.defaults();
    private DnsSd dnsSd = DnsSd.OFF;
    private Problem damage;

    /**
     * Wide-area DNS-SD (finding people through unicast DNS), as the settings keep it; applies at the
     * next start. The TSIG key itself is never kept here, only the file that holds it.
     *
     * @param domains      domains to browse
     * @param askNetwork   also browse the domains the network's DNS offers
     * @param register     the domain to register us in (blank: none)
     * @param server       the DNS server, HOST[:PORT] (blank: the system's)
     * @param tsigKeyFile  the file with the TSIG key, NAME:ALGORITHM:SECRET (blank: none)
     */
    public record DnsSd(List<String> domains, boolean askNetwork, String register, String server, String tsigKeyFile) {
        public static final DnsSd OFF = new DnsSd(List.of(), false, "", "", "");

        public DnsSd {
            domains = domains.stream().map(String::strip).filter(domain -> !domain.isEmpty()).toList();
            register = Objects.requireNonNullElse(register, "").strip();
            server = Objects.requireNonNullElse(server, "").strip();
            tsigKeyFile = Objects.requireNonNullElse(tsigKeyFile, "").strip();
        }

        /** Domains separated by commas or spaces. */
        public static List<String> split(String text) {
            return words(text);
        }
    }

    private Preferences(Path file) {
        this.file = file;
    }

    /**
     * The preferences saved in {@code dataFolder}; a missing file gives the defaults, never an error.
     * A damaged value keeps its default and leaves the others as saved; a file that cannot be read at
     * all gives the defaults. Either way {@link #damage()} says so and encryption is required: what the
     * user chose is unknown, so the safe side. With no {@code settings.properties} yet, an older
     * {@code ui.properties} is read instead, so nothing set before is lost; the next {@link #save()}
     * writes {@code settings.properties}.
     */
    public static Preferences load(Path dataFolder) {
        Path file = dataFolder.resolve(FILE_NAME);
        Path source = Files.exists(file) ? file : dataFolder.resolve(OLDER_FILE_NAME);
        Preferences preferences = new Preferences(file);
        Properties stored;
        try {
            stored = PropertiesFile.read(source);
        } catch (IOException | IllegalArgumentException unreadable) {
            preferences.damaged(source, String.valueOf(unreadable.getMessage()));
            return preferences;
        }
        preferences.nick = blankToNull(stored.getProperty("nick"));
        preferences.firstName = blankToNull(stored.getProperty("first"));
        preferences.lastName = blankToNull(stored.getProperty("last"));
        preferences.email = blankToNull(stored.getProperty("publish.email"));
        preferences.jid = blankToNull(stored.getProperty("publish.jid"));
        String require = stored.getProperty("require.encryption", "false").strip();
        if (require.equalsIgnoreCase("true") || require.equalsIgnoreCase("false")) {
            preferences.requireEncryption = Boolean.parseBoolean(require);
        } else {
            preferences.damaged(source, "require.encryption=" + require);
        }
        String idle = stored.getProperty("idle.seconds", Long.toString(DEFAULT_IDLE_SECONDS)).strip();
        try {
            preferences.idleSeconds = atLeastMinimum(Long.parseLong(idle));
        } catch (NumberFormatException notANumber) {
            preferences.damaged(source, "idle.seconds=" + idle);
        }
        preferences.interfaces = stored.getProperty("interfaces", "").strip();
        String ask = stored.getProperty("dnssd.ask.network", "false").strip();
        if (!ask.equalsIgnoreCase("true") && !ask.equalsIgnoreCase("false")) {
            preferences.damaged(source, "dnssd.ask.network=" + ask);
            ask = "false";
        }
        preferences.dnsSd = new DnsSd(DnsSd.split(stored.getProperty("dnssd.domains", "")), Boolean.parseBoolean(ask),
                stored.getProperty("dnssd.register", ""), stored.getProperty("dnssd.server", ""),
                stored.getProperty("dnssd.tsig.key.file", ""));
        String auto = stored.getProperty("files.auto.accept", "false").strip();
        String cap = stored.getProperty("files.auto.accept.max.mib",
                Long.toString(FilePolicy.DEFAULT_AUTO_ACCEPT_MAX_BYTES >> 20)).strip();
        try {
            if (!auto.equalsIgnoreCase("true") && !auto.equalsIgnoreCase("false")) {
                throw new NumberFormatException("files.auto.accept=" + auto);
            }
            preferences.files = new FilePolicy(stored.getProperty("files.download.folder", ""),
                    Boolean.parseBoolean(auto), Math.max(0, Long.parseLong(cap)) << 20);
        } catch (NumberFormatException bad) {
            preferences.damaged(source, bad.getMessage().startsWith("files.") ? bad.getMessage()
                    : "files.auto.accept.max.mib=" + cap);
        }
        String sync = stored.getProperty("history.sync.every.commit", "false").strip();
        if (sync.equalsIgnoreCase("true") || sync.equalsIgnoreCase("false")) {
            preferences.syncEveryCommit = Boolean.parseBoolean(sync);
        } else {
            preferences.damaged(source, "history.sync.every.commit=" + sync);
        }
        if (preferences.damage != null) {
            preferences.safeSide(); // again: values read after the damaged one must not undo it
        }
        return preferences;
    }

    private void damaged(Path source, String what) {
        safeSide();
        damage = Problem.of(Problem.Kind.SETTINGS_DAMAGED, source, what);
    }

    /** What the user chose is unknown: encryption required, every commit synced, every file asked about. */
    private void safeSide() {
        requireEncryption = true;
        syncEveryCommit = true;
        files = new FilePolicy(files.downloadFolder(), false, files.autoAcceptMaxBytes());
    }

    /** What could not be read when these were loaded; empty once they have been saved again. */
    public synchronized Optional<Problem> damage() {
        return Optional.ofNullable(damage);
    }

    /** Defaults that {@link #save()} never writes anywhere (tests, and runs without a data folder). */
    public static Preferences inMemory() {
        return new Preferences(null);
    }

    /** Writes atomically (a crash mid-write leaves the old file). */
    public synchronized void save() throws IOException {
        if (file == null) {
            return;
        }
        Properties stored = new Properties();
        putIfSet(stored, "nick", nick);
        putIfSet(stored, "first", firstName);
        putIfSet(stored, "last", lastName);
        putIfSet(stored, "publish.email", email);
        putIfSet(stored, "publish.jid", jid);
        stored.setProperty("require.encryption", Boolean.toString(requireEncryption));
        stored.setProperty("idle.seconds", Long.toString(idleSeconds));
        stored.setProperty("interfaces", interfaces);
        stored.setProperty("dnssd.domains", String.join(", ", dnsSd.domains()));
        stored.setProperty("dnssd.ask.network", Boolean.toString(dnsSd.askNetwork()));
        stored.setProperty("dnssd.register", dnsSd.register());
        stored.setProperty("dnssd.server", dnsSd.server());
        stored.setProperty("dnssd.tsig.key.file", dnsSd.tsigKeyFile());
        stored.setProperty("history.sync.every.commit", Boolean.toString(syncEveryCommit));
        stored.setProperty("files.download.folder", files.downloadFolder());
        stored.setProperty("files.auto.accept", Boolean.toString(files.autoAccept()));
        stored.setProperty("files.auto.accept.max.mib", Long.toString(files.autoAcceptMaxBytes() >> 20));
        PropertiesFile.writeAtomically(file, stored, "Pronto: settings");
        damage = null;
    }

    /** Where accepted files go and which are taken without asking; applies at once. */
    public synchronized FilePolicy filePolicy() {
        return files;
    }

    public synchronized void filePolicy(FilePolicy value) {
        files = value;
    }

    /** The name people see; null: not set here (the login name is used). */
    public synchronized String nick() {
        return nick;
    }

    /** Null: not published. */
    public synchronized String firstName() {
        return firstName;
    }

    /** Null: not published. */
    public synchronized String lastName() {
        return lastName;
    }

    /** Published only when set: the user opts in by filling it. */
    public synchronized String email() {
        return email;
    }

    /** Published only when set: the user opts in by filling it. */
    public synchronized String jid() {
        return jid;
    }

    /** Blank means not set. */
    public synchronized void names(String newNick, String first, String last) {
        nick = blankToNull(newNick);
        firstName = blankToNull(first);
        lastName = blankToNull(last);
    }

    /** Blank means not published. */
    public synchronized void contacts(String newEmail, String newJid) {
        email = blankToNull(newEmail);
        jid = blankToNull(newJid);
    }

    /**
     * Whether the history syncs the disk at every commit (safe against a power cut, slower) instead of
     * only surviving a crash of Pronto (the default); applies at the next start.
     */
    public synchronized boolean syncEveryCommit() {
        return syncEveryCommit;
    }

    public synchronized void syncEveryCommit(boolean value) {
        syncEveryCommit = value;
    }

    /** Applies at the next start (streams already open keep what they negotiated). */
    public synchronized boolean requireEncryption() {
        return requireEncryption;
    }

    public synchronized void requireEncryption(boolean value) {
        requireEncryption = value;
    }

    /** How long an unused stream stays open; applies at the next start. */
    public synchronized long idleSeconds() {
        return idleSeconds;
    }

    /** Anything under {@link #MIN_IDLE_SECONDS} becomes that. */
    public synchronized void idleSeconds(long value) {
        idleSeconds = atLeastMinimum(value);
    }

    /**
     * The network interfaces (names or addresses) to find people on; empty: every one that reaches a
     * local network. Applies at the next start.
     */
    public synchronized List<String> interfaces() {
        return words(interfaces);
    }

    /** Names separated by commas or spaces (interfaces, domains). */
    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.split("[,\\s]+")).filter(part -> !part.isBlank()).toList();
    }

    /** Names or addresses separated by commas or spaces; null or blank: all. */
    public synchronized void interfaces(String value) {
        interfaces = Objects.requireNonNullElse(value, "").strip();
    }

    /** Wide-area DNS-SD as set; {@link DnsSd#OFF} by default. */
    public synchronized DnsSd dnsSd() {
        return dnsSd;
    }

    public synchronized void dnsSd(DnsSd value) {
        dnsSd = Objects.requireNonNull(value, "value");
    }

    private static long atLeastMinimum(long seconds) {
        return Math.max(MIN_IDLE_SECONDS, seconds);
    }

    private static void putIfSet(Properties stored, String key, String value) {
        if (value != null) {
            stored.setProperty(key, value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
