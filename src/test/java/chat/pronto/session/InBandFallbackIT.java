package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.model.DeliveryState;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/**
 * When the receiver cannot connect to the sender (a firewall, client isolation), the file goes in
 * band (XEP-0047) over the chat stream, still encrypted, and still arrives whole.
 */
class InBandFallbackIT {
    private final FakeLink link = new FakeLink();
    private final List<ChatCore> cores = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stopAll() {
        FileTransfers.streamhostForTests(null);
        cores.parallelStream().forEach(ChatCore::close);
    }

    private ChatCore start(String name) throws Exception {
        ChatCore core = ChatCore.on(link, name).start();
        cores.add(core);
        return core;
    }

    @Test
    void aFileTheReceiverCannotFetchDirectlyGoesOverTheChatStreamEncryptedAndWhole() throws Exception {
        ChatCore alice = start("alice@hosta");
        ChatCore bob = start("bob@hostb");
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort(); // free again once closed: nobody listens there
        }
        FileTransfers.streamhostForTests(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed));
        byte[] bytes = new byte[1_000_003];
        new Random(47).nextBytes(bytes);
        alice.chat.sendFile(bob.id(), Files.write(dir.resolve("report.odt"), bytes)).get();
        Transfer offered = bob.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.OFFERED).transfer();
        bob.chat.acceptFile(offered.id(), Optional.of(dir.resolve("in"))).get();

        Transfer interrupted = alice.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.INTERRUPTED).transfer();
        assertTrue(interrupted.reason().contains("over the chat connection"), interrupted.reason());
        Transfer done = bob.events.await(ChatEvent.TransferUpdated.class,
                update -> update.transfer().state() == TransferState.DONE).transfer();
        assertEquals(offered.id(), done.id(), "the same transfer, taken up again");
        assertArrayEquals(bytes, Files.readAllBytes(Path.of(done.file())));
        assertTrue(done.encrypted(), "in band over the encrypted chat stream");
        alice.events.await(ChatEvent.TransferUpdated.class, update -> update.transfer().state() == TransferState.DONE);

        // The chat stream carried it all and still carries messages.
        String id = alice.chat.send(bob.id(), "got it?").get().id();
        alice.events.awaitState(id, DeliveryState.DELIVERED);
    }
}
