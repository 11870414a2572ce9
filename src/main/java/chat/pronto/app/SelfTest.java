package chat.pronto.app;

import java.io.PrintStream;

/**
 * {@code --self-test}: exercises what a packaged runtime may lack (Smack's parser and providers,
 * EC keys, TLS 1.3, SQLite, JmDNS, JavaFX), on 127.0.0.1 only.
 */
final class SelfTest {
    private SelfTest() {
    }

    private static void deleteQuietly(java.nio.file.Path directory) {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary folder; the system cleans it up eventually
        }
    }

    static int run(PrintStream out, boolean withDisplay) {
        try {
            chat.pronto.stream.StreamSelfTest.run(step -> out.println("ok    " + step));
            java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("pronto-self-test");
            try (chat.pronto.history.SqliteHistory history = chat.pronto.history.SqliteHistory.open(
                    scratch.resolve("history.db"))) {
                history.append(chat.pronto.model.ChatMessage.outgoing(chat.pronto.model.PeerId.of("self@test"), "1",
                        "stored", java.time.Instant.now()));
                out.println("ok    SQLite history: " + history.latest(chat.pronto.model.PeerId.of("self@test"), 1)
                        .get(0).message().body() + " and read back");
            } finally {
                deleteQuietly(scratch);
            }
            out.println("ok    mDNS service object: " + chat.pronto.presence.JmdnsPresenceService.selfTest());
            out.println("ok    " + chat.pronto.ui.DesktopApp.selfTest(withDisplay));
            out.println("self-test passed");
            return 0;
        } catch (Exception | LinkageError e) {
            out.println("FAIL  " + e);
            e.printStackTrace(out);
            return 1;
        }
    }
}
