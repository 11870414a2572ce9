package chat.pronto.ui.chat;

import chat.pronto.session.NotSentException;
import chat.pronto.words.Sentences;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.Transfer;
import chat.pronto.model.TypingState;
import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;
import chat.pronto.session.ChatService;

/**
 * One conversation: its messages (history first, then live), the draft, sending and retrying, and
 * the peer's typing state. FX thread only; results of the chat service come back through {@code fx}.
 */
public final class ConversationViewModel implements ChatListener {
    static final int PAGE = 50;

    private final PeerId peer;
    private final ChatService chat;
    private final Executor fx;
    private final ObservableList<MessageItem> messages = FXCollections.observableArrayList(
            item -> item.transfer() != null
                    ? new javafx.beans.Observable[] {item.stateProperty(), item.transfer().transferProperty()}
                    : new javafx.beans.Observable[] {item.stateProperty(), item.failureProperty()});
    private final Map<String, MessageItem> byId = new HashMap<>();
    private final StringProperty draft = new SimpleStringProperty("");
    private final StringProperty typing = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final BooleanProperty moreHistory = new SimpleBooleanProperty(false);
    /** The first page of history is in: true once, after {@link #load}. */
    private final BooleanProperty historyShown = new SimpleBooleanProperty(false);
    private long oldestNumber = Long.MAX_VALUE;
    private boolean composing;

    public ConversationViewModel(PeerId peer, ChatService chat, Executor fx) {
        this.peer = peer;
        this.chat = chat;
        this.fx = fx;
        draft.addListener((observable, before, now) -> draftChanged(now));
    }

    public PeerId peer() {
        return peer;
    }

    /** Loads the last page of history (before anything live that already arrived), and the files. */
    public void load() {
        chat.latest(peer, PAGE).thenAcceptAsync(page -> {
                    prepend(page);
                    historyShown.set(true);
                }, fx)
                .thenCompose(done -> chat.transfers())
                .thenAcceptAsync(all -> all.stream().filter(transfer -> transfer.peer().equals(peer))
                        // Only what is not shown yet: a live event may already have brought newer news.
                        .filter(transfer -> !byId.containsKey(MessageItem.transferKey(transfer.id())))
                        .forEach(transfer -> transferChanged(transfer, 0)), fx);
    }

    /** Loads the page before the oldest message shown. */
    public void loadOlder() {
        if (oldestNumber != Long.MAX_VALUE) {
            chat.older(peer, oldestNumber, PAGE).thenAcceptAsync(this::prepend, fx);
        }
    }

    private void prepend(List<StoredMessage> page) {
        List<MessageItem> older = page.stream().filter(stored -> !byId.containsKey(stored.message().id()))
                .map(stored -> remember(new MessageItem(stored.message()))).toList();
        messages.addAll(0, older);
        keepInTimeOrder();
        page.stream().mapToLong(StoredMessage::number).min().ifPresent(n -> oldestNumber = Math.min(oldestNumber, n));
        moreHistory.set(page.size() == PAGE);
    }

    /** Sends the draft (Enter); an empty draft sends nothing. */
    public void send() {
        String text = draft.get() == null ? "" : draft.get().strip();
        if (text.isEmpty()) {
            return;
        }
        draft.set("");
        problem.set("");
        composing = false;
        chat.send(peer, text).whenCompleteAsync((message, error) -> {
            if (error != null) {
                draft.set(text); // nothing is lost: the words come back into the box
                problem.set(rootMessage(error));
            }
        }, fx);
    }

    public void retry(MessageItem item) {
        chat.retry(peer, item.id()).whenCompleteAsync((message, error) -> {
            if (error != null) {
                problem.set(rootMessage(error));
            }
        }, fx);
    }

    private void draftChanged(String text) {
        boolean typingNow = text != null && !text.isBlank();
        if (typingNow != composing) {
            composing = typingNow;
            chat.setTyping(peer, typingNow ? TypingState.COMPOSING : TypingState.ACTIVE);
        }
    }

