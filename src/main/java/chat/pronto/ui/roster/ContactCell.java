package chat.pronto.ui.roster;

import java.util.ArrayList;
import java.util.List;

import javafx.geometry.Pos;
import javafx.scene.Node;
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
 *
 * <p>The nodes are made once per cell and only updated: a row rebuilt on every unread count or key event
 * would swap the node under a pointer (and costs a full layout per change with thousands of peers).
 */
final class ContactCell extends ListCell<ContactItem> {
    private final Avatar avatar = new Avatar(36);
    private final Region dot = new Region();
    private final Label name = new Label();
    private final Label detail = new Label();
    private final Label encrypted = new Label(null, Icons.lock());
    private final Label plain = new Label(null, Icons.warning());
    private final Label fresh = new Label("new key");
    private final Label verified = new Label(null, Icons.shieldCheck());
    private final Label badge = new Label();
    private final StackPane face = new StackPane(avatar, dot);
    private final VBox text = new VBox(1, name, detail);
    private final HBox row = new HBox(10);
    /** Made when the row first shows someone: the list makes a screenful of cells, most of them empty. */
    private Tooltip whose;
    private String statusClass;
    private final chat.pronto.ui.common.Pictures pictures;
    /** The picture asked for (or on show), so that a late answer for another row's person is dropped. */
    private String pictured;

    ContactCell() {
        this(null);
    }

    ContactCell(chat.pronto.ui.common.Pictures pictures) {
        this.pictures = pictures;
        dot.getStyleClass().add("status-dot");
        StackPane.setAlignment(dot, Pos.BOTTOM_RIGHT);
        name.getStyleClass().add("contact-name");
        HBox.setHgrow(text, Priority.ALWAYS);
        encrypted.getStyleClass().add("link-encrypted");
        plain.getStyleClass().add("link-plain");
        fresh.getStyleClass().add("key-new");
        verified.getStyleClass().add("key-verified");
        verified.setAccessibleText("verified");
        badge.getStyleClass().add("unread-badge");
        row.setAlignment(Pos.CENTER_LEFT);
        // The row is as wide as the list, never wider: the list would scroll sideways and hide the marks.
        // The name and the detail give way (ellipsis); the face and the marks keep their size.
        setPrefWidth(0);
        text.setMinWidth(0);
        for (Region whole : List.of(face, encrypted, plain, fresh, verified, badge)) {
            whole.setMinWidth(Region.USE_PREF_SIZE);
        }
    }

    @Override
    protected void updateItem(ContactItem item, boolean empty) {
        super.updateItem(item, empty);
        setText(null);
        if (empty || item == null) {
            pictured = null;
            setGraphic(null);
            setTooltip(null);
            setAccessibleText(null);
            return;
        }
        boolean online = item.onlineProperty().get();
        avatar.show(item.initials(), item.id().name());
        showPicture(item);
        showStatus(online ? "status-" + item.statusProperty().get().txtValue() : "status-offline");

        name.setText(item.displayNameProperty().get());
        String typing = item.typingProperty().get();
        String said = !typing.isEmpty() ? typing : item.statusMessageProperty().get();
        // The instance name stays first; "by address" after it, as it is how we reach them, not who they are.
        String name = item.id().name() + (item.directProperty().get() ? " · by address" : "");
        detail.setText(said.isEmpty() ? name : name + " · " + said);
        detail.getStyleClass().setAll("label", typing.isEmpty() ? "contact-detail" : "contact-typing");

        LinkSecurity link = item.linkProperty().get();
        int unread = item.unreadProperty().get();
        badge.setText(unread > 99 ? "99+" : Integer.toString(unread));
        List<Node> shown = new ArrayList<>(6);
        shown.add(face);
        shown.add(text);
        boolean isVerified = item.verifiedProperty().get();
        if (isVerified) {
            // the key was compared: stronger than the lock, shown while offline too
            shown.add(explained(verified, "Verified: you compared keys with them"));
        }
        if (link != LinkSecurity.NONE && !(isVerified && link.isEncrypted())) {
            shown.add(link.isEncrypted() ? explained(encrypted, "Encrypted, key pinned")
                    : explained(plain, "Not encrypted: anyone on this network can read it"));
        }
        if (link.isEncrypted() && item.keyIsNewProperty().get() && !isVerified) {
            shown.add(explained(fresh, "Key first seen just now: only the name vouches for it."
                    + " Compare fingerprints with them (Key…) to be sure."));
        }
        if (unread > 0) {
            shown.add(badge);
        }
        // Only what is shown is in the row (absent, not hidden: lookups and screen readers see the same).
        if (!row.getChildren().equals(shown)) {
            row.getChildren().setAll(shown);
        }

        setGraphic(row);
        if (whose == null) {
            whose = new Tooltip();
        }
        whose.setText(item.id().name() + (item.directProperty().get()
                ? "\nReached by address: not found on this network, so its status comes over the connection" : ""));
        setTooltip(whose);
        setAccessibleText(item.displayNameProperty().get() + ", " + item.id().name() + ", " + (online
                ? item.statusProperty().get().name().toLowerCase().replace('_', ' ') : "offline")
                + (isVerified ? ", verified" : "")
                + (unread > 0 ? ", " + unread + " unread" : ""));
    }

    private void showPicture(ContactItem item) {
        String hash = item.avatarProperty().get();
        String wanted = hash == null ? null : item.id().name() + "/" + hash;
        if (java.util.Objects.equals(wanted, pictured)) {
            return;
        }
        pictured = wanted;
        avatar.picture(null);
        if (hash != null && pictures != null) {
            pictures.load(item.id(), hash, image -> {
                if (wanted.equals(pictured)) {
                    avatar.picture(image);
                }
            });
        }
    }

    /**
     * {@code label}, with its tooltip made the first time it is shown: a tooltip is a popup window of its
     * own, and five per cell for a screenful of mostly empty cells were an eighth of the first frame's work.
     */
    private static Label explained(Label label, String tooltip) {
        if (label.getTooltip() == null) {
            label.setTooltip(new Tooltip(tooltip));
        }
        return label;
    }

    /** The row's icons whether shown or not (tests: what an empty cell has made). */
    List<Label> icons() {
        return List.of(encrypted, plain, fresh, verified);
    }

    /** The tooltip naming the row's person (null until the row first shows someone). */
    Tooltip whoseTooltip() {
        return whose;
    }

    private void showStatus(String next) {
        if (!next.equals(statusClass)) {
            dot.getStyleClass().remove(statusClass);
            dot.getStyleClass().add(next);
            statusClass = next;
        }
    }
}
