package chat.pronto.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.PeerId;
import chat.pronto.testing.SmallDisk;

/** The history on a disk that fills up: a clear error, nothing stored is damaged, and it works again. */
class FullDiskIT {
    private static final PeerId BOB = PeerId.of("bob@hostb");

    @Test
    void aFullDiskRefusesTheNextMessageInWordsKeepsEverythingStoredAndRecoversWhenSpaceReturns() throws Exception {
        assumeTrue(SmallDisk.available(), "needs root and unshare to mount a small tmpfs of its own");
        try (SmallDisk disk = SmallDisk.ofKilobytes(8 * 1024)) {
            Path file = disk.root().resolve("history.db");
            try (SqliteHistory history = SqliteHistory.open(file)) {
                for (int i = 0; i < 50; i++) {
                    history.append(ChatMessage.incoming(BOB, "before-" + i, "stored before the disk filled " + i,
                            Instant.now()));
                }
                Path ballast = disk.fillUp();

                IOException full = assertThrows(IOException.class, () -> {
                    for (int i = 0; i < 10_000; i++) {
                        history.append(ChatMessage.incoming(BOB, "during-" + i, "x".repeat(2000), Instant.now()));
                    }
                });
                assertTrue(full.getMessage().contains("the disk is full"), full.getMessage());
                assertEquals("stored before the disk filled 49", history.latest(BOB, 100).stream()
                        .map(s -> s.message().body()).filter(b -> b.startsWith("stored")).reduce((a, b) -> b)
                        .orElseThrow(), "what was stored is still there");

                Files.delete(ballast);
                assertTrue(history.append(ChatMessage.incoming(BOB, "after", "space is back", Instant.now())));
            }
            try (SqliteHistory reopened = SqliteHistory.open(file)) {
                var all = reopened.latest(BOB, 100_000);
                assertEquals(50, all.stream().filter(s -> s.message().id().startsWith("before-")).count());
                assertEquals("space is back", all.get(all.size() - 1).message().body());
                assertEquals("ok", integrity(file));
            }
        }
    }

    private static String integrity(Path file) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             var statement = connection.createStatement();
             var result = statement.executeQuery("PRAGMA integrity_check")) {
            result.next();
            return result.getString(1);
        }
    }
}
