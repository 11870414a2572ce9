package chat.pronto.soak;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of soak message number {@code sequence} one way, say {@code a->b #000123}: the number
 * lets the count find each message again in both histories, whatever its stanza id.
 */
record MessageText(String way, int sequence) {
    private static final Pattern FORM = Pattern.compile("([a-z]+->[a-z]+) #(\\d+)");

    String text() {
        return "%s #%06d".formatted(way, sequence);
    }

    /** The message these words are, or empty for words the soak did not write. */
    static Optional<MessageText> read(String body) {
        Matcher matcher = FORM.matcher(body);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new MessageText(matcher.group(1), Integer.parseInt(matcher.group(2))));
    }
}
