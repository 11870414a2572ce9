package chat.pronto.ui;

import chat.pronto.words.Sentences;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.Direction;
import chat.pronto.model.TransferState;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatService;
import chat.pronto.settings.Preferences;
import chat.pronto.ui.chat.ConversationView;
import chat.pronto.ui.chat.ConversationViewModel;
import chat.pronto.ui.common.Avatar;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.console.ConsoleViewModel;
import chat.pronto.ui.console.ConsoleWindow;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.common.Sounds;
import chat.pronto.ui.roster.ContactCellFactory;
import chat.pronto.ui.roster.ContactItem;
import chat.pronto.ui.roster.RosterViewModel;
import chat.pronto.ui.settings.SettingsDialog;
import chat.pronto.ui.settings.UiSettings;

/**
 * The main window: who we are and our status at the top left, the people nearby below it, the open
 * conversation on the right. Built in code over view models; FX thread only.
 */
public final class MainWindow {
    private final ChatService chat;
    private final Executor fx;
    /** The window's work that must stay off the FX thread (files, processes); owned by the caller. */
    private final Executor background;
    private final RosterViewModel roster = new RosterViewModel();
    private final chat.pronto.ui.common.Pictures pictures;
    /** Our picture, in the data folder (the app publishes it at start). */
    public static final String PICTURE_FILE = "picture";
    private Avatar ownAvatar;
    private final Map<PeerId, ConversationViewModel> conversations = new HashMap<>();
    /** Conversations kept on hand once opened: the last few, each about 2.4 MB of nodes. */
    static final int KEPT_VIEWS = 8;
    /**
     * The views of the conversations opened last, the least recently opened let go first (its model
     * stays, with its messages and draft: opening it again makes a new view in a tenth of a second).
     */
    private final Map<PeerId, ConversationView> views = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, ConversationView> eldest) {
            if (size() <= KEPT_VIEWS) {
                return false;
            }
            eldest.getValue().dispose();
            return true;
        }
    };
    private final StackPane center = new StackPane();
    private final TextField search = new TextField();
    private final ListView<ContactItem> people;
    private final Label notice = new Label();
    /** Our instance name; the network may change it after the window opened (a name already taken). */
    private final Label ownAddress = new Label();
    private final java.util.Set<String> keysAsked = new java.util.HashSet<>();
    private final javafx.scene.control.CheckMenuItem darkItem = new javafx.scene.control.CheckMenuItem("Dark theme");
    private final Scene scene;

    private final UiSettings settings;
    private final Preferences preferences;

    private final Notifier notifier;
    /** The least time between two notifications about one person. */
    private static final java.time.Duration QUIET = java.time.Duration.ofSeconds(3);
    static final double MIN_WIDTH = 720;
    static final double MIN_HEIGHT = 440;
    // FX thread only:
    /** What a burst of events brought that the user should hear of, per person, in order. */
    private final java.util.Map<PeerId, java.util.List<String>> unnoticed = new java.util.LinkedHashMap<>();
    /** What waits for the end of a person's quiet time, to be told in one notification then. */
    private final java.util.Map<PeerId, java.util.List<String>> held = new java.util.HashMap<>();
    /** When each person's last notification was raised (nanoTime). */
    private final java.util.Map<PeerId, Long> raisedAt = new java.util.HashMap<>();
    private ConsoleWindow console;
    /** The diagnostics dialog while open (it is not modal: asked for twice, it comes to the front). */
    private chat.pronto.ui.diagnostics.DiagnosticsDialog diagnostics;
    /** Records traffic from the start (a bounded ring), so the console shows what happened before it opened. */
    private final ConsoleViewModel traffic;

    public MainWindow(ChatService chat, FxEvents events, Executor fx, Executor background, UiSettings settings,
                      Preferences preferences, Notifier notifier) {
        this.chat = chat;
        this.fx = fx;
        this.background = background;
        this.settings = settings;
        this.preferences = preferences;
        this.notifier = notifier;
        this.traffic = new ConsoleViewModel(chat, fx);
        this.pictures = new chat.pronto.ui.common.Pictures(chat, background, fx);
        traffic.start();
        events.add(roster);
        events.add(new chat.pronto.session.ChatListener() {
            @Override
            public void onChatEvent(ChatEvent event) {
                MainWindow.this.onChatEvent(event);
            }

            @Override
            public void eventsDrained() {
                notifyGathered();
            }
        });
        // Whoever was seen before the window opened, and everyone we have talked with (offline or not).
        // (The answers come back through fx; a peer some live event already told us about keeps that
        // newer news.)
        chat.contacts().thenAcceptAsync(seen -> seen.stream().filter(contact -> roster.find(contact.id())
                        .map(item -> !item.onlineProperty().get()).orElse(true))
                .forEach(contact -> roster.onChatEvent(new ChatEvent.ContactChanged(contact))), fx);
        chat.conversations().thenAcceptAsync(peers -> peers.forEach(roster::remember), fx);

        people = new ListView<>(roster.contacts());
        people.setCellFactory(new ContactCellFactory((peer, files) -> conversation(peer).sendFiles(files), pictures)
                .withVerify(this::showKey));
        people.getStyleClass().add("people");
        people.setPlaceholder(emptyPeople());
        people.setAccessibleText("People nearby");
        people.getSelectionModel().selectedItemProperty().addListener((observable, before, now) -> {
            if (now != null) {
                open(now.id());
            }
        });

        search.setPromptText("Search people nearby (Ctrl+K)");
        search.getStyleClass().add("search");
        search.setAccessibleText("Search people nearby");
        roster.searchProperty().bind(search.textProperty());
        search.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER && !roster.contacts().isEmpty()) {
                people.getSelectionModel().select(0);
            } else if (event.getCode() == KeyCode.DOWN) {
                people.requestFocus();
                people.getSelectionModel().selectFirst();
            }
        });

        notice.getStyleClass().add("notice");
        notice.setWrapText(true);
        notice.visibleProperty().bind(notice.textProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());
        preferences.damage().ifPresent(damage -> notice.setText(Sentences.of(damage)));

        VBox.setVgrow(people, Priority.ALWAYS);
        VBox sidebar = new VBox(10, ownPresence(), search, people, notice);
        sidebar.getStyleClass().add("sidebar");
        sidebar.setPadding(new Insets(12));
        sidebar.setPrefWidth(300);
        sidebar.setMinWidth(240);

        Label empty = new Label("Pick someone on the left to start chatting.\nPronto finds people on this network by itself.");
        empty.getStyleClass().add("empty-hint");
        center.getChildren().add(empty);
        center.getStyleClass().add("center");

        BorderPane root = new BorderPane(center);
        root.setLeft(sidebar);
        root.getStyleClass().add("root-pane");
        scene = new Scene(root, settings.width(), settings.height());
        scene.getStylesheets().add(MainWindow.class.getResource("pronto.css").toExternalForm());
        applyTheme(settings.theme());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN), () -> {
            search.requestFocus();
            search.selectAll();
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.TAB, KeyCombination.CONTROL_DOWN),
                this::nextConversation);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN),
                () -> scene.getWindow().hide());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN),
                () -> openSettings(darkItem));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), this::openConsole);
    }

    private void applyTheme(UiSettings.Theme theme) {
        String dark = MainWindow.class.getResource("pronto-dark.css").toExternalForm();
        scene.getStylesheets().remove(dark);
        settings.theme(theme);
        if (settings.dark()) {
            scene.getStylesheets().add(dark);
        }
        darkItem.setSelected(settings.dark());
    }

    public Scene scene() {
        return scene;
    }

    public RosterViewModel roster() {
        return roster;
    }

    /** Runs {@code painted} on the FX thread once the first frame showing the people list is on screen. */
    public void whenFirstPainted(Runnable painted) {
        FirstFrame.watch(scene, people, painted);
    }

    /** Binds the window title to the unread total ("Pronto (3)"). */
    public void attach(Stage stage) {
        stage.titleProperty().bind(Bindings.createStringBinding(() -> roster.unreadTotal().get() == 0 ? "Pronto"
                : "Pronto (" + roster.unreadTotal().get() + ")", roster.unreadTotal()));
        stage.setScene(scene);
        // Smaller, the people list and a conversation's header and buttons no longer fit side by side.
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
    }

    /** Shows the conversation with {@code peer}, making it on first use. */
    public void open(PeerId peer) {
        roster.show(peer);
        ConversationView view = views.computeIfAbsent(peer, id -> {
            boolean known = conversations.containsKey(id);
            ConversationViewModel model = conversation(id);
            ContactItem contact = roster.find(id).orElseThrow();
            if (!known || !model.historyShownProperty().get()) {
                model.load(); // once: a view made again for a conversation let go shows what its model kept
            }
            java.nio.file.Path pasted = settings.file() == null ? null : settings.file().toAbsolutePath().getParent()
                    .resolve("pasted");
            return new ConversationView(model, contact, () -> showKey(contact), background, pasted, pictures);
        });
        center.getChildren().setAll(view);
        view.focusCompose();
    }

    /** The view kept for the conversation with {@code peer}, if any (for tests). */
    java.util.Optional<ConversationView> keptView(PeerId peer) {
        // Not views.get: in an access-ordered map a look-up counts as a use.
        return views.entrySet().stream().filter(entry -> entry.getKey().equals(peer)).map(Map.Entry::getValue).findFirst();
    }

    /** The conversation with {@code peer} (made on first use), for tests that act as the user would. */
    ConversationViewModel conversationFor(PeerId peer) {
        return conversation(peer);
    }

    private ConversationViewModel conversation(PeerId peer) {
        return conversations.computeIfAbsent(peer, id -> new ConversationViewModel(id, chat, fx));
    }

    private void onChatEvent(ChatEvent event) {
        conversations.values().forEach(model -> model.onChatEvent(event));
        if (event instanceof ChatEvent.MessageAdded added
                && added.message().state() == DeliveryState.RECEIVED) {
            maybeNotify(added.message());
        }
        if (event instanceof ChatEvent.TransferUpdated updated
                && updated.transfer().direction() == Direction.INCOMING
                && updated.transfer().state() == TransferState.OFFERED) {
            maybeNotify(updated.transfer().peer(), "wants to send you " + updated.transfer().name() + " ("
                    + Sentences.bytes(updated.transfer().size()) + ")");
        }
        if (event instanceof ChatEvent.KeyChanged changed) {
            keyChanged(changed);
        } else if (event instanceof ChatEvent.Notice text) {
            notice.setText(Sentences.of(text.problem()));
        } else if (event instanceof ChatEvent.Renamed renamed) {
            notice.setText("Another computer already uses your name here; you are now " + renamed.newName() + ".");
            ownAddress.setText(renamed.newName().name());
        }
    }

    /**
     * A message the user is not looking at (window not in front, or another conversation open) raises
     * a desktop notification, unless they chose Do not disturb or turned notifications off: gathered
     * until the burst of events that brought it ends ({@link #notifyGathered}).
     */
    private void maybeNotify(ChatMessage message) {
        maybeNotify(message.peer(), message.body());
    }

    private void maybeNotify(PeerId peer, String body) {
        if (!wantsToHear(peer)) {
            return;
        }
        unnoticed.computeIfAbsent(peer, id -> new java.util.ArrayList<>()).add(body);
    }

    /**
     * The burst of events is over: one notification per person for what it brought — the latest, and
     * how many more came with it. A person notified of less than {@link #QUIET} ago gets the next one
     * when that time is up, with everything that came meanwhile: a queue flushed after a reconnect
     * comes in many small bursts, and each raised its own notification before.
     */
    private void notifyGathered() {
        long now = System.nanoTime();
        unnoticed.forEach((peer, bodies) -> {
            java.util.List<String> waiting = held.get(peer);
            if (waiting != null) {
                waiting.addAll(bodies); // its notification is due when the quiet time is up
                return;
            }
            Long last = raisedAt.get(peer);
            long sinceLast = last == null ? Long.MAX_VALUE : now - last;
            if (sinceLast >= QUIET.toNanos()) {
                raise(peer, bodies);
                return;
            }
            held.put(peer, new java.util.ArrayList<>(bodies));
            javafx.animation.PauseTransition quiet = new javafx.animation.PauseTransition(
                    javafx.util.Duration.millis((QUIET.toNanos() - sinceLast) / 1e6));
            quiet.setOnFinished(done -> {
                java.util.List<String> due = held.remove(peer);
                if (due != null && wantsToHear(peer)) { // still: they may have opened the chat meanwhile
                    raise(peer, due);
                }
            });
            quiet.play();
        });
        unnoticed.clear();
    }

    /** One notification for {@code bodies} from {@code peer}: the latest, and how many more came with it. */
    private void raise(PeerId peer, java.util.List<String> bodies) {
        raisedAt.put(peer, System.nanoTime());
        javafx.stage.Window window = scene.getWindow();
        String name = roster.find(peer).map(item -> item.displayNameProperty().get()).orElse(peer.name());
        String last = bodies.get(bodies.size() - 1);
        String text = last.length() > 140 ? last.substring(0, 139) + "…" : last;
        if (bodies.size() > 1) {
            text += "\n(and " + (bodies.size() - 1) + " more)";
        }
        java.nio.file.Path icon = roster.find(peer).map(item -> item.avatarProperty().get())
                .filter(hash -> settings.file() != null)
                .map(hash -> settings.file().toAbsolutePath().getParent().resolve("avatars").resolve(hash))
                .orElse(null);
        notifier.notify(name, text, icon, () -> {
            if (window instanceof Stage stage) {
                stage.setIconified(false);
                stage.toFront();
            }
            open(peer);
        });
        if (settings.sound()) {
            Sounds.newMessage(background);
        }
    }

    /** Not looking at {@code peer}'s conversation, notifications on, not Do not disturb. */
    private boolean wantsToHear(PeerId peer) {
        javafx.stage.Window window = scene.getWindow();
        boolean looking = window != null && window.isFocused() && peer.equals(roster.shownProperty().get());
        return !looking && settings.notifications() && chat.ownPresence().status() != Status.DO_NOT_DISTURB;
    }

    private void nextConversation() {
        int count = roster.contacts().size();
        if (count == 0) {
            return;
        }
        int next = (people.getSelectionModel().getSelectedIndex() + 1) % count;
        people.getSelectionModel().select(next);
    }

    /**
     * Publishes our new picture (or none) and keeps it as {@code picture} in the data folder, where
     * Pronto finds it at the next start.
     */
    private void changePicture(java.util.Optional<byte[]> picture) {
        chat.setAvatar(picture).whenCompleteAsync((done, failure) -> {
            if (failure != null) {
                notice.setText("Could not publish the picture: " + Sentences.of(failure, "you"));
            }
            showOwnPicture();
        }, fx);
        if (settings.file() != null) {
            java.nio.file.Path kept = settings.file().toAbsolutePath().getParent().resolve(PICTURE_FILE);
            background.execute(() -> {
                try {
                    if (picture.isPresent()) {
                        java.nio.file.Path temporary = kept.resolveSibling(PICTURE_FILE + ".new");
                        java.nio.file.Files.write(temporary, picture.get());
                        java.nio.file.Files.move(temporary, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        java.nio.file.Files.deleteIfExists(kept);
                    }
                } catch (java.io.IOException e) {
                    fx.execute(() -> notice.setText("Could not keep the picture: " + e.getMessage()));
                }
            });
        }
    }

    /** Our own picture in the sidebar, as published (the initials when there is none). */
    private void showOwnPicture() {
        java.util.Optional<String> hash = chat.ownPresence().avatarHash();
        if (hash.isPresent()) {
            pictures.load(chat.self(), hash.get(), ownAvatar::picture);
        } else {
            ownAvatar.picture(null);
        }
    }

    private VBox ownPresence() {
        String name = chat.ownPresence().nick() != null ? chat.ownPresence().nick() : chat.self().user();
        Avatar avatar = new Avatar(new javafx.beans.property.SimpleStringProperty(Avatar.initials(name)),
                chat.self().name(), 40);
        ownAvatar = avatar;
        showOwnPicture();
        Label me = new Label(name);
        me.getStyleClass().add("me-name");
        ownAddress.setText(chat.self().name());
        ownAddress.getStyleClass().add("me-address");
        VBox names = new VBox(1, me, ownAddress);
        javafx.scene.control.CheckMenuItem dark = darkItem;
        dark.setSelected(settings.dark());
        dark.setOnAction(event -> applyTheme(dark.isSelected() ? UiSettings.Theme.DARK : UiSettings.Theme.LIGHT));
        javafx.scene.control.MenuItem quit = new javafx.scene.control.MenuItem("Quit");
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        quit.setOnAction(event -> scene.getWindow().hide());
        javafx.scene.control.MenuItem preferences = new javafx.scene.control.MenuItem("Settings…");
        preferences.setOnAction(event -> openSettings(dark));
        javafx.scene.control.MenuItem debug = new javafx.scene.control.MenuItem("Debug console");
        debug.setOnAction(event -> openConsole());
        javafx.scene.control.MenuItem add = new javafx.scene.control.MenuItem("Add someone…");
        add.setOnAction(event -> openAddSomeone());
        javafx.scene.control.MenuItem invite = new javafx.scene.control.MenuItem("Invite someone…");
        invite.setOnAction(event -> openInvite());
        javafx.scene.control.MenuItem saved = new javafx.scene.control.MenuItem("People added by address…");
        saved.setOnAction(event -> openSavedPeers());
        javafx.scene.control.MenuItem diagnose = new javafx.scene.control.MenuItem("Network diagnostics…");
        diagnose.setOnAction(event -> openDiagnostics());
        javafx.scene.control.MenuButton menu = new javafx.scene.control.MenuButton("⋯", null, add, invite, saved,
                new javafx.scene.control.SeparatorMenuItem(), preferences, dark, diagnose, debug,
                new javafx.scene.control.SeparatorMenuItem(), quit);
        menu.getStyleClass().add("app-menu");
        menu.setAccessibleText("Pronto menu");
        javafx.scene.layout.Region spacer = new javafx.scene.layout.Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox who = new HBox(10, avatar, names, spacer, menu);
        who.setAlignment(Pos.CENTER_LEFT);

        ComboBox<Status> status = new ComboBox<>();
        status.getItems().setAll(Status.values());
        status.setValue(chat.ownPresence().status());
        status.setCellFactory(list -> new StatusCell());
        status.setButtonCell(new StatusCell());
        status.setAccessibleText("Your status");
        status.getStyleClass().add("status-picker");
        TextField message = new TextField(chat.ownPresence().message() == null ? "" : chat.ownPresence().message());
        message.setPromptText("What are you up to?");
        message.setAccessibleText("Your status message");
        message.getStyleClass().add("status-message");
        Runnable publish = () -> {
            OwnPresence own = chat.ownPresence();
            String text = message.getText().isBlank() ? null : message.getText().strip();
            chat.updatePresence(own.withStatus(status.getValue(), text));
        };
        status.setOnAction(event -> publish.run());
        message.setOnAction(event -> publish.run());
        message.focusedProperty().addListener((observable, before, focused) -> {
            if (!focused) {
                publish.run();
            }
        });
        HBox.setHgrow(message, Priority.ALWAYS);
        VBox box = new VBox(8, who, status, message);
        status.setMaxWidth(Double.MAX_VALUE);
        box.getStyleClass().add("me");
        return box;
    }

    /** The debug console (Ctrl+Shift+D): one window, opened again if it was closed. */
    public void openConsole() {
        if (console == null) {
            console = new ConsoleWindow(chat, traffic, scene.getWindow(), scene.getStylesheets(), fx, background);
        }
        console.show();
    }

    /** The settings dialog; what it changes is applied at once and saved off the FX thread. */
    public void openSettings(javafx.scene.control.CheckMenuItem darkItem) {
        SettingsDialog dialog = new SettingsDialog(scene.getWindow(), settings, preferences, chat.ownPresence(),
                chat.self(), ownAvatar.picture(), background, fx);
        chat.pronto.model.FilePolicy filesBefore = preferences.filePolicy();
        dialog.showAndWait().filter(javafx.scene.control.ButtonType.OK::equals).ifPresent(ok -> {
            chat.updatePresence(dialog.apply(settings, preferences, chat.ownPresence()));
            if (!preferences.filePolicy().equals(filesBefore)) {
                chat.setFilePolicy(preferences.filePolicy()); // unchanged: a --downloads given at start still holds
            }
            dialog.pictureChange().ifPresent(this::changePicture);
            applyTheme(settings.theme());
            background.execute(() -> {
                try {
                    // Preferences first: an older ui.properties holds them until the window's settings are saved.
                    preferences.save();
                    settings.save();
                } catch (java.io.IOException e) {
                    fx.execute(() -> notice.setText("Could not save the settings: " + e.getMessage()));
                }
            });
        });
    }

    /** What the empty people list says, with a way to reach someone mDNS does not show. */
    private VBox emptyPeople() {
        Label looking = new Label("Looking for people nearby…");
        javafx.scene.control.Button add = new javafx.scene.control.Button("Nobody nearby? Add someone by address");
        add.getStyleClass().add("add-someone-link");
        add.setWrapText(true); // the sidebar is narrow: two lines rather than "…"
        add.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        add.setMaxWidth(220);
        add.setAccessibleText("Add someone by address or invite link");
        add.setOnAction(event -> openAddSomeone());
        javafx.scene.control.Button why = new javafx.scene.control.Button("Why does nobody show up?");
        why.getStyleClass().addAll("add-someone-link", "diagnose-link");
        why.setWrapText(true);
        why.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        why.setMaxWidth(220);
        why.setAccessibleText("Network diagnostics");
        why.setOnAction(event -> openDiagnostics());
        VBox box = new VBox(10, looking, add, why);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    /** "Add someone…": once the peer answered, its conversation opens. */
    public void openAddSomeone() {
        openAddSomeone("");
    }

    /**
     * "Add someone…" with {@code typed} in its field already (an invite link another launch was given,
     * from a click in a browser): the user sees what it is and confirms with Add.
     */
    public void openAddSomeone(String typed) {
        chat.pronto.ui.trust.AddSomeoneDialog dialog = new chat.pronto.ui.trust.AddSomeoneDialog(scene.getWindow(),
                chat, fx);
        dialog.prefill(typed);
        dialog.setOnHidden(event -> java.util.Optional.ofNullable(dialog.getResult()).ifPresent(peer -> {
            roster.remember(peer);
            open(peer);
        }));
        dialog.show();
    }

    /** "People added by address…": who Pronto dials by address, each with Forget. */
    public void openSavedPeers() {
        new chat.pronto.ui.trust.SavedPeersDialog(scene.getWindow(), chat, fx).show();
    }

    /** "Network diagnostics…": one window, brought to the front when asked for again. */
    public void openDiagnostics() {
        if (diagnostics != null && diagnostics.isShowing()) {
            ((Stage) diagnostics.getDialogPane().getScene().getWindow()).toFront();
            return;
        }
        diagnostics = new chat.pronto.ui.diagnostics.DiagnosticsDialog(scene.getWindow(), chat, fx);
        diagnostics.show();
    }

    /** "Invite someone…": our link, its QR code and our key. */
    public void openInvite() {
        new chat.pronto.ui.trust.InviteDialog(scene.getWindow(), chat, fx).show();
    }

    private void showKey(ContactItem contact) {
        new chat.pronto.ui.trust.VerifyDialog(scene.getWindow(), chat, fx, contact).show();
    }

    private void keyChanged(ChatEvent.KeyChanged changed) {
        // Every refused attempt reports the same change again: one dialog per new key is enough.
        if (!keysAsked.add(changed.peer() + " " + changed.presented())) {
            return;
        }
        if (changed.wasVerified()) {
            String name = roster.find(changed.peer()).map(item -> item.displayNameProperty().get())
                    .orElse(changed.peer().name());
            if (new chat.pronto.ui.trust.VerifiedKeyChangedAlert(scene.getWindow(), changed, name).askTrust()) {
                trustNewKey(changed);
            }
            return;
        }
        ButtonType accept = new ButtonType("Trust the new key", ButtonBar.ButtonData.OK_DONE);
        ButtonType refuse = new ButtonType("Refuse", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.WARNING, "", accept, refuse);
        alert.initOwner(scene.getWindow());
        alert.setTitle("The key of " + changed.peer() + " changed");
        alert.setHeaderText(changed.peer() + " now presents a different key");
        alert.setContentText("Before:  " + changed.pinned() + "\nNow:     " + changed.presented()
                + "\n\nThis happens when they reinstalled Pronto, or when someone else uses their name."
                + " Messages to them are held back. Trust the new key only after comparing it with them.");
        alert.getDialogPane().getStyleClass().add("key-changed");
        // Enter must not trust a key: Refuse is the default button.
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(accept)).setDefaultButton(false);
        ((javafx.scene.control.Button) alert.getDialogPane().lookupButton(refuse)).setDefaultButton(true);
        alert.showAndWait().filter(accept::equals).ifPresent(ok -> trustNewKey(changed));
    }

    private void trustNewKey(ChatEvent.KeyChanged changed) {
        chat.acceptNewKey(changed.peer(), changed.presented()).whenCompleteAsync((done, error) -> {
            if (error != null) {
                notice.setText(String.valueOf(error.getCause() != null ? error.getCause().getMessage()
                        : error.getMessage()));
            }
        }, fx);
    }

    /** A status with its coloured dot, as in the peer list. */
    private static final class StatusCell extends javafx.scene.control.ListCell<Status> {
        @Override
        protected void updateItem(Status value, boolean empty) {
            super.updateItem(value, empty);
            if (empty || value == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            javafx.scene.layout.Region dot = new javafx.scene.layout.Region();
            dot.getStyleClass().addAll("status-dot", "status-" + value.txtValue());
            setGraphic(dot);
            setGraphicTextGap(8);
            setText(switch (value) {
                case AVAILABLE -> "Available";
                case AWAY -> "Away";
                case DO_NOT_DISTURB -> "Do not disturb";
            });
        }
    }
}
