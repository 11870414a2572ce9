package chat.pronto.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;
import chat.pronto.stream.Role;
import chat.pronto.stream.XmlStream;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.RecordingChatListener;

/** Two and three whole Pronto cores in one JVM, on 127.0.0.1, chatting over real TLS streams. */
class ChatSessionsIT {
    private static final Duration WAIT = RecordingChatListener.WAIT;
    private final FakeLink link = new FakeLink();
    private final List<ChatCore> cores = new ArrayList<>();

    private ChatCore start(String name) throws Exception {
        return track(ChatCore.on(link, name).start());
    }

    private ChatCore track(ChatCore core) {
        cores.add(core);
        return core;
    }

    @AfterEach
    void stopAll() {
        cores.parallelStream().forEach(ChatCore::close);
    }

    private static ChatMessage send(ChatCore from, ChatCore to, String body) throws Exception {
        return from.chat.send(to.id(), body).get();
    }

    @Test
    void twoCoresChatBothWaysOverAnEncryptedStreamWithReceipts() throws Exception {
        ChatCore alice = start("alice@hosta");
        ChatCore bob = start("bob@hostb");

        ChatMessage hello = send(alice, bob, "Hello Bob");
        assertEquals(DeliveryState.QUEUED, hello.state());
        bob.events.awaitReceived("Hello Bob");
        alice.events.awaitState(hello.id(), DeliveryState.SENT);
        alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);

        ChatMessage reply = send(bob, alice, "Hi Alice");
        alice.events.awaitReceived("Hi Alice");
        bob.events.awaitState(reply.id(), DeliveryState.DELIVERED);

