package chat.pronto.ui.chat;

import java.util.concurrent.Executor;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import chat.pronto.model.LinkSecurity;
import chat.pronto.ui.common.Avatar;
import chat.pronto.ui.common.Icons;
import chat.pronto.ui.roster.ContactItem;

/** One conversation on screen: header with who and how safe, the messages, typing, and the compose box. */
public final class ConversationView extends BorderPane {
    /** Set on the list while a scroll to its end waits for the next layout. */
    private static final String SCROLL_PENDING = "pronto.scrollToEndPending";
    private final TextArea compose = new TextArea();
    /** Undoes what this view hung on the model and the contact, which outlive it ({@link #dispose}). */
    private final java.util.List<Runnable> detach = new java.util.ArrayList<>();

    /** Links in messages open in the browser through {@code background} (it starts a process). */
    public ConversationView(ConversationViewModel model, ContactItem contact, Runnable showKey, Executor background) {
        this(model, contact, showKey, background, null, null);
    }

    /** {@code pasted}: where pictures pasted from the clipboard are kept (they are sent as files). */
    public ConversationView(ConversationViewModel model, ContactItem contact, Runnable showKey, Executor background,
                            java.nio.file.Path pasted, chat.pronto.ui.common.Pictures pictures) {
        getStyleClass().add("conversation");
        setTop(header(contact, showKey, pictures, detach));

        ListView<MessageItem> messages = new ListView<>(model.messages());
        Thumbnails thumbnails = new Thumbnails(background, javafx.application.Platform::runLater);
        FileActions actions = new ConversationFiles(model, background);
        messages.setCellFactory(list -> new MessageCell(model::retry, link -> Links.open(link, background), actions,
                thumbnails));
        messages.getStyleClass().add("messages");
        messages.setFocusTraversable(false);
        messages.setPlaceholder(new Label("No messages yet. Say hello!"));
        messages.setAccessibleText("Messages with " + contact.displayNameProperty().get());
        javafx.collections.ListChangeListener<MessageItem> followNewest = change -> {
            while (change.next()) {
                if (change.wasAdded() && change.getTo() == model.messages().size()) {
                    scrollToEnd(messages);
                } else if (change.wasUpdated() && change.getTo() == model.messages().size() && isNearBottom(messages)) {
                    // The last row grew (a file's progress bar, its picture): whoever was reading the end still sees it.
                    scrollToEnd(messages);
                }
            }
        };
        model.messages().addListener(followNewest);
        detach.add(() -> model.messages().removeListener(followNewest));
        // Scrolled to the top: the page before comes from the history (at the top, the view stays put).
        messages.addEventFilter(javafx.scene.input.ScrollEvent.SCROLL, event -> {
            if (event.getDeltaY() > 0 && model.moreHistoryProperty().get() && isAtTop(messages)) {
                model.loadOlder();
            }
        });
        // Bubbles are as wide as the conversation allows: when it changes, the rows on screen are made again
        // (once per pulse, however many steps a window's resize takes).
        boolean[] refreshing = {false};
        messages.widthProperty().addListener((observable, before, now) -> {
            if (!refreshing[0] && MessageCell.textWidthFor(before.doubleValue()) != MessageCell.textWidthFor(now.doubleValue())) {
                refreshing[0] = true;
                boolean atEnd = isNearBottom(messages);
                javafx.application.Platform.runLater(() -> {
                    refreshing[0] = false;
                    messages.refresh();
                    if (atEnd) {
                        scrollToEnd(messages);
                    }
                });
            }
        });
        // Opened on a conversation with history: the newest shows once the history is in (it goes above a
        // message that came live before it, which scrolls nothing by itself).
        javafx.beans.value.ChangeListener<Boolean> historyIn = (observable, before, now) -> {
            if (now) {
                scrollToEnd(messages);
            }
        };
        model.historyShownProperty().addListener(historyIn);
        detach.add(() -> model.historyShownProperty().removeListener(historyIn));
        if (model.historyShownProperty().get()) {
            // Made again for a conversation whose history is in already: the newest once it is on screen.
            messages.sceneProperty().addListener(new javafx.beans.value.ChangeListener<javafx.scene.Scene>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends javafx.scene.Scene> observable,
                                    javafx.scene.Scene before, javafx.scene.Scene now) {
                    if (now != null) {
                        observable.removeListener(this);
                        scrollToEnd(messages);
                    }
                }
            });
        }
        setCenter(messages);

        Label typing = new Label();
        typing.textProperty().bind(Bindings.concat(contact.displayNameProperty(), " ", model.typingProperty()));
        typing.visibleProperty().bind(model.typingProperty().isNotEmpty());
        typing.managedProperty().bind(typing.visibleProperty());
        typing.getStyleClass().add("typing");
        Label problem = new Label();
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.setWrapText(true);
        problem.getStyleClass().add("problem");

        compose.setPromptText("Message " + contact.displayNameProperty().get() + " — Enter sends, Shift+Enter for a new line");
        compose.setWrapText(true);
        compose.setPrefRowCount(2);
        compose.getStyleClass().add("compose");
        compose.setAccessibleText("Message to " + contact.displayNameProperty().get());
        compose.textProperty().bindBidirectional(model.draftProperty());
        compose.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER && !event.isShiftDown()) {
                event.consume();
                model.send();
            } else if (event.getCode() == KeyCode.ENTER) {
                event.consume();
                compose.insertText(compose.getCaretPosition(), "\n");
            }
        });
        Button attach = new Button(null, Icons.paperclip());
        attach.getStyleClass().add("attach-button");
        attach.setTooltip(new javafx.scene.control.Tooltip("Send files (or drop them here, or paste them)"));
        attach.setAccessibleText("Send files to " + contact.displayNameProperty().get());
        attach.setOnAction(event -> {
            javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
            chooser.setTitle("Send files to " + contact.displayNameProperty().get());
            java.util.List<java.io.File> picked = chooser.showOpenMultipleDialog(getScene().getWindow());
            if (picked != null) {
                model.sendFiles(picked.stream().map(java.io.File::toPath).toList());
            }
        });
        DroppedFiles.accept(this, model::sendFiles);
        compose.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.isShortcutDown() && event.getCode() == KeyCode.V
                    && DroppedFiles.paste(javafx.scene.input.Clipboard.getSystemClipboard(), pasted, background,
                            javafx.application.Platform::runLater, model::sendFiles)) {
                event.consume(); // files or a picture: sent, not pasted as text
            }
        });
        Button send = new Button("Send");
        send.getStyleClass().add("send-button");
        send.setDefaultButton(false);
        send.disableProperty().bind(model.draftProperty().isEmpty());
        send.setOnAction(event -> model.send());
        HBox.setHgrow(compose, Priority.ALWAYS);
        keepWhole(attach, send); // the compose box gives way, the buttons do not
        HBox composer = new HBox(8, attach, compose, send);
        composer.setAlignment(Pos.BOTTOM_RIGHT);
        composer.getStyleClass().add("composer");
        VBox bottom = new VBox(4, typing, problem, composer);
        bottom.setPadding(new Insets(6, 12, 12, 12));
        setBottom(bottom);
    }

    /**
     * Shows the newest message, now and again once the next layout is done: the list learns how many rows
     * it has at its next layout, and a scroll asked for before that was lost (a conversation opened on its
     * history showed its oldest messages).
     */
    private static void scrollToEnd(ListView<MessageItem> list) {
        if (list.getItems().isEmpty()) {
            return;
        }
        list.scrollTo(list.getItems().size() - 1);
        javafx.scene.Scene scene = list.getScene();
        // One scroll after the layout however many messages came in this pulse (a flood adds hundreds).
        if (scene != null && list.getProperties().putIfAbsent(SCROLL_PENDING, Boolean.TRUE) == null) {
            Runnable[] once = new Runnable[1];
            once[0] = () -> {
                scene.removePostLayoutPulseListener(once[0]);
                list.getProperties().remove(SCROLL_PENDING);
                if (!list.getItems().isEmpty()) {
                    list.scrollTo(list.getItems().size() - 1);
                }
            };
            scene.addPostLayoutPulseListener(once[0]);
        }
    }

    private static void keepWhole(javafx.scene.layout.Region... regions) {
        for (javafx.scene.layout.Region region : regions) {
            region.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
    }

    private static boolean isNearBottom(ListView<MessageItem> list) {
        javafx.scene.Node bar = list.lookup(".scroll-bar:vertical");
        return !(bar instanceof javafx.scene.control.ScrollBar scroll) || !scroll.isVisible()
                || scroll.getValue() >= scroll.getMax() - 0.05 * (scroll.getMax() - scroll.getMin());
    }

    private static boolean isAtTop(ListView<MessageItem> list) {
        javafx.scene.Node bar = list.lookup(".scroll-bar:vertical");
        return !(bar instanceof javafx.scene.control.ScrollBar scroll) || scroll.getValue() <= scroll.getMin();
    }

    /**
     * Lets go of the model and the contact (which live on): a view no longer kept can then be collected.
     * A view is about 2.4 MB of nodes, and people open many conversations in a day.
     */
    public void dispose() {
        detach.forEach(Runnable::run);
        detach.clear();
    }

    /** Puts the cursor in the compose box (after the click that opened the conversation is done). */
    public void focusCompose() {
        javafx.application.Platform.runLater(compose::requestFocus);
    }

    private static HBox header(ContactItem contact, Runnable showKey, chat.pronto.ui.common.Pictures pictures,
                               java.util.List<Runnable> detach) {
        Avatar avatar = new Avatar(Bindings.createStringBinding(contact::initials, contact.displayNameProperty()),
                contact.id().name(), 40);
        if (pictures != null) {
            java.util.function.Consumer<String> show = hash -> {
                avatar.picture(null);
                if (hash != null) {
                    pictures.load(contact.id(), hash, image -> {
                        if (hash.equals(contact.avatarProperty().get())) {
                            avatar.picture(image);
                        }
                    });
                }
            };
            show.accept(contact.avatarProperty().get());
            javafx.beans.value.ChangeListener<String> newPicture = (observable, before, now) -> show.accept(now);
            contact.avatarProperty().addListener(newPicture);
            detach.add(() -> contact.avatarProperty().removeListener(newPicture));
        }
        Label name = new Label();
        name.textProperty().bind(contact.displayNameProperty());
        name.getStyleClass().add("conversation-name");
        Label detail = new Label();
        detail.textProperty().bind(Bindings.createStringBinding(() -> contact.id().name()
                + (contact.onlineProperty().get() ? " · " + statusWords(contact) : " · offline")
                + (contact.statusMessageProperty().get().isEmpty() ? "" : " — " + contact.statusMessageProperty().get()),
                contact.onlineProperty(), contact.statusProperty(), contact.statusMessageProperty()));
        detail.getStyleClass().add("conversation-detail");
        // A narrow window shortens the line with "…": the whole of it, instance name first, on hover.
        javafx.scene.control.Tooltip whole = new javafx.scene.control.Tooltip();
        whole.textProperty().bind(detail.textProperty());
        detail.setTooltip(whole);
        VBox who = new VBox(2, name, detail);
        HBox.setHgrow(who, Priority.ALWAYS);

        Label security = new Label();
        security.textProperty().bind(Bindings.createStringBinding(() -> securityWords(contact.linkProperty().get())
                        + (contact.linkProperty().get().isEncrypted() && contact.keyIsNewProperty().get()
                                && !contact.verifiedProperty().get() ? " · new key" : ""),
                contact.linkProperty(), contact.keyIsNewProperty(), contact.verifiedProperty()));
        security.getStyleClass().add("security-badge");
        javafx.beans.value.ChangeListener<LinkSecurity> restyle = (observable, before, now) -> styleSecurity(security, now);
        contact.linkProperty().addListener(restyle);
        detach.add(() -> contact.linkProperty().removeListener(restyle));
        security.graphicProperty().bind(Bindings.createObjectBinding(() -> switch (contact.linkProperty().get()) {
            case ENCRYPTED -> Icons.lock();
            case UNENCRYPTED, LEGACY -> Icons.warning();
            case NONE -> null;
        }, contact.linkProperty()));
        styleSecurity(security, contact.linkProperty().get());
        // Verified is about the key, not this connection: shown apart, also while offline.
        Label verified = new Label("Verified", Icons.shieldCheck());
        verified.getStyleClass().add("verified-badge");
        verified.setTooltip(new javafx.scene.control.Tooltip("You compared keys with "
                + contact.displayNameProperty().get() + ": Pronto warns you and holds messages if it changes"));
        verified.visibleProperty().bind(contact.verifiedProperty());
        verified.managedProperty().bind(verified.visibleProperty());
        // Open with no key too: the screen says why there is nothing to compare yet.
        Button key = new Button("Verify…", Icons.shield());
        key.getStyleClass().add("key-button");
        key.setAccessibleText("Verify the key of " + contact.displayNameProperty().get());
        key.setOnAction(event -> showKey.run());

        // The name and the detail give way (ellipsis); the picture and how safe the link is stay whole.
        who.setMinWidth(0);
        keepWhole(avatar, security, verified, key);
        HBox header = new HBox(12, avatar, who, security, verified, key);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("conversation-header");
        return header;
    }

    private static void styleSecurity(Label label, LinkSecurity link) {
        label.getStyleClass().removeAll("security-encrypted", "security-plain", "security-none");
        label.getStyleClass().add(link == LinkSecurity.ENCRYPTED ? "security-encrypted"
                : link == LinkSecurity.NONE ? "security-none" : "security-plain");
    }

    private static String securityWords(LinkSecurity link) {
        return switch (link) {
            case ENCRYPTED -> "Encrypted";
            case UNENCRYPTED -> "Not encrypted";
            case LEGACY -> "Not encrypted (older client)";
            case NONE -> "Not connected";
        };
    }

    private static String statusWords(ContactItem contact) {
        return switch (contact.statusProperty().get()) {
            case AVAILABLE -> "available";
            case AWAY -> "away";
            case DO_NOT_DISTURB -> "do not disturb";
        };
    }
}
