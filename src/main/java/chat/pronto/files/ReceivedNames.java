package chat.pronto.files;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the name a peer gives a file into one that is safe to create in the download folder on any
 * system Pronto runs on (issue 14): one plain name, never a path, never hidden, never a device, never
 * disguised. The peer's name is only a suggestion; what it may not say is removed or replaced, and
 * what is left still reads like what the sender chose.
 */
public final class ReceivedNames {
    /** Longest name most file systems take (ext4, NTFS, APFS count up to 255 bytes or UTF-16 units). */
    static final int MAX_BYTES = 255;
    static final String FALLBACK = "file";
    /** What Windows and most shells give a meaning to, and path separators of every system. */
    private static final Pattern RESERVED_CHARACTERS = Pattern.compile("[/\\\\:*?\"<>|]");
    /**
     * C0 and C1 controls, and the Unicode marks that reorder or hide text: a right-to-left override
     * makes {@code photo\u202Egpj.exe} look like {@code photoexe.jpg}.
     */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2069\\uFEFF]");
    /** Names Windows keeps for devices, with or without an extension. */
    private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM1", "COM2",
            "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6",
            "LPT7", "LPT8", "LPT9");

    private ReceivedNames() {
    }

    /**
     * A safe name for {@code offered}: the last part of a path only, in NFC, without controls or
     * reordering marks, with {@code / \ : * ? " < > |} replaced by {@code _}, without leading dots or
     * spaces (no hidden files, no {@code ..}) nor trailing dots or spaces (Windows drops them), a device
     * name prefixed with {@code _}, cut to {@value #MAX_BYTES} UTF-8 bytes keeping the extension;
     * {@value #FALLBACK} when nothing is left.
     */
    public static String clean(String offered) {
        if (offered == null) {
            return FALLBACK;
        }
        String name = Normalizer.normalize(offered, Normalizer.Form.NFC);
        name = INVISIBLE.matcher(name).replaceAll("");
        int lastSeparator = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(lastSeparator + 1); // a path: its last part, as a browser saves a download
        name = RESERVED_CHARACTERS.matcher(name).replaceAll("_");
        name = stripLeading(name);
        name = stripTrailing(name);
        if (name.isEmpty()) {
            return FALLBACK;
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT).strip();
        if (DEVICES.contains(stem)) {
            name = "_" + name;
        }
        return fitted(name);
    }

    /** At most this many folders deep: a file from a folder lands no deeper. */
    static final int MAX_DEPTH = 16;

    /**
     * A file's place in a folder that was sent ({@code holiday/day 1/beach.jpg}), made safe: every
     * part cleaned like a name, empty, {@code .} and {@code ..} parts dropped (so it can never climb out of
     * the download folder), at most {@value #MAX_DEPTH} folders; always at least a file name.
     */
    public static String cleanPath(String offered) {
        if (offered == null) {
            return FALLBACK;
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String part : offered.split("[/\\\\]")) {
            String stripped = part.strip();
            if (stripped.isEmpty() || stripped.equals(".") || stripped.equals("..")) {
                continue;
            }
            parts.add(clean(part));
        }
        if (parts.isEmpty()) {
            return FALLBACK;
        }
        String leaf = parts.remove(parts.size() - 1);
        java.util.List<String> folders = parts.subList(0, Math.min(parts.size(), MAX_DEPTH));
        return folders.isEmpty() ? leaf : String.join("/", folders) + "/" + leaf;
    }

    /** The part after the last dot, with the dot ({@code .jpg}); empty when there is none. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot);
    }

    private static String stripLeading(String name) {
        int start = 0;
        while (start < name.length() && (name.charAt(start) == '.' || Character.isWhitespace(name.charAt(start)))) {
            start++;
        }
        return name.substring(start);
    }

    private static String stripTrailing(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || Character.isWhitespace(name.charAt(end - 1)))) {
            end--;
        }
        return name.substring(0, end);
    }

    /** Cut to {@value #MAX_BYTES} UTF-8 bytes, keeping a short extension and never splitting a character. */
    static String fitted(String name) {
        if (bytes(name) <= MAX_BYTES) {
            return name;
        }
        String extension = extension(name);
        if (bytes(extension) > 16) {
            extension = ""; // not an extension anyone opens files by
        }
        String stem = name.substring(0, name.length() - extension.length());
        return stripTrailing(prefixWithin(stem, MAX_BYTES - bytes(extension))) + extension;
    }

    /** The longest start of {@code text} that takes at most {@code maxBytes} in UTF-8, whole characters only. */
    static String prefixWithin(String text, int maxBytes) {
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = utf8Width(codePoint);
            if (used + size > maxBytes) {
                break;
            }
            kept.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return kept.toString();
    }

    /** How many bytes UTF-8 takes for {@code codePoint} (a lone surrogate counted as 3: never under). */
    private static int utf8Width(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
