package chat.pronto.ui.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.TextFlow;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;

import chat.pronto.model.PeerId;
import chat.pronto.model.TrafficLine;
import chat.pronto.session.ChatService;

/** The debug console window: live raw XML of every stream, filters, and a stanza composer. */
public final class ConsoleWindow {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private final Stage stage = new Stage();
    private final ConsoleViewModel model;
    /** Answers of the chat service come back onto the FX thread through this. */
    private final Executor fx;
    /** Writing the log to a file happens here, off the FX thread. */
    private final Executor background;

    /**
     * A window over {@code model}, which keeps recording while the window is closed; {@code fx} runs
     * on the FX thread, {@code background} off it.
     */
    public ConsoleWindow(ChatService chat, ConsoleViewModel model, Window owner, java.util.List<String> stylesheets,
                         Executor fx, Executor background) {
        this.model = model;
        this.fx = fx;
        this.background = background;
        stage.initOwner(owner);
        stage.setTitle("Pronto — debug console");

        TextField peer = new TextField();
        peer.setPromptText("peer");
        peer.setAccessibleText("Show only this peer");
        model.peerFilterProperty().bind(peer.textProperty());
        ChoiceBox<ConsoleViewModel.Show> direction = new ChoiceBox<>();
        direction.getItems().setAll(ConsoleViewModel.Show.values());
        direction.setValue(ConsoleViewModel.Show.ALL);
        direction.setAccessibleText("Show incoming, outgoing or both");
        direction.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(ConsoleViewModel.Show value) {
                return value == null ? "" : switch (value) {
                    case ALL -> "in and out";
                    case IN -> "in only";
                    case OUT -> "out only";
                };
            }

            @Override
            public ConsoleViewModel.Show fromString(String text) {
                return ConsoleViewModel.Show.ALL;
            }
        });
        model.directionProperty().bind(direction.valueProperty());
        TextField text = new TextField();
        text.setPromptText("text");
        text.setAccessibleText("Show only lines containing this text");
        model.textFilterProperty().bind(text.textProperty());
        ToggleButton pause = new ToggleButton("Pause");
        model.pausedProperty().bind(pause.selectedProperty());
        Button clear = new Button("Clear");
        clear.setOnAction(event -> model.clear());
        Button copy = new Button("Copy");
        copy.setOnAction(event -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(model.asText());
            Clipboard.getSystemClipboard().setContent(content);
        });
        Button save = new Button("Save…");
        save.setOnAction(event -> save());
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox toolbar = new HBox(8, new Label("Filter:"), peer, direction, text, pause, clear, copy, save);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(8));
        toolbar.getStyleClass().add("console-toolbar");

        ListView<TrafficLine> log = new ListView<>(model.shown());
        log.getStyleClass().add("console-log");
        log.setCellFactory(list -> new LineCell());
        log.setPlaceholder(new Label("Raw XML of every stream shows here as it goes."));
        // Follow the newest lines (the list is bounded, so this stays cheap).
        model.shown().addListener((javafx.collections.ListChangeListener<TrafficLine>) change -> {
            if (!model.shown().isEmpty()) {
                log.scrollTo(model.shown().size() - 1);
            }
        });

        SplitPane split = new SplitPane(log, composer(chat));
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.68);
        BorderPane root = new BorderPane(split);
        root.setTop(toolbar);
        root.getStyleClass().add("console");
        Scene scene = new Scene(root, 980, 640);
        scene.getStylesheets().setAll(stylesheets);
        stage.setScene(scene);
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    public ConsoleViewModel model() {
        return model;
    }

    private VBox composer(ChatService chat) {
        ComboBox<String> to = new ComboBox<>();
        to.setEditable(true);
        to.setPromptText("user@machine");
        to.setAccessibleText("Send to");
        to.setOnShowing(event -> chat.contacts()
                .thenApply(contacts -> contacts.stream().map(c -> c.id().name()).sorted().toList())
                .thenAcceptAsync(names -> to.getItems().setAll(names), fx));
        ChoiceBox<String> template = new ChoiceBox<>();
        Map<String, String> templates = templates();
        template.getItems().setAll(templates.keySet());
        template.setAccessibleText("Template");
        TextArea xml = new TextArea();
        xml.setPromptText("<message type='chat'><body>…</body></message>  — to and from are filled in when absent");
        xml.getStyleClass().add("console-compose");
        xml.setAccessibleText("Stanza to send");
        template.setOnAction(event -> xml.setText(templates.get(template.getValue())
                .replace("ID", "pronto-" + UUID.randomUUID().toString().substring(0, 8))));
        Button send = new Button("Send");
        send.getStyleClass().add("send-button");
        send.setOnAction(event -> model.send(to.getEditor().getText(), xml.getText()));
        template.setValue(null);
        Label problem = new Label();
        problem.textProperty().bind(model.composeProblemProperty());
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        Label iq = new Label();
        iq.textProperty().bind(model.iqStatusProperty());
        iq.getStyleClass().add("console-iq");
        Label advertised = new Label();
        advertised.getStyleClass().add("console-mdns");
        advertised.setWrapText(true);
        to.getEditor().textProperty().addListener((observable, before, name) -> describe(chat, name, advertised));
        HBox row = new HBox(8, new Label("To:"), to, new Label("Template:"), template, send);
        row.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(xml, Priority.ALWAYS);
        VBox box = new VBox(6, row, advertised, xml, problem, iq);
        box.setPadding(new Insets(8));
        return box;
    }

    /** What the peer publishes over mDNS now, for comparing with what its stream says (looked up off the FX thread). */
    private void describe(ChatService chat, String name, Label into) {
        if (name == null || name.isBlank() || !name.contains("@")) {
            into.setText("");
            return;
        }
        chat.contact(PeerId.of(name.strip())).thenApply(seen -> seen
                .flatMap(contact -> contact.advert())
                .map(advert -> "mDNS: " + advert.addresses().stream().map(a -> a.getHostAddress())
                        .collect(java.util.stream.Collectors.joining(", ")) + " port " + advert.port()
                        + " · status=" + advert.status().txtValue()
                        + (advert.message().isEmpty() ? "" : " msg=" + advert.message())
                        + (advert.nick() == null ? "" : " nick=" + advert.nick())
                        + (advert.firstName() == null ? "" : " 1st=" + advert.firstName())
                        + (advert.lastName() == null ? "" : " last=" + advert.lastName())
                        + advert.capabilities().map(caps -> " node=" + caps.node() + " ver=" + caps.ver()).orElse(""))
                .orElse("mDNS: not seen"))
                .thenAcceptAsync(into::setText, fx);
    }

    private static Map<String, String> templates() {
        Map<String, String> templates = new LinkedHashMap<>();
        templates.put("chat message", "<message type='chat' id='ID'>\n  <body>Hello</body>\n"
                + "  <request xmlns='urn:xmpp:receipts'/>\n</message>");
        templates.put("presence", "<presence>\n  <show>away</show>\n  <status>testing</status>\n</presence>");
        templates.put("IQ disco#info", "<iq type='get' id='ID'>\n  <query xmlns='http://jabber.org/protocol/disco#info'/>\n</iq>");
        templates.put("IQ ping", "<iq type='get' id='ID'>\n  <ping xmlns='urn:xmpp:ping'/>\n</iq>");
        templates.put("IQ version", "<iq type='get' id='ID'>\n  <query xmlns='jabber:iq:version'/>\n</iq>");
        return templates;
    }

    private void save() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the traffic log");
        chooser.setInitialFileName("pronto-traffic.log");
        java.io.File file = chooser.showSaveDialog(stage);
        if (file == null) {
            return;
        }
        String text = model.asText();
        background.execute(() -> {
            try {
                Files.writeString(file.toPath(), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                fx.execute(() -> model.composeProblemProperty().set("Could not save " + file + ": " + e.getMessage()));
            }
        });
    }

    /** One chunk: time, direction, peer, then the XML indented and coloured. */
    private static final class LineCell extends ListCell<TrafficLine> {
        @Override
        protected void updateItem(TrafficLine line, boolean empty) {
            super.updateItem(line, empty);
            setText(null);
            if (empty || line == null) {
                setGraphic(null);
                return;
            }
            Label head = new Label(TIME.format(line.at()) + "  " + (line.incoming() ? "⇐ from " : "⇒ to ")
                    + line.peer() + "  #" + line.streamId() + (line.encrypted() ? "  TLS" : "  plain"));
            head.getStyleClass().addAll("console-head", line.incoming() ? "console-in" : "console-out");
            TextFlow body = new TextFlow();
            body.getChildren().setAll(XmlText.highlighted(line.xml()));
            body.getStyleClass().add("console-xml");
            // Long lines wrap inside the window instead of running off to the right.
            body.prefWidthProperty().bind(getListView().widthProperty().subtract(40));
            body.maxWidthProperty().bind(getListView().widthProperty().subtract(40));
            setGraphic(new VBox(2, head, body));
        }
    }
}
