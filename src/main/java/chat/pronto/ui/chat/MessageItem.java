package chat.pronto.ui.chat;

import chat.pronto.words.Sentences;
import java.time.Instant;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.Direction;

/** One message on screen; its delivery state changes in place (FX thread only). */
public final class MessageItem {
    private final String id;
    private final Direction direction;
    private final String body;
    private final Instant at;
    private final ObjectProperty<DeliveryState> state = new SimpleObjectProperty<>();
    private final StringProperty failure = new SimpleStringProperty();

    /** A file sent or received, shown among the messages at the time it was offered; null for a message. */
    private final TransferItem transfer;

    MessageItem(ChatMessage message) {
        this.id = message.id();
        this.direction = message.direction();
        this.body = message.body();
        this.at = message.at();
        this.transfer = null;
        update(message);
    }

    MessageItem(chat.pronto.model.Transfer file) {
        this.id = transferKey(file.id());
        this.direction = file.direction();
        this.body = file.name();
        this.at = file.at();
        this.transfer = new TransferItem(file);
        state.set(file.direction() == Direction.OUTGOING ? DeliveryState.SENT : DeliveryState.RECEIVED);
    }

    /** Transfers and messages share the list: their keys never collide. */
    static String transferKey(String transferId) {
        return "file:" + transferId;
    }

    /** The file this row shows, or null for a message. */
    public TransferItem transfer() {
        return transfer;
    }

    void update(ChatMessage message) {
        state.set(message.state());
        failure.set(message.failure() == null ? null : Sentences.of(message.failure(), message.peer().name()));
    }

    public String id() {
        return id;
    }

    public Direction direction() {
        return direction;
    }

    public boolean outgoing() {
        return direction == Direction.OUTGOING;
    }

    public String body() {
        return body;
    }

    public Instant at() {
        return at;
    }

    public ObjectProperty<DeliveryState> stateProperty() {
        return state;
    }

    public StringProperty failureProperty() {
        return failure;
    }

    /** The mark beside an outgoing message: ◷ queued, ✓ sent, ✓✓ delivered, ! failed. */
    public static String mark(DeliveryState state) {
        return switch (state) {
            case QUEUED -> "◷";
            case SENT -> "✓";
            case DELIVERED -> "✓✓";
            case FAILED -> "!";
            case RECEIVED -> "";
        };
    }
}
