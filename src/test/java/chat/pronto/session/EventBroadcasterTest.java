package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.model.TypingState;

/**
 * What reaches the front ends: contacts only when they changed, typing and contact news at most once
 * per peer per interval (the latest), every stored message, in order.
 */
class EventBroadcasterTest {
    private static final PeerId BOB = PeerId.of("bob@hostb");
    private static final PeerId CAROL = PeerId.of("carol@hostc");
    private static final Duration INTERVAL = Duration.ofMillis(100);

    /** Runs each task at once, on the caller's thread. */
    private static final class RightHere extends AbstractExecutorService {
        private boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Map<PeerId, Contact> network = new HashMap<>();
    private final EventBroadcaster events = new EventBroadcaster(new RightHere(),
            peer -> network.getOrDefault(peer,
                    new Contact(peer, Optional.empty(), LinkSecurity.NONE, Optional.empty(), false)),
            scheduler, scheduler::nanoTime, INTERVAL);
    private final List<ChatEvent> heard = new CopyOnWriteArrayList<>();

    EventBroadcasterTest() {
        events.addListener(heard::add);
    }

    private void bobIs(Status status, String message) throws Exception {
        PeerAdvert advert = new PeerAdvert(BOB, List.of(InetAddress.getByName("10.0.0.2")), 5298, status, message,
                "bob", "Bob", "", "", "", Optional.empty());
        network.put(BOB, new Contact(BOB, Optional.of(advert), LinkSecurity.NONE, Optional.empty(), false));
    }

    private <T extends ChatEvent> List<T> heard(Class<T> type) {
        return heard.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aContactThatDidNotChangeIsNotToldAgain() throws Exception {
        bobIs(Status.AVAILABLE, "");
        for (int i = 0; i < 246; i++) { // one mDNS change, as JmDNS reported it (seen: 246 events in one second)
            events.linkChanged(BOB);
        }
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(1, heard(ChatEvent.ContactChanged.class).size());

        bobIs(Status.AWAY, "lunch");
        scheduler.advance(Duration.ofSeconds(1));
        events.linkChanged(BOB);
        events.linkChanged(BOB);
        assertEquals(2, heard(ChatEvent.ContactChanged.class).size());
        assertEquals(Status.AWAY, heard(ChatEvent.ContactChanged.class).get(1).contact().status());
    }

    @Test
    void aContactThatKeepsChangingIsToldAtMostOncePerIntervalAndItsLatestStateLast() throws Exception {
        for (int i = 0; i < 500; i++) {
            bobIs(i % 2 == 0 ? Status.AWAY : Status.AVAILABLE, "flapping " + i);
            events.linkChanged(BOB);
            scheduler.advance(Duration.ofMillis(1));
        }
        network.remove(BOB);
        events.linkChanged(BOB); // gone
        scheduler.advance(INTERVAL);

        List<ChatEvent> aboutBob = heard.stream().filter(event -> event instanceof ChatEvent.ContactChanged
                || event instanceof ChatEvent.ContactGone).toList();
        assertTrue(aboutBob.size() <= 7, aboutBob.size() + " contact events in half a second");
        assertEquals(new ChatEvent.ContactGone(BOB), aboutBob.get(aboutBob.size() - 1));
    }

    @Test
    void aTypingFloodIsToldAtMostOncePerIntervalButEveryMessageIsToldInOrder() {
        for (int i = 0; i < 1000; i++) {
            events.emit(new ChatEvent.Typing(BOB, i % 2 == 0 ? TypingState.COMPOSING : TypingState.PAUSED));
            if (i % 100 == 0) {
                events.emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "m" + i, "hi " + i, Instant.now())));
            }
        }
        events.emit(new ChatEvent.Typing(CAROL, TypingState.COMPOSING)); // another peer is not held up
        events.emit(new ChatEvent.Typing(BOB, TypingState.ACTIVE));

        assertEquals(List.of("m0", "m100", "m200", "m300", "m400", "m500", "m600", "m700", "m800", "m900"),
                heard(ChatEvent.MessageAdded.class).stream().map(added -> added.message().id()).toList());
        assertEquals(2, heard(ChatEvent.Typing.class).size(), "typing events told at once");
        assertEquals(List.of(new ChatEvent.Typing(BOB, TypingState.COMPOSING), new ChatEvent.Typing(CAROL,
                TypingState.COMPOSING)), heard(ChatEvent.Typing.class));

        scheduler.advance(INTERVAL);
        assertEquals(new ChatEvent.Typing(BOB, TypingState.ACTIVE), heard.get(heard.size() - 1), "the latest, at last");
        assertEquals(3, heard(ChatEvent.Typing.class).size());
    }

    /** A burst handed to the events thread while it is busy is told whole, and then once that it ended. */
    @Test
    void theEndOfABurstIsToldOnceAfterItsLastEvent() throws Exception {
        java.util.concurrent.ExecutorService thread = chat.pronto.threads.Threads.single("pronto-test-events");
        EventBroadcaster burst = new EventBroadcaster(thread, peer -> network.get(peer), scheduler,
                scheduler::nanoTime, INTERVAL);
        chat.pronto.testing.BurstRecorder recorder = new chat.pronto.testing.BurstRecorder();
        burst.addListener(recorder);
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        thread.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 50; i++) {
            burst.emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "m" + i, "hi", Instant.now())));
        }
        busy.countDown();
        // A second burst after the first has been told: its own end.
        java.util.concurrent.CountDownLatch firstTold = new java.util.concurrent.CountDownLatch(1);
        thread.execute(firstTold::countDown);
        assertTrue(firstTold.await(10, TimeUnit.SECONDS));
        burst.emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "late", "hi", Instant.now())));
        assertTrue(recorder.awaitEnds(2, 10));
        chat.pronto.threads.Threads.shutdown(thread, Duration.ofSeconds(2));

        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("m" + i);
        }
        expected.addAll(List.of("end", "late", "end"));
        assertEquals(expected, recorder.told);
    }

    /** A listener that fails with an Error does not leave the burst open (what the front ends hold would stay held). */
    @Test
    void theEndOfABurstIsToldEvenAfterAListenerFailedWithAnError() {
        List<String> told = new CopyOnWriteArrayList<>();
        events.addListener(new ChatListener() {
            @Override
            public void onChatEvent(ChatEvent event) {
                throw new StackOverflowError("a listener that recursed");
            }

            @Override
            public void eventsDrained() {
                told.add("end");
            }
        });
        org.junit.jupiter.api.Assertions.assertThrows(StackOverflowError.class, () -> events.emit(
                new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "m", "hi", Instant.now()))));
        assertEquals(List.of("end"), told);
    }
}
