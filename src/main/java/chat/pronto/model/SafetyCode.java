package chat.pronto.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What two people compare to know that each holds the other's real key: derived from both key
 * fingerprints in a fixed order, so both screens show the same thing. Sixty digits in twelve groups
 * of five, to read aloud; an 8x8 grid of colours, to compare at a glance.
 */
public record SafetyCode(List<String> groups, List<Integer> grid) {
    /** Cells per row of {@link #grid()}; each cell is a colour number from 0 to {@link #COLOURS} - 1. */
    public static final int GRID_SIDE = 8;
    public static final int COLOURS = 16;

    public SafetyCode {
        groups = List.copyOf(groups);
        grid = List.copyOf(grid);
    }

    /** The code for the pair of keys (fingerprints as 64 hex digits, in either order). */
    public static SafetyCode of(String oneFingerprint, String otherFingerprint) {
        String a = compact(oneFingerprint);
        String b = compact(otherFingerprint);
        String pair = a.compareTo(b) <= 0 ? a + b : b + a;
        byte[] digits = digest("SHA-512", "pronto-safety-digits-v1:" + pair);
        List<String> groups = new ArrayList<>();
        for (int group = 0; group < 12; group++) {
            long value = 0;
            for (int i = 0; i < 5; i++) {
                value = value << 8 | digits[group * 5 + i] & 0xff;
            }
            groups.add(String.format(Locale.ROOT, "%05d", value % 100_000));
        }
        byte[] colours = digest("SHA-256", "pronto-safety-grid-v1:" + pair);
        List<Integer> grid = new ArrayList<>();
        for (byte b2 : colours) {
            grid.add(b2 >> 4 & 0x0f);
            grid.add(b2 & 0x0f);
        }
        return new SafetyCode(groups, grid);
    }

    /** The digits as two lines of six groups. */
    public String digits() {
        return String.join(" ", groups.subList(0, 6)) + "\n" + String.join(" ", groups.subList(6, 12));
    }

    private static String compact(String fingerprint) {
        String hex = fingerprint.replaceAll("[\\s:]", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint: " + fingerprint);
        }
        return hex;
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}
