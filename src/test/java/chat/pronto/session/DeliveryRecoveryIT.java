package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.Problem;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

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
}
