package chat.pronto.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One chat message in a conversation with {@code peer}.
 *
 * @param id            the stanza id (ours for outgoing; the peer's, or one we made up, for incoming)
 * @param failure       why it failed, for {@link DeliveryState#FAILED}; otherwise null
 */
public record ChatMessage(PeerId peer, String id, Direction direction, String body, Instant at,
                          DeliveryState state, Problem failure) {
    public ChatMessage {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
    }

    public static ChatMessage outgoing(PeerId peer, String id, String body, Instant at) {
        return new ChatMessage(peer, id, Direction.OUTGOING, body, at, DeliveryState.QUEUED, null);
    }

    public static ChatMessage incoming(PeerId peer, String id, String body, Instant at) {
        return new ChatMessage(peer, id, Direction.INCOMING, body, at, DeliveryState.RECEIVED, null);
    }

    public ChatMessage withState(DeliveryState newState, Problem why) {
        return new ChatMessage(peer, id, direction, body, at, newState, why);
    }
}
