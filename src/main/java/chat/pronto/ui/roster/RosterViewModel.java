package chat.pronto.ui.roster;

import java.text.Collator;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.model.TypingState;
import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;

/**
 * The nearby-peer list: online first, then by status (available, away, busy), then by name; filtered
 * by the search box; unread counts for every conversation not on screen. FX thread only.
 */
public final class RosterViewModel implements ChatListener {
    private final ObservableList<ContactItem> items = FXCollections.observableArrayList(item -> new javafx.beans.Observable[] {
            item.onlineProperty(), item.statusProperty(), item.displayNameProperty(), item.unreadProperty(),
            item.typingProperty(), item.statusMessageProperty(), item.linkProperty(), item.keyIsNewProperty(), item.avatarProperty(),
            item.verifiedProperty(), item.directProperty(), item.fingerprintProperty()});
    private final Map<PeerId, ContactItem> byId = new LinkedHashMap<>();
    private final StringProperty search = new SimpleStringProperty("");
    private final FilteredList<ContactItem> filtered = new FilteredList<>(items);
    private final SortedList<ContactItem> sorted = new SortedList<>(filtered, order());
    private final ObjectProperty<PeerId> shown = new SimpleObjectProperty<>();
    private final IntegerBinding unreadTotal;

    public RosterViewModel() {
        search.addListener((observable, before, now) -> {
            String needle = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            filtered.setPredicate(needle.isEmpty() ? null : item ->
                    item.displayNameProperty().get().toLowerCase(Locale.ROOT).contains(needle)
                            || item.id().name().toLowerCase(Locale.ROOT).contains(needle));
        });
        unreadTotal = Bindings.createIntegerBinding(
                () -> items.stream().mapToInt(item -> item.unreadProperty().get()).sum(), items);
    }

    private static Comparator<ContactItem> order() {
        Collator collator = Collator.getInstance();
        return Comparator.<ContactItem, Boolean>comparing(item -> !item.onlineProperty().get())
                .thenComparing(item -> rank(item.statusProperty().get()))
                .thenComparing(item -> item.displayNameProperty().get(), collator);
    }

    private static int rank(Status status) {
        return switch (status) {
            case AVAILABLE -> 0;
            case AWAY -> 1;
            case DO_NOT_DISTURB -> 2;
        };
    }

    /** The list as shown: sorted and filtered. */
    public ObservableList<ContactItem> contacts() {
        return sorted;
    }

    public StringProperty searchProperty() {
        return search;
    }

    /** The conversation on screen (its messages count as read). */
    public ObjectProperty<PeerId> shownProperty() {
        return shown;
    }

    public IntegerBinding unreadTotal() {
        return unreadTotal;
    }

    public Optional<ContactItem> find(PeerId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Opens the conversation with {@code id}: it is shown and read. */
    public void show(PeerId id) {
        shown.set(id);
        item(id).unreadProperty().set(0);
    }

    /** Lists someone we have a conversation with, offline until presence says otherwise. */
    public void remember(PeerId id) {
        item(id);
    }

    @Override
    public void onChatEvent(ChatEvent event) {
        if (event instanceof ChatEvent.ContactChanged changed) {
            Contact contact = changed.contact();
            item(contact.id()).update(contact);
        } else if (event instanceof ChatEvent.ContactGone gone) {
            find(gone.id()).ifPresent(ContactItem::goneOffline);
        } else if (event instanceof ChatEvent.MessageAdded added) {
            ChatMessage message = added.message();
            if (message.state() == DeliveryState.RECEIVED && !message.peer().equals(shown.get())) {
                ContactItem item = item(message.peer());
                item.unreadProperty().set(item.unreadProperty().get() + 1);
            }
            item(message.peer()).typingProperty().set("");
        } else if (event instanceof ChatEvent.Typing typing) {
            item(typing.peer()).typingProperty().set(typing.state() == TypingState.COMPOSING ? "typing…" : "");
        }
    }

    private ContactItem item(PeerId id) {
        return byId.computeIfAbsent(id, key -> {
            ContactItem created = new ContactItem(key);
            items.add(created);
            return created;
        });
    }
}
