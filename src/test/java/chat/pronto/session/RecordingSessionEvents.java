package chat.pronto.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.PeerId;
import chat.pronto.stream.StreamEnd;

/** Captures what the session parts report, in order. */
final class RecordingSessionEvents implements SessionEvents {
    final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    final List<PeerId> linkChanges = new CopyOnWriteArrayList<>();
    final List<StreamEnd.KeyChanged> keyChanges = new CopyOnWriteArrayList<>();
    /** Runs as each link change is told (to see what had happened by then). */
    volatile Runnable whenLinkChanged = () -> { };

    @Override
    public void emit(ChatEvent event) {
        events.add(event);
    }

    @Override
    public void linkChanged(PeerId peer) {
        linkChanges.add(peer);
        whenLinkChanged.run();
    }

    @Override
    public void keyChanged(PeerId peer, StreamEnd.KeyChanged changed) {
        keyChanges.add(changed);
    }

    <T extends ChatEvent> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The states message {@code id} was reported in, in order. */
    List<DeliveryState> statesOf(String id) {
        return all(ChatEvent.MessageUpdated.class).stream().map(ChatEvent.MessageUpdated::message)
                .filter(message -> message.id().equals(id)).map(ChatMessage::state).toList();
    }

    ChatMessage lastUpdateOf(String id) {
        List<ChatMessage> updates = all(ChatEvent.MessageUpdated.class).stream().map(ChatEvent.MessageUpdated::message)
                .filter(message -> message.id().equals(id)).toList();
        return updates.get(updates.size() - 1);
    }
}
