package chat.pronto.history;

import java.nio.file.Path;
import java.time.Instant;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.PeerId;

/** Stores messages one after another and says so after each, until it is killed. For the crash test. */
public final class HistoryWriterMain {
    private HistoryWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        SqliteHistory history = SqliteHistory.open(Path.of(args[0]));
        for (int i = 0; ; i++) {
            history.append(ChatMessage.outgoing(PeerId.of("bob@hostb"), "m" + i, "message " + i, Instant.now()));
            System.out.println("stored " + i);
            System.out.flush();
        }
    }
}
