package chat.pronto.ui.chat;

import java.util.Locale;

import chat.pronto.model.Direction;
import chat.pronto.model.Transfer;
import chat.pronto.words.Sentences;

/** The line under a file's name: how big, where it stands, how fast and how long still. */
final class TransferWords {
    private TransferWords() {
    }

    static String of(Transfer transfer, double bytesPerSecond, long secondsLeft) {
        boolean ours = transfer.direction() == Direction.OUTGOING;
        String size = Sentences.bytes(transfer.size());
        return switch (transfer.state()) {
            case PREPARING -> size + " · getting it ready…";
            case OFFERED -> ours ? size + " · waiting for them to accept" : size + " · wants to send you this file";
            case CONNECTING -> size + " · connecting…";
            case ACTIVE -> Sentences.bytes(transfer.done()) + " of " + size
                    + (bytesPerSecond > 0 ? " · " + Sentences.bytes((long) bytesPerSecond) + "/s" : "")
                    + (secondsLeft >= 0 ? " · " + timeLeft(secondsLeft) : "");
            case INTERRUPTED -> String.format(Locale.ROOT, "%s · stopped at %.0f%%, resumes when you are both online",
                    size, transfer.progress() * 100) + reason(transfer);
            case DONE -> size + (ours ? " · sent" : " · received") + (transfer.reason().isEmpty() ? ""
                    : " (" + transfer.reason() + ")");
            case DECLINED -> size + (ours ? " · they declined it" : " · declined");
            case CANCELLED -> size + " · cancelled" + (transfer.reason().startsWith("cancelled by") ? " by them" : "");
            case FAILED -> size + " · failed" + reason(transfer);
        };
    }

    private static String reason(Transfer transfer) {
        return transfer.reason().isEmpty() ? "" : ": " + transfer.reason();
    }

    /** "5 s left", "3 min left", "2 h 5 min left". */
    static String timeLeft(long seconds) {
        if (seconds < 60) {
            return Math.max(1, seconds) + " s left";
        }
        if (seconds < 3600) {
            return (seconds + 59) / 60 + " min left";
        }
        return seconds / 3600 + " h " + (seconds % 3600) / 60 + " min left";
    }
}
