package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.Problem;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.CuttableLink;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.SmallDisk;

/** Never lose a message: what was written but not acknowledged when something went wrong still arrives. */
class DeliveryRecoveryIT {
    private final FakeLink link = new FakeLink();
    private final List<ChatCore> cores = new ArrayList<>();

    private ChatCore start(ChatCore.Builder builder) throws Exception {
        ChatCore core = builder.start();
        cores.add(core);
        return core;
    }

    @AfterEach
    void stopAll() {
        cores.parallelStream().forEach(ChatCore::close);
    }

    /**
     * The window quits without waiting for peers, a crash or kill -9 stops everything: a message the
     * peer never acknowledged must not stay "sent" for ever. (Here Bob's disk is full, so he cannot
     * acknowledge; Alice quits; space returns; Alice starts again.)
     */
    @Test
    void aMessageWrittenButNeverAcknowledgedBeforeAQuitGoesOutAgainAfterTheRestart() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatMessage first = alice.chat.send(bob.id(), "before the disk filled up").get();
        alice.events.awaitState(first.id(), DeliveryState.DELIVERED); // Bob acknowledges: a peer that does

        bob.history.full(true);
        ChatMessage hello = alice.chat.send(bob.id(), "hello, is your disk full?").get();
        alice.events.awaitState(hello.id(), DeliveryState.SENT);
        bob.events.await(ChatEvent.Notice.class, n -> n.problem().kind() == Problem.Kind.INCOMING_NOT_SAVED);
        alice.close();

        bob.history.full(false);
        ChatCore again = start(ChatCore.on(link, "alice@hosta").data(alice.data));
        bob.events.awaitReceived("hello, is your disk full?");
        again.events.awaitState(hello.id(), DeliveryState.DELIVERED);
        assertEquals(DeliveryState.DELIVERED, again.chat.latest(bob.id(), 1).get().get(0).message().state());
    }

    /**
     * A pulled cable: nothing arrives and nothing says so. The stream is pinged, ended with
     * connection-timeout, the peer shown offline and the message put back; when the peer is seen
     * again it goes out and is delivered.
     */
    @Test
    void aCutLinkIsNoticedTheMessageWaitsAndIsDeliveredWhenThePeerIsBack() throws Exception {
        SessionConfig.Watch quick = new SessionConfig.Watch(Duration.ofMillis(400), Duration.ofMillis(400),
                Duration.ofMillis(400));
        int bobsPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            bobsPort = probe.getLocalPort();
        }
        try (CuttableLink cable = new CuttableLink(bobsPort)) {
            ChatCore bob = start(ChatCore.on(link, "bob@hostb").port(bobsPort).advertisedPort(cable.port()).watch(quick));
            ChatCore alice = start(ChatCore.on(link, "alice@hosta").watch(quick));
            ChatMessage first = alice.chat.send(bob.id(), "before the cut").get();
            alice.events.awaitState(first.id(), DeliveryState.DELIVERED);

            cable.cut();
            long cutAt = System.nanoTime();
            ChatMessage lost = alice.chat.send(bob.id(), "into the void").get();
            alice.events.awaitState(lost.id(), DeliveryState.SENT);
            alice.events.await(ChatEvent.ContactGone.class, gone -> gone.id().equals(bob.id()));
            long noticedMillis = (System.nanoTime() - cutAt) / 1_000_000;
            alice.events.await(ChatEvent.MessageUpdated.class, u -> u.message().id().equals(lost.id())
                    && u.message().state() == DeliveryState.QUEUED);
            assertTrue(noticedMillis < 5_000, "noticed after " + noticedMillis + " ms");

            cable.mend();
            // Each side marked the other gone; mDNS shows both again (re-queried, or announced).
            bob.presence.announceAgain();
            alice.presence.announceAgain();
            bob.events.awaitReceived("into the void");
            alice.events.awaitState(lost.id(), DeliveryState.DELIVERED);
            assertEquals(1, bob.events.received().stream().filter(m -> m.body().equals("into the void")).count());
        }
    }

    /**
     * Alice's disk fills up: her own message is refused with why (nothing is sent that is not
     * stored), Bob's message to her is not acknowledged (so he keeps it); when space returns both go
     * through, and everything stored before is intact.
     */
    @Test
    void aFullDiskRefusesWithWhyLosesNothingAndEverythingGoesThroughWhenSpaceReturns() throws Exception {
        assumeTrue(SmallDisk.available(), "needs to mount a small tmpfs in the tests' own mount namespace");
        SessionConfig.Watch quick = new SessionConfig.Watch(Duration.ofMillis(400), Duration.ofMillis(400),
                Duration.ofMillis(400));
        try (SmallDisk disk = SmallDisk.ofKilobytes(8 * 1024)) {
            ChatCore alice = start(ChatCore.on(link, "alice@hosta").data(disk.root()).watch(quick));
            ChatCore bob = start(ChatCore.on(link, "bob@hostb").watch(quick));
            ChatMessage before = alice.chat.send(bob.id(), "before the disk filled up").get();
            alice.events.awaitState(before.id(), DeliveryState.DELIVERED);

            Path ballast = disk.fillUp();
            java.util.concurrent.ExecutionException refused = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> alice.chat.send(bob.id(), "while the disk is full").get());
            NotSentException notSent = (NotSentException) refused.getCause();
            assertEquals(Problem.Kind.NOT_SAVED, notSent.problem().kind());
            assertTrue(notSent.problem().fact(0).contains("the disk is full"), notSent.problem().toString());
            ChatMessage fromBob = bob.chat.send(alice.id(), "can you store this?").get();
            alice.events.await(ChatEvent.Notice.class, n -> n.problem().kind() == Problem.Kind.INCOMING_NOT_SAVED);
            assertEquals(DeliveryState.SENT, bob.chat.latest(alice.id(), 1).get().get(0).message().state());

            Files.delete(ballast);
            ChatMessage after = alice.chat.send(bob.id(), "space is back").get();
            alice.events.awaitState(after.id(), DeliveryState.DELIVERED);
            bob.events.awaitState(fromBob.id(), DeliveryState.DELIVERED); // sent again once Bob was sure
            alice.events.awaitReceived("can you store this?");
            assertEquals(java.util.List.of("before the disk filled up", "can you store this?", "space is back"),
                    alice.chat.latest(bob.id(), 10).get().stream().map(m -> m.message().body()).sorted().toList());
        }
    }
}
