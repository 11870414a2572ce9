package chat.pronto.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import chat.pronto.history.SqliteHistory;
import chat.pronto.model.ChatMessage;
import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;

/**
 * Reads both sides' histories straight from their SQLite files, after both processes have exited,
 * and counts one way's messages.
 */
final class HistoryCensus {
    private HistoryCensus() {
    }

    static DirectionCount count(DirectionLedger ledger, SoakSide sender, SoakSide receiver) throws IOException {
        List<DirectionCount.SentRow> sent = new ArrayList<>();
        List<Integer> received = new ArrayList<>();
        int foreign = 0;
        for (ChatMessage message : conversation(sender.history(), receiver.name())) {
            if (message.direction() != Direction.OUTGOING) {
                continue;
            }
            Optional<MessageText> text = MessageText.read(message.body()).filter(t -> t.way().equals(ledger.way()));
            if (text.isEmpty()) {
                foreign++;
                continue;
            }
            sent.add(new DirectionCount.SentRow(text.get().sequence(), message.id(), message.state().name(), message.at(),
                    message.failure() == null ? "" : message.failure().kind() + " " + String.join(" / ",
                            message.failure().facts()), ledger.lastMoveOf(message.id())));
        }
        for (ChatMessage message : conversation(receiver.history(), sender.name())) {
            if (message.direction() != Direction.INCOMING) {
                continue;
            }
            Optional<MessageText> text = MessageText.read(message.body()).filter(t -> t.way().equals(ledger.way()));
            if (text.isEmpty()) {
                foreign++;
                continue;
            }
            received.add(text.get().sequence());
        }
        return new DirectionCount(ledger.way(), sender.name(), receiver.name(), sent, received, ledger.typedInto(),
                ledger.acknowledged(), ledger.refused(), ledger.unanswered(), foreign);
    }

    /** Every message with {@code peer} in the history file, in the history's order. */
    private static List<ChatMessage> conversation(Path file, String peer) throws IOException {
        try (SqliteHistory history = SqliteHistory.open(file)) {
            return history.latest(PeerId.of(peer), Integer.MAX_VALUE).stream().map(StoredMessage::message).toList();
        }
    }
}
