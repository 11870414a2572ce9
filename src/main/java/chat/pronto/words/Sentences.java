package chat.pronto.words;

import chat.pronto.model.Problem;
import chat.pronto.session.NotSentException;

/**
 * The front ends' words for what went wrong: the core reports problems as data ({@link Problem}),
 * and the window and the terminal both say them the same way, from here.
 */
public final class Sentences {
    private Sentences() {
    }

    /**
     * One sentence (or two) about {@code problem}.
     *
     * @param who the peer concerned, as the user knows it (used where the sentence names it)
     */
    public static String of(Problem problem, String who) {
        return switch (problem.kind()) {
            case NOT_ON_NETWORK -> who + " is not on the network; the message waits until it is";
            case CANNOT_CONNECT -> "cannot connect to " + problem.fact(0) + ":" + problem.fact(1)
                    + " (" + problem.fact(2) + ")";
            case NO_ANSWER -> problem.fact(0) + ":" + problem.fact(1) + " did not answer within "
                    + problem.fact(2) + " s";
            case CONNECTION_LOST -> "the connection to " + who + " was lost (" + problem.fact(0) + ")";
            case STREAM_CLOSED -> "the stream to " + who + " closed";
            case PEER_ENDED_STREAM -> who + " ended the stream: " + condition(problem);
            case WE_ENDED_STREAM -> "not sent: Pronto ended the stream with " + who + ": " + condition(problem);
            case TLS_FAILED -> "the encrypted connection to " + who + " failed: " + problem.fact(0);
            case KEY_CHANGED -> who + " presented a different key than before: not sent. Compare the fingerprints"
                    + " and accept the new key only if you trust it.";
            case REFUSED_BY_PEER -> "refused by " + who + ": " + problem.fact(0)
                    + (problem.fact(1).isEmpty() ? "" : " (" + problem.fact(1) + ")");
            case SHUTTING_DOWN -> "Pronto is shutting down";
            case NOT_SAVED -> problem.fact(0);
            case INCOMING_NOT_SAVED -> "A message from " + problem.fact(0) + " could not be saved: " + problem.fact(1);
            case PEER_MUTED -> problem.fact(0) + ", whom you never wrote to, sent more than a stranger may ("
                    + problem.fact(2) + " messages, " + size(problem.fact(3)) + " within " + problem.fact(4)
                    + " min): their messages are refused for " + problem.fact(1) + " min, and they are told."
                    + " Write to " + problem.fact(0) + " to let them through.";
            case PORT_IN_USE -> "Port " + problem.fact(0) + " is in use by another program, so Pronto listens on port "
                    + problem.fact(1) + " instead; people nearby still find you (the port is advertised).";
            case NO_USABLE_INTERFACE ->
                    "No network connection that can find people nearby (no multicast-capable interface is up).";
            case NO_PEERS_SEEN -> "Nobody seen on " + problem.fact(0) + " for " + problem.fact(1) + " s. If people"
                    + " nearby run Pronto, the network may block multicast (guest Wi-Fi, client isolation or a"
                    + " firewall on UDP port 5353).";
            case INTERFACE_FAILED -> "Could not use " + problem.fact(0) + " for discovery: " + problem.fact(1);
            case SETTINGS_DAMAGED -> "Your settings file " + problem.fact(0) + " is damaged (" + problem.fact(1)
                    + "): Pronto requires encryption and uses defaults for what it could not read, until you save"
                    + " your settings again";
            case WIDE_AREA_FAILED -> "Wide-area discovery (DNS-SD over unicast DNS): " + problem.fact(0);
            case OTHER -> problem.fact(0);
        };
    }

    /** A notice that concerns nobody in particular. */
    public static String of(Problem problem) {
        return of(problem, "the peer");
    }

    /** What a failed call to the chat service means for the user. */
    public static String of(Throwable error, String who) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof NotSentException notSent) {
            return of(notSent.problem(), who);
        }
        return String.valueOf(cause.getMessage());
    }

    /** A number of bytes as people read it: "900 bytes", "2.4 KiB", "1.0 MiB", "3.2 GiB". */
    public static String bytes(long value) {
        if (value >= 1024L * 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", value / (1024.0 * 1024 * 1024));
        }
        return size(Long.toString(value));
    }

    /** A number of bytes as people read it: "900 bytes", "2.4 KiB", "1.0 MiB" (the fact as is when it is no number). */
    private static String size(String bytes) {
        long value;
        try {
            value = Long.parseLong(bytes);
        } catch (NumberFormatException notANumber) {
            return bytes + " bytes";
        }
        if (value < 1024) {
            return value + " bytes";
        }
        return value < 1024 * 1024 ? String.format(java.util.Locale.ROOT, "%.1f KiB", value / 1024.0)
                : String.format(java.util.Locale.ROOT, "%.1f MiB", value / (1024.0 * 1024));
    }

    /** "condition" or "condition: the words that came with it". */
    private static String condition(Problem problem) {
        return problem.fact(0) + (problem.fact(1).isEmpty() ? "" : ": " + problem.fact(1));
    }
}
