package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.model.DeliveryState;
import chat.pronto.model.FilePolicy;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/** The setting that takes files without asking: pinned people only, up to the size chosen, into the folder chosen. */
class AutoAcceptIT {
    private final FakeLink link = new FakeLink();
    private final List<ChatCore> cores = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stopAll() {
        cores.parallelStream().forEach(ChatCore::close);
    }

    private ChatCore start(String name) throws Exception {
        ChatCore core = ChatCore.on(link, name).start();
        cores.add(core);
        return core;
    }

    @Test
    void aPinnedPeersSmallFileIsTakenWithoutAskingALargeOneWaitsForTheUser() throws Exception {
        ChatCore alice = start("alice@hosta");
        ChatCore bob = start("bob@hostb");
        Path incoming = dir.resolve("incoming");
        bob.chat.setFilePolicy(new FilePolicy(incoming.toString(), true, 1024 * 1024));
        // A first chat pins Alice's key at Bob's.
        String hello = alice.chat.send(bob.id(), "hello").get().id();
        alice.events.awaitState(hello, DeliveryState.DELIVERED);

        byte[] small = new byte[200_000];
        new java.util.Random(1).nextBytes(small);
        alice.chat.sendFile(bob.id(), Files.write(dir.resolve("small.bin"), small)).get();
        Transfer done = bob.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.DONE).transfer();
        assertEquals(incoming.resolve("small.bin"), Path.of(done.file()), "into the folder the setting names");
        assertArrayEquals(small, Files.readAllBytes(Path.of(done.file())));

        alice.chat.sendFile(bob.id(), Files.write(dir.resolve("large.bin"), new byte[2 * 1024 * 1024])).get();
        Transfer large = bob.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().name().equals("large.bin")
                        && update.transfer().state() == TransferState.OFFERED).transfer();
        // Asked about, not taken: a ping round trip later it is still only offered.
        String after = alice.chat.send(bob.id(), "did it wait?").get().id();
        alice.events.awaitState(after, DeliveryState.DELIVERED);
        assertEquals(TransferState.OFFERED, bob.chat.transfers().get().stream()
                .filter(transfer -> transfer.id().equals(large.id())).findFirst().orElseThrow().state());
    }

    @Test
    void aPeerWhoseKeyIsNotPinnedIsAlwaysAsked() throws Exception {
        ChatCore alice = start("alice@hosta");
        ChatCore bob = start("bob@hostb");
        AutoAccept rule = new AutoAccept(peer -> false, id -> { });
        rule.policy(new FilePolicy("", true, Long.MAX_VALUE));
        alice.chat.sendFile(bob.id(), Files.write(dir.resolve("a.txt"), new byte[10])).get();
        Transfer offered = bob.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.OFFERED).transfer();
        assertEquals(false, rule.takes(offered), "no pin, no taking without asking");
        AutoAccept pinnedButOff = new AutoAccept(peer -> true, id -> { });
        assertEquals(false, pinnedButOff.takes(offered), "off unless the user turns it on");
        pinnedButOff.policy(new FilePolicy("", true, 5));
        assertEquals(false, pinnedButOff.takes(offered), "over the size cap");
        pinnedButOff.policy(new FilePolicy("", true, 10));
        assertEquals(true, pinnedButOff.takes(offered));
        assertEquals(false, pinnedButOff.takes(offered.withEncrypted(false)), "never over an unencrypted connection");
    }
}
