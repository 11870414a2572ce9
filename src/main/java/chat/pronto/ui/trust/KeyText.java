package chat.pronto.ui.trust;

import java.util.Locale;
import java.util.Optional;

/** Key fingerprints as the model hands them over and as people read them. */
final class KeyText {
    private KeyText() {
    }

    /**
     * The 64 hex digits of a fingerprint given in any usual form (the grouped display string with its
     * line break, colons); empty when it is not a SHA-256 fingerprint.
     */
    static Optional<String> hex(String shown) {
        if (shown == null) {
            return Optional.empty();
        }
        String compact = shown.replaceAll("[\\s:]", "").toLowerCase(Locale.ROOT);
        return compact.matches("[0-9a-f]{64}") ? Optional.of(compact) : Optional.empty();
    }

    /** Sixteen groups of four upper-case digits, eight to a line: the same on both screens. */
    static String grouped(String hex) {
        StringBuilder out = new StringBuilder(80);
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                out.append(i % 32 == 0 ? "\n" : " ");
            }
            out.append(hex, i, Math.min(i + 4, hex.length()));
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
