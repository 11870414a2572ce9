package chat.pronto.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The key fingerprint pinned for each peer instance name (trust on first use). A later, different
 * key for the same name is refused until the user explicitly accepts it.
 */
public final class KnownPeers {
    private static final String FILE_NAME = "known-peers.properties";

    private final Path directory;
    private final Map<String, Fingerprint> pins = new HashMap<>();
    /** Names whose key was taken on first use since Pronto started, which nobody has confirmed yet. */
    private final Set<String> pinnedOnFirstUseNow = new HashSet<>();

    private KnownPeers(Path directory) {
        this.directory = directory;
    }

    /** Pins kept only in memory (tests, benchmarks). */
    public static KnownPeers inMemory() {
        return new KnownPeers(null);
    }

    /**
     * Pins stored in {@code directory}; a line that cannot be read (a bad escape, a damaged key) is
     * skipped, never fatal, and the other pins still hold. Tightens the folder to the user alone.
     */
    public static KnownPeers load(Path directory) throws IOException {
        KnownPeers known = new KnownPeers(directory);
        PrivateFiles.makePrivateFolder(directory);
        Path file = directory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Properties stored = new Properties();
            for (String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                try {
                    stored.load(new java.io.StringReader(line));
                } catch (IllegalArgumentException badEscape) {
                    // Skipped: that peer will be treated as new, which the user sees; nothing crashes.
                }
            }
            for (String name : stored.stringPropertyNames()) {
                try {
                    known.pins.put(name, Fingerprint.parse(stored.getProperty(name)));
                } catch (IllegalArgumentException damaged) {
                    // Skipped: the peer will be treated as new, which the user sees; nothing crashes.
                }
            }
        }
        return known;
    }

    public synchronized PinCheck check(String peer, Fingerprint presented) {
        Fingerprint pinned = pins.get(peer);
        if (pinned == null) {
            return new PinCheck.FirstUse(presented);
        }
        return pinned.equals(presented) ? new PinCheck.Match(presented) : new PinCheck.Changed(pinned, presented);
    }

    public synchronized Optional<Fingerprint> pinned(String peer) {
        return Optional.ofNullable(pins.get(peer));
    }

    /**
     * Pins {@code key} for a peer seen for the first time, unless another key was pinned for its name
     * meanwhile (two first streams in one name at once, with different keys): then that is a changed
     * key, and the answer says so. One check-and-pin, so only one first key can ever win.
     */
    public synchronized PinCheck pinFirstUse(String peer, Fingerprint key) throws IOException {
        Fingerprint pinned = pins.get(peer);
        if (pinned != null) {
            return pinned.equals(key) ? new PinCheck.Match(key) : new PinCheck.Changed(pinned, key);
        }
        pin(peer, key);
        pinnedOnFirstUseNow.add(peer);
        return new PinCheck.FirstUse(key);
    }

    /**
     * True while {@code peer}'s key is one taken on first use since Pronto started: nothing but its
     * name vouches for it yet, so the front ends show it as new (a look-alike of someone the user knows
     * gets such a fresh key; the real one's key was pinned long ago).
     */
    public synchronized boolean isNewlyPinned(String peer) {
        return pinnedOnFirstUseNow.contains(peer);
    }

    /** Pins {@code key} for {@code peer}: when the user accepts a changed key (so it is no longer new). */
    public synchronized void pin(String peer, Fingerprint key) throws IOException {
        pinnedOnFirstUseNow.remove(peer);
        Fingerprint previous = pins.put(peer, key);
        if (!key.equals(previous)) {
            persist();
        }
    }

    public synchronized void forget(String peer) throws IOException {
        pinnedOnFirstUseNow.remove(peer);
        if (pins.remove(peer) != null) {
            persist();
        }
    }

    private void persist() throws IOException {
        if (directory == null) {
            return;
        }
        Properties stored = new Properties();
        pins.forEach((name, key) -> stored.setProperty(name, key.hex()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        stored.store(bytes, "Pronto: pinned peer keys (SHA-256 of the public key), one per instance name");
        PrivateFiles.writeAtomically(directory, FILE_NAME, bytes.toByteArray());
    }
}
