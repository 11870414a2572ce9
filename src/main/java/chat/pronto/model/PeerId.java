package chat.pronto.model;

import java.util.Objects;

/**
 * A peer's instance name, {@code username@machine}: its address on the link (XEP-0174). Taken as
 * published: other clients produce forms such as {@code x@y (2)}, and those are names too.
 */
public record PeerId(String name) implements Comparable<PeerId> {
    public PeerId {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an instance name cannot be blank");
        }
    }

    public static PeerId of(String name) {
        return new PeerId(name);
    }

    /** The part before the last {@code @} (the whole name when there is none). */
    public String user() {
        int at = name.lastIndexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The part after the last {@code @}, or empty. */
    public String machine() {
        int at = name.lastIndexOf('@');
        return at < 0 ? "" : name.substring(at + 1);
    }

    @Override
    public int compareTo(PeerId other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
