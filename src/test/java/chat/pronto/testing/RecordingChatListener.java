package chat.pronto.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;

/** Captures every chat event; tests wait (with a timeout) for the one they expect. */
public final class RecordingChatListener implements ChatListener {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onChatEvent(ChatEvent event) {
        events.add(event);
    }

    public List<ChatEvent> events() {
        return List.copyOf(events);
    }

    public <T extends ChatEvent> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends ChatEvent> T await(Class<T> type, Predicate<T> condition) {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> find(type, condition).isPresent());
        return find(type, condition).orElseThrow();
    }

    public <T extends ChatEvent> Optional<T> find(Class<T> type, Predicate<T> condition) {
        return all(type).stream().filter(condition).findFirst();
    }

    /** Waits until the message arrives with {@code body}, and returns it. */
    public ChatMessage awaitReceived(String body) {
        return await(ChatEvent.MessageAdded.class, added -> added.message().body().equals(body)
                && added.message().state() == DeliveryState.RECEIVED).message();
    }

    /** Waits until our message {@code id} reaches {@code state}. */
    public ChatMessage awaitState(String id, DeliveryState state) {
        return await(ChatEvent.MessageUpdated.class, updated -> updated.message().id().equals(id)
                && updated.message().state() == state).message();
    }

    public List<ChatMessage> received() {
        return all(ChatEvent.MessageAdded.class).stream().map(ChatEvent.MessageAdded::message)
                .filter(message -> message.state() == DeliveryState.RECEIVED).toList();
    }

    public void clear() {
        events.clear();
    }
}
