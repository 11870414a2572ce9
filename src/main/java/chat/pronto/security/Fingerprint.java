package chat.pronto.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The SHA-256 of a public key's SubjectPublicKeyInfo: what Pronto pins per peer. Hashing the key
 * rather than the certificate keeps the pin valid when a peer re-issues its certificate (for
 * example after a rename on a name conflict).
 */
public final class Fingerprint {
    private static final HexFormat HEX = HexFormat.of();
    private final String hex;

    private Fingerprint(String hex) {
        this.hex = hex;
    }

    public static Fingerprint of(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return new Fingerprint(HEX.formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Parses the forms people copy around: plain hex, grouped with spaces, or colon-separated. */
    public static Fingerprint parse(String text) {
        String compact = text.replaceAll("[\\s:]", "").toLowerCase(Locale.ROOT);
        if (!compact.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint: " + text);
        }
        return new Fingerprint(compact);
    }

    /** 64 lower-case hex digits, the stored form. */
    public String hex() {
        return hex;
    }

    /** Sixteen groups of four upper-case hex digits: easy to read aloud and compare by eye. */
    public String toDisplayString() {
        StringBuilder out = new StringBuilder(80);
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                out.append(i == 32 ? "\n" : " ");
            }
            out.append(hex, i, i + 4);
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fingerprint that && hex.equals(that.hex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hex);
    }

    @Override
    public String toString() {
        return toDisplayString().replace('\n', ' ');
    }
}