    @Override
    public void onChatEvent(ChatEvent event) {
        if (event instanceof ChatEvent.MessageAdded added && added.message().peer().equals(peer)) {
            ChatMessage message = added.message();
            if (!byId.containsKey(message.id())) {
                messages.add(remember(new MessageItem(message)));
            }
            if (message.direction() == Direction.INCOMING) {
                typing.set("");
            }
        } else if (event instanceof ChatEvent.MessageUpdated updated && updated.message().peer().equals(peer)) {
            MessageItem item = byId.get(updated.message().id());
            if (item != null) {
                item.update(updated.message());
            }
        } else if (event instanceof ChatEvent.Typing state && state.peer().equals(peer)) {
            typing.set(switch (state.state()) {
                case COMPOSING -> "is typing…";
                case PAUSED -> "stopped typing";
                default -> "";
            });
        } else if (event instanceof ChatEvent.TransferUpdated updated && updated.transfer().peer().equals(peer)) {
            transferChanged(updated.transfer(), updated.nanos());
        } else if (event instanceof ChatEvent.Unreachable unreachable && unreachable.peer().equals(peer)) {
            problem.set(Sentences.of(unreachable.problem(), peer.name()) + unreachable.retryIn()
                    .map(wait -> " — trying again in " + Math.max(1, Math.round(wait.toMillis() / 1000.0)) + " s")
                    .orElse(""));
        }
    }

    private void transferChanged(Transfer transfer, long nanos) {
        MessageItem item = byId.get(MessageItem.transferKey(transfer.id()));
        if (item != null) {
            item.transfer().update(transfer, nanos);
            return;
        }
        messages.add(remember(new MessageItem(transfer)));
        keepInTimeOrder();
    }

    /** Files and pages of history arrive apart: the list stays in the order things happened. */
    private void keepInTimeOrder() {
        for (int i = 1; i < messages.size(); i++) {
            if (messages.get(i - 1).at().isAfter(messages.get(i).at())) {
                FXCollections.sort(messages, java.util.Comparator.comparing(MessageItem::at));
                return;
            }
        }
    }

    // ---- files -------------------------------------------------------------------------------------------

    /** Offers each file (dropped, pasted, picked); a folder offers every file in it, keeping its tree. */
    public void sendFiles(List<Path> files) {
        chat.sendFiles(peer, files).whenCompleteAsync((transfers, error) -> {
            if (error != null) {
                problem.set("Could not send " + (files.size() == 1 ? files.get(0).getFileName() : files.size() + " files")
                        + ": " + rootMessage(error));
            }
        }, fx);
    }

    public void accept(MessageItem item) {
        act(chat.acceptFile(item.transfer().transfer().id(), java.util.Optional.empty()));
    }

    public void decline(MessageItem item) {
        act(chat.declineFile(item.transfer().transfer().id()));
    }

    public void cancel(MessageItem item) {
        act(chat.cancelTransfer(item.transfer().transfer().id()));
    }

    private void act(java.util.concurrent.CompletableFuture<Transfer> action) {
        action.whenCompleteAsync((transfer, error) -> {
            if (error != null) {
                problem.set(rootMessage(error));
            }
        }, fx);
    }

    private MessageItem remember(MessageItem item) {
        byId.put(item.id(), item);
        return item;
    }

    private String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause && !(cause instanceof NotSentException)) {
            cause = cause.getCause();
        }
        return Sentences.of(cause, peer.name());
    }

    public ObservableList<MessageItem> messages() {
        return messages;
    }

    public StringProperty draftProperty() {
        return draft;
    }

    public StringProperty typingProperty() {
        return typing;
    }

    /** A line about what went wrong (unreachable, not stored), empty when all is well. */
    public StringProperty problemProperty() {
        return problem;
    }

    /** Turns true when the first page of history is in the list (under whatever came live before it). */
    public javafx.beans.property.ReadOnlyBooleanProperty historyShownProperty() {
        return historyShown;
    }

    public BooleanProperty moreHistoryProperty() {
        return moreHistory;
    }
}
