package chat.pronto.ui.settings;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.settings.Preferences;

/**
 * Names, what else to publish, security, connections and looks. Names and what is published apply at
 * once (an mDNS update); encryption and the idle time at the next start, as the dialog says. What the
 * core uses goes to {@link Preferences}, what only the window uses to {@link UiSettings}.
 */
public final class SettingsDialog extends Dialog<ButtonType> {
    private final TextField nick = field("nick");
    private final TextField first = field("first name");
    private final TextField last = field("last name");
    private final TextField email = field("email (published only if filled in)");
    private final TextField jid = field("XMPP address (published only if filled in)");
    private final CheckBox requireEncryption = new CheckBox("Refuse people who cannot encrypt (Pidgin and other older clients)");
    private final Spinner<Integer> idleMinutes = new Spinner<>(1, 120, 3);
    private final TextField interfaces = field("e.g. wlan0, eth0 or 192.168.1.20 — empty: all");
    // Wide-area DNS-SD: finding people through unicast DNS where multicast does not reach.
    private final TextField dnsSdDomains = field("e.g. chat.example.org — empty: none");
    private final CheckBox dnsSdAskNetwork = new CheckBox("Also look where the network's DNS says to (it tells the DNS server you look)");
    private final TextField dnsSdRegister = field("domain to list you in, e.g. chat.example.org");
    private final TextField dnsSdServer = field("HOST[:PORT] — empty: the system's DNS server");
    private final TextField dnsSdKeyFile = field("file with NAME:ALGORITHM:SECRET (from tsig-keygen)");
    private final javafx.scene.control.ChoiceBox<UiSettings.Theme> theme = new javafx.scene.control.ChoiceBox<>(
            javafx.collections.FXCollections.observableArrayList(UiSettings.Theme.values()));
    private final CheckBox notifications = new CheckBox("Notify me of messages while Pronto is not in front");
    private final CheckBox sound = new CheckBox("With a sound");
    private final TextField downloads = field("empty: your download folder, in Pronto/");
    private final CheckBox autoAccept = new CheckBox("Take files from people whose key is pinned without asking");
    private final Spinner<Integer> autoAcceptMiB = new Spinner<>(1, 1_000_000, 100);

    /** Our picture as the dialog shows it; null until the user picks or removes one. */
    private java.util.Optional<byte[]> pictureChange;
    private final chat.pronto.ui.common.Avatar picturePreview = new chat.pronto.ui.common.Avatar(48);
    private final Label pictureProblem = new Label();

    public SettingsDialog(Window owner, UiSettings settings, Preferences preferences, OwnPresence own, PeerId self) {
        this(owner, settings, preferences, own, self, null, Runnable::run, Runnable::run);
    }

    /**
     * @param picture    our picture now (null: none); Choose… decodes a new one on {@code background}
     */
    public SettingsDialog(Window owner, UiSettings settings, Preferences preferences, OwnPresence own, PeerId self,
                          javafx.scene.image.Image picture, java.util.concurrent.Executor background,
                          java.util.concurrent.Executor fx) {
        initOwner(owner);
        setTitle("Pronto settings");
        setHeaderText("Settings");
        getDialogPane().getStyleClass().add("settings");
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);

        nick.setText(own.nick() == null ? "" : own.nick());
        first.setText(own.firstName() == null ? "" : own.firstName());
        last.setText(own.lastName() == null ? "" : own.lastName());
        email.setText(own.email() == null ? "" : own.email());
        jid.setText(own.jid() == null ? "" : own.jid());
        requireEncryption.setSelected(preferences.requireEncryption());
        idleMinutes.getValueFactory().setValue((int) Math.max(1, Math.round(preferences.idleSeconds() / 60.0)));
        idleMinutes.setEditable(true);
        interfaces.setText(String.join(", ", preferences.interfaces()));
        Preferences.DnsSd dnsSd = preferences.dnsSd();
        dnsSdDomains.setText(String.join(", ", dnsSd.domains()));
        dnsSdAskNetwork.setSelected(dnsSd.askNetwork());
        dnsSdRegister.setText(dnsSd.register());
        dnsSdServer.setText(dnsSd.server());
        dnsSdKeyFile.setText(dnsSd.tsigKeyFile());
        idleMinutes.setAccessibleText("Close unused connections after minutes");
        theme.setValue(settings.theme());
        theme.setAccessibleText("Theme");
        theme.getStyleClass().add("theme-choice");
        theme.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(UiSettings.Theme value) {
                return value == null ? "" : switch (value) {
                    case LIGHT -> "Light";
                    case DARK -> "Dark";
                    case SYSTEM -> "Same as the system";
                };
            }

