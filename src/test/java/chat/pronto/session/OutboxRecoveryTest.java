package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.PeerId;
import chat.pronto.testing.MemoryHistory;

/** What a restart does with messages that were written but never acknowledged. */
class OutboxRecoveryTest {
    private static final PeerId PRONTO = PeerId.of("bob@hostb");
    private static final PeerId PIDGIN = PeerId.of("pidgin@hostp");
    private static final PeerId UNKNOWN = PeerId.of("new@hostn");

    private final MemoryHistory history = new MemoryHistory();
    private final RecordingSessionEvents events = new RecordingSessionEvents();

    private void sent(PeerId peer, String id) throws Exception {
        history.append(ChatMessage.outgoing(peer, id, "text " + id, Instant.now()));
        history.transition(peer, id, Set.of(DeliveryState.QUEUED), DeliveryState.SENT, null);
    }

    private DeliveryState state(PeerId peer, String id) {
        return history.find(peer, id).orElseThrow().state();
    }

    @Test
    void unacknowledgedMessagesToPeersThatAcknowledgeGoBackToTheOutboxInTheirOrder() throws Exception {
        history.rememberReceipts(PRONTO, true);
        sent(PRONTO, "m1");
        sent(PRONTO, "m2");
        history.append(ChatMessage.outgoing(PRONTO, "m3", "queued before the crash", Instant.now()));

        assertEquals(2, OutboxRecovery.requeue(history, events));
        assertEquals(List.of("m1", "m2", "m3"), history.outbox(PRONTO).stream().map(s -> s.message().id()).toList(),
                "same ids, same order: the peer drops what it has already");
        assertEquals(List.of(DeliveryState.QUEUED), events.statesOf("m1"));
    }

    @Test
    void aPeerKnownNeverToAcknowledgeIsNotSentAnythingTwice() throws Exception {
        history.rememberReceipts(PIDGIN, false);
        sent(PIDGIN, "p1");
        assertEquals(0, OutboxRecovery.requeue(history, events));
        assertEquals(DeliveryState.SENT, state(PIDGIN, "p1"));
    }

    @Test
    void aPeerNeverHeardFromIsAssumedToAcknowledge() throws Exception {
        sent(UNKNOWN, "u1");
        assertEquals(1, OutboxRecovery.requeue(history, events));
        assertEquals(DeliveryState.QUEUED, state(UNKNOWN, "u1"));
    }

    @Test
    void deliveredAndFailedMessagesStayAsTheyAre() throws Exception {
        sent(PRONTO, "d1");
        history.transition(PRONTO, "d1", Set.of(DeliveryState.SENT), DeliveryState.DELIVERED, null);
        sent(PRONTO, "f1");
        history.transition(PRONTO, "f1", Set.of(DeliveryState.SENT), DeliveryState.FAILED, null);
        assertEquals(0, OutboxRecovery.requeue(history, events));
        assertEquals(DeliveryState.DELIVERED, state(PRONTO, "d1"));
        assertEquals(DeliveryState.FAILED, state(PRONTO, "f1"));
    }
}
