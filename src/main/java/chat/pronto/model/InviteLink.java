package chat.pronto.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What someone hands over so that another can reach them without mDNS and without trusting a first
 * key blindly: the instance name, where it listens, and the SHA-256 of its public key. As text, an
 * {@code xmpp:} URI (RFC 5122) with Pronto's query action:
 *
 * <pre>xmpp:alice@laptop?pronto;v=1;fp=&lt;64 hex digits&gt;;port=5298;addr=192.168.1.20;addr=fd00::20</pre>
 *
 * The name is percent-encoded as UTF-8 (RFC 3986); {@code addr} repeats, one address or host name
 * each, in the order to try; keys not known here are ignored, so later versions can add some.
 */
public record InviteLink(PeerId name, String fingerprint, int port, List<String> addresses) {
    public static final String ACTION = "pronto";
    public static final String VERSION = "1";
    private static final int MAX_LENGTH = 2_048;
    private static final int MAX_ADDRESSES = 16;

    public InviteLink {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fingerprint, "fingerprint");
        fingerprint = fingerprint.replaceAll("[\\s:]", "").toLowerCase(Locale.ROOT);
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("the key fingerprint must be 64 hex digits (SHA-256)");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("the port must be between 1 and 65535, not " + port);
        }
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("the link names no address to reach " + name + " at");
        }
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("the link names " + addresses.size() + " addresses; at most "
                    + MAX_ADDRESSES + " are taken");
        }
        for (String address : addresses) {
            HostPort.parse(address.contains(":") ? "[" + address + "]" : address); // throws with the reason
        }
    }

    /** The link as text. */
    public String format() {
        StringBuilder out = new StringBuilder("xmpp:").append(encode(name.name()))
                .append('?').append(ACTION).append(";v=").append(VERSION)
                .append(";fp=").append(fingerprint).append(";port=").append(port);
        for (String address : addresses) {
            out.append(";addr=").append(encode(address));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /** Reads a link; the exception's message says what is wrong with it, for the user to see. */
    public static InviteLink parse(String text) {
        String link = text == null ? "" : text.strip();
        if (link.isEmpty()) {
            throw new IllegalArgumentException("paste a Pronto invite link (it starts with xmpp:)");
        }
        if (link.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("that is " + link.length() + " characters long, too long for an"
                    + " invite link");
        }
        if (!link.regionMatches(true, 0, "xmpp:", 0, 5)) {
            throw new IllegalArgumentException("not an invite link: it must start with xmpp:");
        }
        String rest = link.substring(5);
        if (rest.startsWith("//")) {
            throw new IllegalArgumentException("an invite link names the person right after xmpp:, with no //");
        }
        int question = rest.indexOf('?');
        if (question < 0) {
            throw new IllegalArgumentException("this xmpp: link is an address, not a Pronto invite (no ?pronto part)");
        }
        String name = decode(rest.substring(0, question), "the name");
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl) || name.length() > 255) {
            throw new IllegalArgumentException("the link's name is empty, too long or holds control characters");
        }
        String[] parts = rest.substring(question + 1).split(";", -1);
        if (!parts[0].equalsIgnoreCase(ACTION)) {
            throw new IllegalArgumentException("this xmpp: link asks for \"" + parts[0] + "\", not a Pronto invite");
        }
        String version = null;
        String fingerprint = null;
        String port = null;
        List<String> addresses = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int equals = part.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("the link's part \"" + part + "\" is not key=value");
            }
            String key = part.substring(0, equals).toLowerCase(Locale.ROOT);
            String value = decode(part.substring(equals + 1), key);
            if (!key.equals("addr") && !seen.add(key)) {
                throw new IllegalArgumentException("the link gives " + key + " twice");
            }
            switch (key) {
                case "v" -> version = value;
                case "fp" -> fingerprint = value;
                case "port" -> port = value;
                case "addr" -> addresses.add(value);
                default -> { } // a later version's: ignored
            }
        }
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException(version == null ? "the link has no version (v=1)"
                    : "the link is of version " + version + "; this Pronto reads version " + VERSION);
        }
        if (fingerprint == null) {
            throw new IllegalArgumentException("the link carries no key fingerprint (fp=)");
        }
        if (port == null || !port.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException(port == null ? "the link names no port (port=)"
                    : "the link's port is not a number: " + port);
        }
        return new InviteLink(PeerId.of(name), fingerprint, Integer.parseInt(port), addresses);
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~@:!$'()*+,".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    private static String decode(String value, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new IllegalArgumentException(what + " has a % without two hex digits");
                }
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException(what + " has a % without two hex digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c > 0x7e || c < 0x21) {
                throw new IllegalArgumentException(what + " holds a character that must be percent-encoded");
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8 once decoded");
        }
    }
}
