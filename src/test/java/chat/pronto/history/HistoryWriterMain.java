package chat.pronto.history;

import java.nio.file.Path;
import java.time.Instant;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.PeerId;

/**
 * Stores messages in groups of ten, one transaction each (as the session's group commit does), and says
 * so after each group's commit, until it is killed. For the crash test.
 */
public final class HistoryWriterMain {
    private HistoryWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        SqliteHistory history = SqliteHistory.open(Path.of(args[0]));
        for (int group = 0; ; group += 10) {
            int first = group;
            history.inOneTransaction(() -> {
                for (int i = first; i < first + 10; i++) {
                    history.append(ChatMessage.outgoing(PeerId.of("bob@hostb"), "m" + i, "message " + i,
                            Instant.now()));
                }
            });
            System.out.println("stored " + (first + 9));
            System.out.flush();
        }
    }
}
