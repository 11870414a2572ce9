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
    /** The keys the user verified (compared with the peer, or took from its invite link), by name. */
    private static final String VERIFIED_FILE_NAME = "verified-peers.properties";

    private final Path directory;
    private final Map<String, Fingerprint> pins = new HashMap<>();
    private final Map<String, Fingerprint> verified = new HashMap<>();
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
        read(directory.resolve(FILE_NAME), known.pins);
        read(directory.resolve(VERIFIED_FILE_NAME), known.verified);
        return known;
    }

    /** Reads name=fingerprint lines; a damaged line costs that peer only (treated as new, which the user sees). */
    private static void read(Path file, Map<String, Fingerprint> into) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Properties stored = new Properties();
        for (String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            try {
                stored.load(new java.io.StringReader(line));
            } catch (IllegalArgumentException badEscape) {
                // Skipped: see above.
            }
        }
        for (String name : stored.stringPropertyNames()) {
            try {
                into.put(name, Fingerprint.parse(stored.getProperty(name)));
            } catch (IllegalArgumentException damaged) {
                // Skipped: see above.
            }
        }
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
        unverify(peer);
    }

    /**
     * True when the key pinned for {@code peer} is one the user verified. A verified mark holds for
     * that key only: once another key is accepted for the name, the name is no longer verified.
     */
    public synchronized boolean isVerified(String peer) {
        Fingerprint mark = verified.get(peer);
        return mark != null && mark.equals(pins.get(peer));
    }

    /**
     * Marks the key pinned for {@code peer} as verified: the user compared {@code key} with the peer.
     *
     * @throws IllegalStateException when {@code key} is not the key pinned for it (nothing changes)
     */
    public synchronized void verify(String peer, Fingerprint key) throws IOException {
        Fingerprint pinned = pins.get(peer);
        if (pinned == null) {
            throw new IllegalStateException("no key is pinned for " + peer + " yet: chat once over an encrypted"
                    + " stream, then compare");
        }
        if (!pinned.equals(key)) {
            throw new IllegalStateException("the key pinned for " + peer + " is " + pinned + ", not the one compared");
        }
        pinnedOnFirstUseNow.remove(peer);
        if (!key.equals(verified.put(peer, key))) {
            persistVerified();
        }
    }

    /** Takes the verified mark from {@code peer} (its key stays pinned). */
    public synchronized void unverify(String peer) throws IOException {
        if (verified.remove(peer) != null) {
            persistVerified();
        }
    }

    /**
     * Pins {@code key} for {@code peer} as verified before any stream (an invite link carried it),
     * unless another key is pinned for the name: then nothing changes and the answer is that change.
     */
    public synchronized PinCheck pinVerified(String peer, Fingerprint key) throws IOException {
        Fingerprint pinned = pins.get(peer);
        if (pinned != null && !pinned.equals(key)) {
            return new PinCheck.Changed(pinned, key);
        }
        if (pinned == null) {
            pin(peer, key);
        }
        verify(peer, key);
        return pinned == null ? new PinCheck.FirstUse(key) : new PinCheck.Match(key);
    }

    private void persist() throws IOException {
        write(FILE_NAME, pins, "Pronto: pinned peer keys (SHA-256 of the public key), one per instance name");
    }

    private void persistVerified() throws IOException {
        write(VERIFIED_FILE_NAME, verified, "Pronto: peer keys the user verified (SHA-256 of the public key)");
    }

    private void write(String fileName, Map<String, Fingerprint> keys, String comment) throws IOException {
        if (directory == null) {
            return;
        }
        Properties stored = new Properties();
        keys.forEach((name, key) -> stored.setProperty(name, key.hex()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        stored.store(bytes, comment);
        PrivateFiles.writeAtomically(directory, fileName, bytes.toByteArray());
    }
}
