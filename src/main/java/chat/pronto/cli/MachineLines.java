package chat.pronto.cli;

import chat.pronto.words.Sentences;
import java.util.Locale;
import java.util.StringJoiner;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.Direction;
import chat.pronto.session.ChatEvent;

/**
 * Events as lines for scripts (`--machine`): a keyword, then tab-separated fields; a tab, line break or
 * backslash inside a field is written as {@code \t}, {@code \n}, {@code \\}.
 */
final class MachineLines {
    private MachineLines() {
    }

    static String of(ChatEvent event) {
        if (event instanceof ChatEvent.ContactChanged changed) {
            Contact contact = changed.contact();
            return line("contact", contact.id(), contact.displayName(),
                    contact.advert().map(a -> a.status().txtValue()).orElse("offline"),
                    contact.advert().map(a -> a.message()).orElse(""), contact.link(),
                    contact.verified() ? "verified" : contact.key().isPresent() ? "pinned" : "no-key",
                    contact.direct() ? "by-address" : "discovered");
        } else if (event instanceof ChatEvent.ContactGone gone) {
            return line("gone", gone.id());
        } else if (event instanceof ChatEvent.MessageAdded added) {
            ChatMessage message = added.message();
            return line(message.direction() == Direction.INCOMING ? "received" : "queued", message.peer(),
                    message.id(), message.at(), message.body());
        } else if (event instanceof ChatEvent.MessageUpdated updated) {
            ChatMessage message = updated.message();
            return line("state", message.peer(), message.id(), message.state().name().toLowerCase(Locale.ROOT),
                    message.failure() == null ? "" : Sentences.of(message.failure(), message.peer().name()));
        } else if (event instanceof ChatEvent.Typing typing) {
            return line("typing", typing.peer(), typing.state().name().toLowerCase(Locale.ROOT));
        } else if (event instanceof ChatEvent.KeyChanged changed) {
            return line("key-changed", changed.peer(), changed.pinned(), changed.presented(),
                    changed.wasVerified() ? "was-verified" : "was-not-verified");
        } else if (event instanceof ChatEvent.Unreachable unreachable) {
            return line("unreachable", unreachable.peer(), Sentences.of(unreachable.problem(), unreachable.peer().name()),
                    unreachable.retryIn().map(wait -> Long.toString(wait.toMillis())).orElse(""));
        } else if (event instanceof ChatEvent.Renamed renamed) {
            return line("renamed", renamed.newName());
        } else if (event instanceof ChatEvent.Notice notice) {
            return line("notice", Sentences.of(notice.problem()));
        } else if (event instanceof ChatEvent.TransferUpdated updated) {
            return transfer(updated.transfer());
        }
        return line("event", event);
    }

    /** {@code transfer ID in|out PEER NAME SIZE STATE DONE tls|plain FILE REASON}. */
    static String transfer(chat.pronto.model.Transfer transfer) {
        return line("transfer", transfer.id(), transfer.direction() == Direction.INCOMING ? "in" : "out",
                transfer.peer(), transfer.name(), transfer.size(), transfer.state().name().toLowerCase(Locale.ROOT),
                transfer.done(), transfer.encrypted() ? "tls" : "plain", transfer.file(), transfer.reason());
    }

    static String line(String keyword, Object... fields) {
        StringJoiner joined = new StringJoiner("\t");
        joined.add(keyword);
        for (Object field : fields) {
            joined.add(escape(String.valueOf(field)));
        }
        return joined.toString();
    }

    /**
     * Tabs and line breaks would split a field; any other control character (an escape sequence
     * from a peer's name or message) would drive the reader's terminal: all come out as escapes.
     */
    static String escape(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> safe.append("\\\\");
                case '\t' -> safe.append("\\t");
                case '\r' -> safe.append("\\r");
                case '\n' -> safe.append("\\n");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        safe.append(String.format("\\u%04x", (int) c));
                    } else {
                        safe.append(c);
                    }
                }
            }
        }
        return safe.toString();
    }
}
