package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.model.FilePolicy;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/** A folder between two Pronto peers arrives as the same tree; its parts cannot climb out of the download folder. */
class FolderTransferIT {
    private final FakeLink link = new FakeLink();
    private final List<ChatCore> cores = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stopAll() {
        cores.parallelStream().forEach(ChatCore::close);
    }

    @Test
    void aFolderArrivesAsTheSameTree() throws Exception {
        ChatCore alice = ChatCore.on(link, "alice@hosta").start();
        cores.add(alice);
        ChatCore bob = ChatCore.on(link, "bob@hostb").start();
        cores.add(bob);
        Path holiday = Files.createDirectories(dir.resolve("holiday"));
        Files.createDirectories(holiday.resolve("day 1"));
        Files.writeString(holiday.resolve("notes.txt"), "sunny");
        Files.writeString(holiday.resolve("day 1").resolve("beach.txt"), "sand");
        Files.writeString(holiday.resolve("day 1").resolve(".hidden"), "dot file");

        List<Transfer> offered = alice.chat.sendFiles(bob.id(), List.of(holiday)).get();
        assertEquals(List.of("holiday/day 1/.hidden", "holiday/day 1/beach.txt", "holiday/notes.txt"),
                offered.stream().map(Transfer::name).toList());
        org.awaitility.Awaitility.await().atMost(chat.pronto.testing.RecordingChatListener.WAIT).until(() ->
                bob.chat.transfers().get().stream().filter(t -> t.state() == TransferState.OFFERED).count() == 3);
        Path into = dir.resolve("received");
        for (Transfer transfer : bob.chat.transfers().get()) {
            bob.chat.acceptFile(transfer.id(), Optional.of(into)).get();
        }
        org.awaitility.Awaitility.await().atMost(chat.pronto.testing.RecordingChatListener.WAIT).until(() ->
                bob.chat.transfers().get().stream().filter(t -> t.state() == TransferState.DONE).count() == 3);

        assertEquals("sunny", Files.readString(into.resolve("holiday").resolve("notes.txt")));
        assertEquals("sand", Files.readString(into.resolve("holiday").resolve("day 1").resolve("beach.txt")));
        // A leading dot is taken off a received name: nothing arrives hidden.
        assertEquals("dot file", Files.readString(into.resolve("holiday").resolve("day 1").resolve("hidden")));
        try (var all = Files.walk(into)) {
            assertTrue(all.noneMatch(path -> path.getFileName().toString().endsWith(".part")), "no part file left");
        }
    }

    @Test
    void aPathInAnOfferNeverLeavesTheDownloadFolder() {
        assertEquals("etc/passwd", chat.pronto.files.ReceivedNames.cleanPath("../../etc/passwd"));
        assertEquals("a/b.txt", chat.pronto.files.ReceivedNames.cleanPath("/a/./b.txt"));
        assertEquals("x/y/z.txt", chat.pronto.files.ReceivedNames.cleanPath("x\\y\\z.txt"));
        assertEquals("file", chat.pronto.files.ReceivedNames.cleanPath("../.."));
        String deep = "d/".repeat(40) + "f.txt";
        assertEquals(16, chat.pronto.files.ReceivedNames.cleanPath(deep).chars().filter(c -> c == '/').count());
    }
}
