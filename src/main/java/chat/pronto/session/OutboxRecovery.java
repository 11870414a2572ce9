package chat.pronto.session;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import chat.pronto.history.History;
import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;

/**
 * At start, after a crash, a {@code kill -9} or a quit that did not wait for the peers: messages
 * written to a stream but never acknowledged may not have arrived, and nothing in this process
 * waits for their receipts any more. Those to peers that acknowledge go back to the outbox and out
 * again under the same id (the peer drops the duplicate and acknowledges it again; a receipt for
 * the first copy still marks it delivered). To a peer known never to acknowledge (Pidgin), sent is
 * as far as a message goes: sending it again would show it twice.
 */
final class OutboxRecovery {
    private OutboxRecovery() {
    }

    /** Requeues what may not have arrived; returns how many went back. */
    static int requeue(History history, SessionEvents events) throws IOException {
        Map<PeerId, Optional<Boolean>> acknowledges = new HashMap<>();
        int requeued = 0;
        for (StoredMessage stored : history.sentUnacknowledged()) {
            PeerId peer = stored.message().peer();
            Optional<Boolean> known = acknowledges.get(peer);
            if (known == null) {
                known = history.sendsReceipts(peer);
                acknowledges.put(peer, known);
            }
            // Never learned (the crash came before its first receipt or disco#info answer): a 1.0
            // peer that acknowledges is the common case, and a duplicate is dropped by id.
            if (known.orElse(true)) {
                Optional<ChatMessage> back = history.transition(peer, stored.message().id(), EnumSet.of(DeliveryState.SENT),
                        DeliveryState.QUEUED, null);
                if (back.isPresent()) {
                    requeued++;
                    events.emit(new ChatEvent.MessageUpdated(back.get()));
                }
            }
        }
        return requeued;
    }
}
