package chat.pronto.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of a picture (XEP-0174 §"Buddy Icons"): the lower-case hex SHA-1 of its exact bytes, as
 * the TXT key {@code phsh} carries it and as libpurple computes it. The picture itself travels in a
 * DNS NULL record, whose data is at most 65,535 bytes.
 */
public final class AvatarHash {
    /** The most a NULL record holds (its length is 16 bits): nothing longer is ever taken from a peer. */
    public static final int MAX_RECORD_BYTES = 65_535;
    /**
     * The most we publish: the record must go in one UDP datagram (65,507 bytes of payload over IPv4)
     * with the header, the longest instance name and, for a legacy unicast reply, the question: 114 bytes.
     */
    public static final int MAX_PUBLISHED_BYTES = 65_393;
    private static final Pattern SHA1_HEX = Pattern.compile("[0-9a-f]{40}");

    private AvatarHash() {
    }

    /** Lower-case hex SHA-1 of {@code picture}. */
    public static String of(byte[] picture) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(picture));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    /**
     * A {@code phsh} value as a hash we can check pictures against: 40 hex digits, lower-cased; empty
     * for a missing, empty or malformed value (nothing could ever match it, so nothing is fetched).
     */
    public static Optional<String> parse(String phsh) {
        if (phsh == null) {
            return Optional.empty();
        }
        String lower = phsh.strip().toLowerCase(Locale.ROOT);
        return SHA1_HEX.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }

    /** Whether {@code picture} may be published: throws a clear {@link IllegalArgumentException} if not. */
    public static void checkPublishable(byte[] picture) {
        if (picture == null || picture.length == 0) {
            throw new IllegalArgumentException("an avatar needs at least one byte (use no avatar instead)");
        }
        if (picture.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("the avatar is " + picture.length + " bytes; XEP-0174 allows at most "
                    + MAX_RECORD_BYTES + " (scale it down: a 96x96 PNG or JPEG takes a few kB)");
        }
        if (picture.length > MAX_PUBLISHED_BYTES) {
            throw new IllegalArgumentException("the avatar is " + picture.length + " bytes; at most "
                    + MAX_PUBLISHED_BYTES + " fit in one mDNS packet (scale it down)");
        }
    }
}