            @Override
            public UiSettings.Theme fromString(String text) {
                return UiSettings.Theme.LIGHT;
            }
        });
        chat.pronto.model.FilePolicy files = preferences.filePolicy();
        downloads.setText(files.downloadFolder());
        downloads.getStyleClass().add("downloads-folder");
        autoAccept.setSelected(files.autoAccept());
        autoAcceptMiB.getValueFactory().setValue((int) Math.max(1, Math.min(1_000_000, files.autoAcceptMaxBytes() >> 20)));
        autoAcceptMiB.setEditable(true);
        autoAcceptMiB.setAccessibleText("Take files without asking up to this many MiB");
        autoAcceptMiB.disableProperty().bind(autoAccept.selectedProperty().not());
        javafx.scene.control.Button choose = new javafx.scene.control.Button("Choose…");
        choose.setOnAction(event -> {
            javafx.stage.DirectoryChooser chooser = new javafx.stage.DirectoryChooser();
            chooser.setTitle("Where files people send you go");
            java.io.File picked = chooser.showDialog(getDialogPane().getScene().getWindow());
            if (picked != null) {
                downloads.setText(picked.getAbsolutePath());
            }
        });
        notifications.setSelected(settings.notifications());
        sound.setSelected(settings.sound());
        sound.disableProperty().bind(notifications.selectedProperty().not());

        Label preview = new Label();
        preview.textProperty().bind(Bindings.createStringBinding(() -> "People see you as “" + displayName(self)
                + "” — your address stays " + self, nick.textProperty(), first.textProperty(), last.textProperty()));
        preview.getStyleClass().add("settings-hint");

        String name = own.nick() != null ? own.nick() : self.user();
        picturePreview.show(chat.pronto.ui.common.Avatar.initials(name), self.name());
        picturePreview.picture(picture);
        javafx.scene.control.Button choosePicture = new javafx.scene.control.Button("Choose…");
        choosePicture.getStyleClass().add("choose-picture");
        javafx.scene.control.Button removePicture = new javafx.scene.control.Button("Remove");
        removePicture.getStyleClass().add("remove-picture");
        removePicture.setDisable(picture == null);
        pictureProblem.getStyleClass().add("settings-hint");
        choosePicture.setOnAction(event -> {
            javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
            chooser.setTitle("Your picture");
            chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("Pictures",
                    "*.png", "*.jpg", "*.jpeg", "*.gif", "*.bmp"));
            java.io.File picked = chooser.showOpenDialog(getDialogPane().getScene().getWindow());
            if (picked != null) {
                usePicture(picked.toPath(), background, fx, removePicture);
            }
        });
        removePicture.setOnAction(event -> {
            pictureChange = java.util.Optional.empty();
            picturePreview.picture(null);
            removePicture.setDisable(true);
            pictureProblem.setText("");
        });
        javafx.scene.layout.HBox pictureRow = new javafx.scene.layout.HBox(8, picturePreview, choosePicture, removePicture,
                pictureProblem);
        pictureRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.setPadding(new Insets(8, 4, 4, 4));
        int row = 0;
        form.add(section("You"), 0, row++, 2, 1);
        form.addRow(row++, new Label("Picture"), pictureRow);
        form.addRow(row++, new Label("Nick"), nick);
        form.addRow(row++, new Label("First name"), first);
        form.addRow(row++, new Label("Last name"), last);
        form.add(preview, 0, row++, 2, 1);
        form.add(section("Publish also (optional)"), 0, row++, 2, 1);
        form.addRow(row++, new Label("Email"), email);
        form.addRow(row++, new Label("XMPP address"), jid);
        form.add(section("Security and connections (apply when Pronto starts next)"), 0, row++, 2, 1);
        form.add(requireEncryption, 0, row++, 2, 1);
        form.addRow(row++, new Label("Close unused connections after (minutes)"), idleMinutes);
        form.addRow(row++, new Label("Networks to use"), interfaces);
        form.add(wideArea(), 0, row++, 2, 1);
        form.add(section("Files"), 0, row++, 2, 1);
        javafx.scene.layout.HBox folderRow = new javafx.scene.layout.HBox(6, downloads, choose);
        javafx.scene.layout.HBox.setHgrow(downloads, javafx.scene.layout.Priority.ALWAYS);
        form.addRow(row++, new Label("Save files in"), folderRow);
        form.add(autoAccept, 0, row++, 2, 1);
        form.addRow(row++, new Label("… up to (MiB)"), autoAcceptMiB);
        form.add(section("Notifications"), 0, row++, 2, 1);
        form.add(notifications, 0, row++, 2, 1);
        form.add(sound, 0, row++, 2, 1);
        form.add(section("Look"), 0, row++, 2, 1);
        form.addRow(row++, new Label("Theme"), theme);
        Label folder = new Label("Data folder: " + (settings.file() == null ? "(none)"
                : settings.file().toAbsolutePath().getParent()));
        folder.getStyleClass().add("settings-hint");
        form.add(folder, 0, row, 2, 1);
        // Taller than a laptop's screen with every part open: it scrolls, and the buttons stay in view.
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(form);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("settings-scroll");
        double room = javafx.stage.Screen.getPrimary().getVisualBounds().getHeight() - 200;
        scroll.setPrefViewportHeight(Math.max(300, Math.min(640, room))); // the form is taller than that
        scroll.setPrefViewportWidth(720); // room for the longest label beside its field, and the scroll bar
        getDialogPane().setContent(scroll);
    }

    /** Prepares a picked picture in the background; the preview shows it, or why it cannot be used. */
    void usePicture(java.nio.file.Path file, java.util.concurrent.Executor background, java.util.concurrent.Executor fx,
                    javafx.scene.control.Button removePicture) {
        pictureProblem.setText("Preparing…");
        background.execute(() -> {
            try {
                byte[] bytes = PictureFile.prepare(file);
                javafx.scene.image.Image image = new javafx.scene.image.Image(new java.io.ByteArrayInputStream(bytes));
                fx.execute(() -> {
                    pictureChange = java.util.Optional.of(bytes);
                    picturePreview.picture(image);
                    removePicture.setDisable(false);
                    pictureProblem.setText("");
                });
            } catch (java.io.IOException | RuntimeException e) {
                fx.execute(() -> pictureProblem.setText(String.valueOf(e.getMessage())));
            }
        });
    }

    /**
     * The picture to publish after OK: empty when nothing changed; an empty inner value when the user
     * removed it.
     */
    public java.util.Optional<java.util.Optional<byte[]>> pictureChange() {
        return pictureChange == null ? java.util.Optional.empty() : java.util.Optional.of(pictureChange);
    }

    /**
     * Stores what the dialog says into {@code settings} and {@code preferences} (in memory: the caller
     * saves them) and returns our presence with the new names.
     */
    public OwnPresence apply(UiSettings settings, Preferences preferences, OwnPresence own) {
        preferences.names(nick.getText(), first.getText(), last.getText());
        preferences.contacts(email.getText(), jid.getText());
        preferences.requireEncryption(requireEncryption.isSelected());
        preferences.idleSeconds(idleMinutes.getValue() * 60L);
        preferences.interfaces(interfaces.getText());
        preferences.dnsSd(new Preferences.DnsSd(Preferences.DnsSd.split(dnsSdDomains.getText()),
                dnsSdAskNetwork.isSelected(), dnsSdRegister.getText(), dnsSdServer.getText(), dnsSdKeyFile.getText()));
        preferences.filePolicy(new chat.pronto.model.FilePolicy(downloads.getText(), autoAccept.isSelected(),
                (long) autoAcceptMiB.getValue() << 20));
        settings.theme(theme.getValue());
        settings.notifications(notifications.isSelected());
        settings.sound(sound.isSelected());
        return own.withNames(blankToNull(nick.getText()), blankToNull(first.getText()), blankToNull(last.getText()))
                .withContacts(blankToNull(email.getText()), blankToNull(jid.getText()));
    }

    private String displayName(PeerId self) {
        if (!nick.getText().isBlank()) {
            return nick.getText().strip();
        }
        String full = (first.getText().strip() + " " + last.getText().strip()).strip();
        return full.isEmpty() ? self.name() : full;
    }

    /**
     * Wide-area DNS-SD, folded away (few need it, and it would make the dialog taller than a laptop's
     * screen); open at once when something is set.
     */
    private javafx.scene.control.TitledPane wideArea() {
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        int row = 0;
        grid.addRow(row++, new Label("Look in domains"), dnsSdDomains);
        grid.add(dnsSdAskNetwork, 0, row++, 2, 1);
        grid.addRow(row++, new Label("List me in"), dnsSdRegister);
        grid.addRow(row++, new Label("DNS server"), dnsSdServer);
        grid.addRow(row++, new Label("Update key file"), dnsSdKeyFile);
        javafx.scene.control.TitledPane pane = new javafx.scene.control.TitledPane(
                "Find people through DNS too (wide-area DNS-SD)", grid);
        pane.getStyleClass().add("wide-area-settings");
        pane.setExpanded(!dnsSdDomains.getText().isBlank() || dnsSdAskNetwork.isSelected()
                || !dnsSdRegister.getText().isBlank());
        pane.setAnimated(false);
        return pane;
    }

    private static TextField field(String prompt) {
        TextField field = new TextField();
        field.setPromptText(prompt);
        field.setAccessibleText(prompt);
        field.setPrefColumnCount(24);
        return field;
    }

    private static Label section(String title) {
        Label label = new Label(title);
        label.getStyleClass().add("settings-section");
        return label;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
