package chat.pronto.presence;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A DNS-SD TXT record (RFC 6763 §6) in its wire form: length-prefixed {@code key=value} strings.
 * Reading never fails: keys are case-insensitive, the first occurrence wins, a bare {@code key} is
 * present without a value, a string longer than what is left is cut, bytes that are not UTF-8 are
 * read as Latin-1. Writing keeps each string within 255 bytes and the whole within a budget,
 * cutting values only at character boundaries.
 */
public final class TxtRecord {
    /** RFC 6763 §6.2: keep the record small enough to fit a packet with everything else. */
    public static final int DEFAULT_BUDGET = 1300;
    private static final int MAX_STRING = 255;

    /** Key (lower case) → value; a null value is a bare key. Insertion order is wire order. */
    private final Map<String, String> entries;

    private TxtRecord(Map<String, String> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static TxtRecord decode(byte[] wire) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (wire == null) {
            return new TxtRecord(entries);
        }
        int position = 0;
        while (position < wire.length) {
            int length = wire[position] & 0xff;
            int start = position + 1;
            int end = Math.min(start + length, wire.length);
            position = start + length;
            if (end <= start) {
                continue;
            }
            byte[] string = Arrays.copyOfRange(wire, start, end);
            int equals = indexOf(string, (byte) '=');
            String key = text(string, 0, equals < 0 ? string.length : equals).strip().toLowerCase(Locale.ROOT);
            if (key.isEmpty() || entries.containsKey(key)) {
                continue; // RFC 6763 §6.4: a string without a key is ignored, a repeated key too
            }
            entries.put(key, equals < 0 ? null : text(string, equals + 1, string.length));
        }
        return new TxtRecord(entries);
    }

    /** The value of {@code key}; empty when the key is missing or bare. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key.toLowerCase(Locale.ROOT)));
    }

    /** True when the key is there, with or without a value (a bare key means true). */
    public boolean has(String key) {
        return entries.containsKey(key.toLowerCase(Locale.ROOT));
    }

    public List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    /** Builds a record in the order keys are put; {@link #encode()} gives the wire bytes. */
    public static final class Builder {
        private final Map<String, String> entries = new LinkedHashMap<>();
        private int budget = DEFAULT_BUDGET;

        /** Adds {@code key=value}; null or blank values are left out. A repeated key keeps its first value. */
        public Builder put(String key, String value) {
            if (value != null && !value.isBlank()) {
                entries.putIfAbsent(key, value);
            }
            return this;
        }

        public Builder budget(int bytes) {
            budget = bytes;
            return this;
        }

        public byte[] encode() {
            List<String> keys = new ArrayList<>(entries.keySet());
            List<byte[]> strings = new ArrayList<>();
            for (String key : keys) {
                strings.add(cut(key, entries.get(key), MAX_STRING));
            }
            // Over budget: shorten the longest value, one character at a time, until it fits.
            while (total(strings) > budget) {
                int longest = 0;
                for (int i = 1; i < strings.size(); i++) {
                    if (strings.get(i).length > strings.get(longest).length) {
                        longest = i;
                    }
                }
                byte[] string = strings.get(longest);
                String key = keys.get(longest);
                int valueBytes = string.length - key.length() - 1;
                if (valueBytes <= 0) {
                    break; // only keys left: nothing sensible to shorten
                }
                strings.set(longest, cut(key, entries.get(key), string.length - 1));
            }
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            for (byte[] string : strings) {
                wire.write(string.length);
                wire.writeBytes(string);
            }
            return wire.toByteArray();
        }

        /** {@code key=value} in UTF-8, the value cut at a character boundary to at most {@code max} bytes in all. */
        private static byte[] cut(String key, String value, int max) {
            byte[] full = (key + "=" + value).getBytes(StandardCharsets.UTF_8);
            if (full.length <= max) {
                return full;
            }
            int end = max;
            while (end > 0 && (full[end] & 0xC0) == 0x80) {
                end--; // never split a multi-byte character
            }
            return Arrays.copyOf(full, end);
        }

        private static int total(List<byte[]> strings) {
            return strings.stream().mapToInt(string -> string.length + 1).sum();
        }
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
