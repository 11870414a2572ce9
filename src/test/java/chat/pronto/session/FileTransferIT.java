package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.model.Direction;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/** Files between two whole cores over real sockets and TLS: offered, accepted or declined, cancelled, resumed. */
class FileTransferIT {
    private final FakeLink link = new FakeLink();
    private final List<ChatCore> cores = new ArrayList<>();
    @TempDir
    Path sending;

    private ChatCore start(ChatCore.Builder builder) throws Exception {
        ChatCore core = builder.start();
        cores.add(core);
        return core;
    }

    @AfterEach
    void stopAll() {
        cores.parallelStream().forEach(ChatCore::close);
    }

    private Path randomFile(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = sending.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static Transfer await(ChatCore core, TransferState state) {
        return core.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().state() == state)
                .transfer();
    }

    @Test
    void anAcceptedFileArrivesWholeEncryptedHashCheckedAndNotExecutable() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        Path file = randomFile("holiday photos.tar", 3 * 1024 * 1024 + 17);
        Files.setPosixFilePermissions(file, java.util.Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));

        Transfer sent = alice.chat.sendFile(bob.id(), file).get();
        assertEquals(Direction.OUTGOING, sent.direction());
        Transfer offered = await(bob, TransferState.OFFERED);
        assertEquals("holiday photos.tar", offered.name());
        assertEquals(Files.size(file), offered.size());
        assertEquals(64, offered.sha256().length(), "the offer carries the SHA-256");

        bob.chat.acceptFile(offered.id(), Optional.empty()).get();
        Transfer received = await(bob, TransferState.DONE);
        Transfer delivered = await(alice, TransferState.DONE);

        Path arrived = Path.of(received.file());
        assertEquals(bob.data.resolve("downloads").resolve("holiday photos.tar"), arrived);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(arrived));
        assertTrue(received.encrypted() && delivered.encrypted(), "TLS between two Pronto peers");
        assertEquals(offered.sha256(), received.sha256());
        assertFalse(Files.getPosixFilePermissions(arrived).contains(PosixFilePermission.OWNER_EXECUTE));
        try (Stream<Path> left = Files.list(arrived.getParent())) {
            assertEquals(List.of(arrived), left.toList(), "no partial file left behind");
        }
        assertEquals(TransferState.DONE, bob.chat.transfers().get().get(0).state());
    }

    @Test
    void aSecondFileWithTheSameNameIsNumberedNeverOverwritten() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        Path file = randomFile("notes.txt", 1000);
        for (int round = 0; round < 2; round++) {
            bob.events.clear();
            alice.chat.sendFile(bob.id(), file).get();
            bob.chat.acceptFile(await(bob, TransferState.OFFERED).id(), Optional.empty()).get();
            await(bob, TransferState.DONE);
        }
        Path folder = bob.data.resolve("downloads");
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(folder.resolve("notes.txt")));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(folder.resolve("notes (1).txt")));
    }

    @Test
    void aDeclinedOfferIsShownDeclinedToTheSender() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        alice.chat.sendFile(bob.id(), randomFile("virus.exe", 100)).get();
        bob.chat.declineFile(await(bob, TransferState.OFFERED).id()).get();
        Transfer declined = await(alice, TransferState.DECLINED);
        assertTrue(declined.reason().contains("declined"), declined.reason());
        assertFalse(Files.exists(bob.data.resolve("downloads").resolve("virus.exe")));
    }

    @Test
    void aCancelMidwayStopsBothSidesAndLeavesNothingBehind() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        alice.chat.limitFileSending(1024 * 1024);
        alice.chat.sendFile(bob.id(), randomFile("big.bin", 8 * 1024 * 1024)).get();
        Transfer offered = await(bob, TransferState.OFFERED);
        bob.chat.acceptFile(offered.id(), Optional.empty()).get();
        bob.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().done() > 0
                && update.transfer().state() == TransferState.ACTIVE);

        alice.chat.cancelTransfer(alice.chat.transfers().get().get(0).id()).get();
        Transfer cancelled = await(bob, TransferState.CANCELLED);
        assertTrue(cancelled.reason().contains("alice@hosta"), cancelled.reason());
        try (Stream<Path> left = Files.list(bob.data.resolve("downloads"))) {
            assertEquals(List.of(), left.toList(), "the partial file is removed");
        }
        assertEquals(TransferState.CANCELLED, alice.chat.transfers().get().get(0).state());
    }

    /**
     * The receiver quits mid-way; when it is back the sender offers the file again and the receiver,
     * which has the start of it, asks only for the rest; the whole file is hash-checked at the end.
     */
    @Test
    void aTransferInterruptedByTheReceiverQuittingResumesWhereItStopped() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        alice.chat.limitFileSending(2 * 1024 * 1024);
        Path file = randomFile("film.mkv", 6 * 1024 * 1024);
        alice.chat.sendFile(bob.id(), file).get();
        Transfer offered = await(bob, TransferState.OFFERED);
        bob.chat.acceptFile(offered.id(), Optional.empty()).get();
        bob.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().done() >= 1024 * 1024);
        bob.close();
        await(alice, TransferState.INTERRUPTED);

        alice.chat.limitFileSending(0);
        ChatCore again = start(ChatCore.on(link, "bob@hostb").data(bob.data));
        Transfer resumed = again.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.CONNECTING).transfer();
        assertEquals(offered.id(), resumed.id(), "the same transfer, not a new offer");
        assertTrue(resumed.done() >= 1024 * 1024, "it starts from what arrived: " + resumed.done());
        Transfer received = await(again, TransferState.DONE);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(Path.of(received.file())));
        await(alice, TransferState.DONE);
    }
}
