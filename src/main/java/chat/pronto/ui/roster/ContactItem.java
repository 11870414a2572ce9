package chat.pronto.ui.roster;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import chat.pronto.model.Contact;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;

/** One row of the peer list, kept up to date from contact events (FX thread only). */
public final class ContactItem {
    private final PeerId id;
    private final StringProperty displayName = new SimpleStringProperty();
    private final StringProperty statusMessage = new SimpleStringProperty("");
    private final ObjectProperty<Status> status = new SimpleObjectProperty<>(Status.AVAILABLE);
    private final BooleanProperty online = new SimpleBooleanProperty();
    private final ObjectProperty<LinkSecurity> link = new SimpleObjectProperty<>(LinkSecurity.NONE);
    private final StringProperty fingerprint = new SimpleStringProperty();
    private final BooleanProperty keyIsNew = new SimpleBooleanProperty();
    private final BooleanProperty verified = new SimpleBooleanProperty();
    private final BooleanProperty direct = new SimpleBooleanProperty();
    private final IntegerProperty unread = new SimpleIntegerProperty();
    private final StringProperty typing = new SimpleStringProperty("");
    /** The SHA-1 of the picture, once it is here to be shown; null: the initials. */
    private final StringProperty avatar = new SimpleStringProperty();

    ContactItem(PeerId id) {
        this.id = id;
        displayName.set(id.name());
    }

    void update(Contact contact) {
        displayName.set(contact.displayName());
        status.set(contact.status());
        statusMessage.set(contact.advert().map(advert -> advert.message()).orElse(""));
        online.set(contact.online());
        link.set(contact.link());
        fingerprint.set(contact.key().orElse(null));
        keyIsNew.set(contact.keyIsNew());
        verified.set(contact.verified());
        direct.set(contact.direct());
        avatar.set(contact.avatar().orElse(null));
    }

    void goneOffline() {
        online.set(false);
        link.set(LinkSecurity.NONE);
    }

    public PeerId id() {
        return id;
    }

    /** Initials for the avatar. */
    public String initials() {
        return chat.pronto.ui.common.Avatar.initials(displayName.get());
    }

    public StringProperty displayNameProperty() {
        return displayName;
    }

    public StringProperty statusMessageProperty() {
        return statusMessage;
    }

    public ObjectProperty<Status> statusProperty() {
        return status;
    }

    public BooleanProperty onlineProperty() {
        return online;
    }

    public ObjectProperty<LinkSecurity> linkProperty() {
        return link;
    }

    public StringProperty fingerprintProperty() {
        return fingerprint;
    }

    /** The key was taken on first use since Pronto started: nobody has confirmed it is theirs. */
    public BooleanProperty keyIsNewProperty() {
        return keyIsNew;
    }

    /** The user compared the pinned key with its owner (or opened their invite link). */
    public BooleanProperty verifiedProperty() {
        return verified;
    }

    /** Reached by address rather than found on this network. */
    public BooleanProperty directProperty() {
        return direct;
    }

    public IntegerProperty unreadProperty() {
        return unread;
    }

    public StringProperty avatarProperty() {
        return avatar;
    }

    public StringProperty typingProperty() {
        return typing;
    }
}
