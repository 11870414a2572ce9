package chat.pronto.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What we publish about ourselves. A null field is not published at all: first and last name, email
 * and jid are the user's to withhold (XEP-0174 §6.1), and email and jid are off unless they opt in.
 */
public record OwnPresence(Status status, String message, String nick, String firstName, String lastName,
                          String email, String jid, Optional<Capabilities> capabilities, Optional<String> avatarHash) {
    public OwnPresence {
        Objects.requireNonNull(status, "status");
        capabilities = Objects.requireNonNullElse(capabilities, Optional.empty());
        avatarHash = Objects.requireNonNullElse(avatarHash, Optional.<String>empty()).flatMap(AvatarHash::parse);
    }

    /** Without a picture. */
    public OwnPresence(Status status, String message, String nick, String firstName, String lastName, String email,
                       String jid, Optional<Capabilities> capabilities) {
        this(status, message, nick, firstName, lastName, email, jid, capabilities, Optional.empty());
    }

    public static OwnPresence available(String nick) {
        return new OwnPresence(Status.AVAILABLE, null, nick, null, null, null, null, Optional.empty());
    }

    public OwnPresence withStatus(Status value, String newMessage) {
        return new OwnPresence(value, newMessage, nick, firstName, lastName, email, jid, capabilities, avatarHash);
    }

    public OwnPresence withNames(String newNick, String first, String last) {
        return new OwnPresence(status, message, newNick, first, last, email, jid, capabilities, avatarHash);
    }

    /** What else to publish: null withholds it (the default for both). */
    public OwnPresence withContacts(String newEmail, String newJid) {
        return new OwnPresence(status, message, nick, firstName, lastName, newEmail, newJid, capabilities, avatarHash);
    }

    public OwnPresence withCapabilities(Capabilities value) {
        return new OwnPresence(status, message, nick, firstName, lastName, email, jid, Optional.ofNullable(value),
                avatarHash);
    }

    /**
     * The SHA-1 of the picture we publish ({@code phsh}); the presence service sets it when it
     * publishes a picture (the picture itself goes in a DNS NULL record, not here).
     */
    public OwnPresence withAvatarHash(Optional<String> value) {
        return new OwnPresence(status, message, nick, firstName, lastName, email, jid, capabilities, value);
    }
}