        Contact bobSeenByAlice = alice.chat.contact(bob.id()).join().orElseThrow();
        assertEquals(LinkSecurity.ENCRYPTED, bobSeenByAlice.link());
        assertTrue(bobSeenByAlice.key().isPresent(), "bob's key is pinned after the first stream");
        // Both messages went over the one stream alice opened.
        assertEquals(1, streamsBetween(alice, bob).size());
        List<StoredMessage> history = alice.chat.latest(bob.id(), 10).get();
        assertEquals(List.of("Hello Bob", "Hi Alice"), history.stream().map(m -> m.message().body()).toList());
        assertEquals(DeliveryState.DELIVERED, history.get(0).message().state());
    }

    @Test
    void twoCoresChatOverIpv6Only() throws Exception {
        java.net.InetAddress v6 = java.net.InetAddress.getByName("::1");
        ChatCore alice = track(ChatCore.on(link, "alice@hosta").bind(v6).advertising(v6).start());
        ChatCore bob = track(ChatCore.on(link, "bob@hostb").bind(v6).advertising(v6).start());
        ChatMessage hello = send(alice, bob, "over IPv6");
        bob.events.awaitReceived("over IPv6");
        alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);
        ChatMessage reply = send(bob, alice, "and back");
        bob.events.awaitState(reply.id(), DeliveryState.DELIVERED);
        assertEquals(LinkSecurity.ENCRYPTED, alice.chat.contact(bob.id()).get().orElseThrow().link());
        assertTrue(streamsBetween(alice, bob).get(0).remoteAddress().getAddress() instanceof java.net.Inet6Address);
    }

    @Test
    void threeCoresChatWithEachOtherAtOnce() throws Exception {
        List<ChatCore> three = List.of(start("ann@one"), start("ben@two"), start("cat@three"));
        List<java.util.Map.Entry<ChatCore, ChatMessage>> sent = new ArrayList<>();
        for (ChatCore from : three) {
            for (ChatCore to : three) {
                if (from != to) {
                    for (int i = 0; i < 5; i++) {
                        sent.add(java.util.Map.entry(from, send(from, to, from.id().user() + " to " + to.id().user() + " #" + i)));
                    }
                }
            }
        }
        for (ChatCore from : three) {
            for (ChatCore to : three) {
                if (from != to) {
                    for (int i = 0; i < 5; i++) {
                        to.events.awaitReceived(from.id().user() + " to " + to.id().user() + " #" + i);
                    }
                }
            }
        }
        for (var entry : sent) {
            entry.getKey().events.awaitState(entry.getValue().id(), DeliveryState.DELIVERED);
        }
        // Messages arrive in the order they were sent.
        List<String> annFromBen = three.get(0).events.received().stream()
                .filter(m -> m.peer().equals(three.get(1).id())).map(ChatMessage::body).toList();
        assertEquals(List.of("ben to ann #0", "ben to ann #1", "ben to ann #2", "ben to ann #3", "ben to ann #4"),
                annFromBen);
    }

    @Test
    void aMessageToAnOfflinePeerWaitsInTheOutboxAndGoesOutWhenThePeerAppears() throws Exception {
        ChatCore alice = start("alice@hosta");
        ChatMessage early = alice.chat.send(PeerId.of("bob@hostb"), "are you there?").get();
        alice.events.await(ChatEvent.Unreachable.class, u -> u.peer().name().equals("bob@hostb")
                && u.retryIn().isEmpty());
        assertEquals(List.of(early.id()), alice.chat.latest(PeerId.of("bob@hostb"), 5).get().stream()
                .filter(m -> m.message().state() == DeliveryState.QUEUED).map(m -> m.message().id()).toList());

        ChatCore bob = start("bob@hostb");
        bob.events.awaitReceived("are you there?");
        alice.events.awaitState(early.id(), DeliveryState.DELIVERED);
    }

    @Test
    void theOutboxSurvivesARestart() throws Exception {
        ChatCore alice = start("alice@hosta");
        ChatMessage queued = alice.chat.send(PeerId.of("bob@hostb"), "written before the restart").get();
        alice.close();

        ChatCore again = track(ChatCore.on(link, "alice@hosta").data(alice.data).start());
        ChatCore bob = start("bob@hostb");
        bob.events.awaitReceived("written before the restart");
        again.events.awaitState(queued.id(), DeliveryState.DELIVERED);
        assertEquals(DeliveryState.DELIVERED,
                again.chat.latest(bob.id(), 1).get().get(0).message().state(), "the history says so too");
    }

    @Test
    void aPeerThatVanishesIsOfflineAtOnceAndItsMessagesWaitForItsReturn() throws Exception {
        ChatCore alice = start("alice@hosta");
        ChatCore bob = start("bob@hostb");
        ChatMessage first = send(alice, bob, "one");
        alice.events.awaitState(first.id(), DeliveryState.DELIVERED);

        bob.close();
        alice.events.await(ChatEvent.ContactGone.class, gone -> gone.id().equals(bob.id()));
        ChatMessage second = send(alice, bob, "two");
        alice.events.await(ChatEvent.Unreachable.class, u -> u.peer().equals(bob.id()));

        ChatCore bobAgain = track(ChatCore.on(link, "bob@hostb").data(bob.data).start());
        bobAgain.events.awaitReceived("two");
        alice.events.awaitState(second.id(), DeliveryState.DELIVERED);
    }

    @Test
    void anIdleStreamClosesCleanlyAndTheNextMessageOpensANewOne() throws Exception {
        ChatCore alice = track(ChatCore.on(link, "alice@hosta").idle(Duration.ofMillis(600)).start());
        ChatCore bob = start("bob@hostb");
        ChatMessage first = send(alice, bob, "before the pause");
        alice.events.awaitState(first.id(), DeliveryState.DELIVERED);

        alice.events.await(ChatEvent.ContactChanged.class, changed -> changed.contact().id().equals(bob.id())
                && changed.contact().link() == LinkSecurity.NONE);
        await().atMost(WAIT).until(() -> streamsBetween(alice, bob).isEmpty() && streamsBetween(bob, alice).isEmpty());
        assertTrue(alice.chat.contact(bob.id()).join().orElseThrow().online(), "closing an idle stream is not going offline");

        ChatMessage second = send(alice, bob, "after the pause");
        bob.events.awaitReceived("after the pause");
        alice.events.awaitState(second.id(), DeliveryState.DELIVERED);
    }

    /** Both send their first message at the same moment: both dial, and both keep the same stream. */
    @RepeatedTest(15)
    void whenBothDialAtOnceBothKeepTheStreamOpenedByTheSmallerName() throws Exception {
        ChatCore alice = start("alice@hosta");
        ChatCore bob = start("bob@hostb");

        CompletableFuture<ChatMessage> fromAlice = alice.chat.send(bob.id(), "ping from alice");
        CompletableFuture<ChatMessage> fromBob = bob.chat.send(alice.id(), "ping from bob");
        bob.events.awaitReceived("ping from alice");
        alice.events.awaitReceived("ping from bob");
        alice.events.awaitState(fromAlice.get().id(), DeliveryState.DELIVERED);
        bob.events.awaitState(fromBob.get().id(), DeliveryState.DELIVERED);

        // The loser (if both dials got through) closes with the handshake; one stream stays.
        await().atMost(WAIT).until(() -> streamsBetween(alice, bob).size() == 1
                && streamsBetween(bob, alice).size() == 1);
        XmlStream kept = streamsBetween(alice, bob).get(0);
        assertEquals(Role.INITIATOR, kept.role(), "alice@hosta sorts first, so her stream survives");
        assertEquals(Role.RECIPIENT, streamsBetween(bob, alice).get(0).role());

        // And the survivor carries the conversation on.
        ChatMessage after = send(bob, alice, "still there?");
        alice.events.awaitReceived("still there?");
        bob.events.awaitState(after.id(), DeliveryState.DELIVERED);
        assertEquals(1, alice.events.received().stream().filter(m -> m.body().equals("ping from bob")).count());
    }

    @Test
    void closingACoreStopsEveryThreadItStarted() throws Exception {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        ChatCore alice = start("alice@hosta");
        ChatCore bob = start("bob@hostb");
        ChatMessage message = send(alice, bob, "before closing");
        alice.events.awaitState(message.id(), DeliveryState.DELIVERED);

        alice.close();
        bob.close();
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.isAlive() && !before.contains(thread)
                        && (thread.getName().startsWith("pronto-session")
                        || thread.getName().startsWith("pronto-stream"))));
    }

    @Test
    void aPortHeldByAnotherProgramIsReplacedByAFreeOneAndTheUserIsTold() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ChatCore alice = track(ChatCore.on(link, "alice@hosta").port(taken.getLocalPort()).start());
            ChatEvent.Notice notice = alice.events.await(ChatEvent.Notice.class,
                    n -> n.problem().kind() == chat.pronto.model.Problem.Kind.PORT_IN_USE);
            assertEquals(List.of(Integer.toString(taken.getLocalPort()), Integer.toString(alice.chat.port())),
                    notice.problem().facts());
            ChatCore bob = start("bob@hostb");
            ChatMessage hello = send(bob, alice, "found you anyway");
            alice.events.awaitReceived("found you anyway");
            bob.events.awaitState(hello.id(), DeliveryState.DELIVERED);
        }
    }

    /** Open (not closing) streams of {@code core} with {@code peer}. */
    static List<XmlStream> streamsBetween(ChatCore core, ChatCore peer) {
        return core.chat.engine().streams().stream()
                .filter(stream -> stream.isOpen() && stream.peer().orElse("").equals(peer.id().name()))
                .toList();
    }
}
