package chat.pronto.ui.roster;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import chat.pronto.model.LinkSecurity;
import chat.pronto.ui.common.Avatar;
import chat.pronto.ui.common.Icons;

/**
 * A peer in the list: avatar with a status dot, name, then always the instance name (which nobody else
 * can hold) before the status message or typing, lock, "new key", unread badge. The instance name comes
 * first on its line so that a nick and a status message made to look like someone else's cannot hide it.
 */
final class ContactCell extends ListCell<ContactItem> {
    @Override
    protected void updateItem(ContactItem item, boolean empty) {
        super.updateItem(item, empty);
        setText(null);
        if (empty || item == null) {
            setGraphic(null);
            setTooltip(null);
            setAccessibleText(null);
            return;
        }
        Avatar avatar = new Avatar(Bindings.createStringBinding(item::initials, item.displayNameProperty()),
                item.id().name(), 36);
        Region dot = new Region();
        dot.getStyleClass().add("status-dot");
        dot.getStyleClass().add(item.onlineProperty().get() ? "status-" + item.statusProperty().get().txtValue()
                : "status-offline");
        StackPane face = new StackPane(avatar, dot);
        StackPane.setAlignment(dot, Pos.BOTTOM_RIGHT);

        Label name = new Label(item.displayNameProperty().get());
        name.getStyleClass().add("contact-name");
        String said = !item.typingProperty().get().isEmpty() ? item.typingProperty().get()
                : item.statusMessageProperty().get();
        Label detail = new Label(said.isEmpty() ? item.id().name() : item.id().name() + " · " + said);
        detail.getStyleClass().add(item.typingProperty().get().isEmpty() ? "contact-detail" : "contact-typing");
        VBox text = new VBox(1, name, detail);
        HBox.setHgrow(text, Priority.ALWAYS);

        HBox row = new HBox(10, face, text);
        row.setAlignment(Pos.CENTER_LEFT);
        LinkSecurity link = item.linkProperty().get();
        if (link != LinkSecurity.NONE) {
            Label lock = new Label(null, link.isEncrypted() ? Icons.lock() : Icons.warning());
            lock.getStyleClass().add(link.isEncrypted() ? "link-encrypted" : "link-plain");
            lock.setTooltip(new Tooltip(link.isEncrypted() ? "Encrypted, key pinned"
                    : "Not encrypted: anyone on this network can read it"));
            row.getChildren().add(lock);
        }
        if (link.isEncrypted() && item.keyIsNewProperty().get()) {
            Label fresh = new Label("new key");
            fresh.getStyleClass().add("key-new");
            fresh.setTooltip(new Tooltip("Key first seen just now: only the name vouches for it."
                    + " Compare fingerprints with them (Key…) to be sure."));
            row.getChildren().add(fresh);
        }
        int unread = item.unreadProperty().get();
        if (unread > 0) {
            Label badge = new Label(unread > 99 ? "99+" : Integer.toString(unread));
            badge.getStyleClass().add("unread-badge");
            row.getChildren().add(badge);
        }
        setGraphic(row);
        setTooltip(new Tooltip(item.id().name()));
        setAccessibleText(item.displayNameProperty().get() + ", " + item.id().name() + ", " + (item.onlineProperty().get()
                ? item.statusProperty().get().name().toLowerCase().replace('_', ' ') : "offline")
                + (unread > 0 ? ", " + unread + " unread" : ""));
    }
}
