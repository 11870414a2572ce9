package chat.pronto.ui.chat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

import chat.pronto.model.DeliveryState;

/**
 * A message as a bubble: ours on the right with its delivery mark, theirs on the left; the text is
 * selectable and copyable; a failed message says why and offers a retry.
 */
final class MessageCell extends ListCell<MessageItem> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final double MAX_TEXT_WIDTH = 520;
    /** Measures text as the bubbles show it (13 px, the theme's font). */
    private static final Text MEASURE = new Text();

    static {
        MEASURE.setFont(Font.font(13));
    }

    private final Consumer<MessageItem> retry;
    private final Consumer<String> openLink;
    private final FileCard card;
    private final HBox cardRow = new HBox();

    MessageCell(Consumer<MessageItem> retry, Consumer<String> openLink, FileActions files, Thumbnails thumbnails) {
        this.retry = retry;
        this.openLink = openLink;
        this.card = new FileCard(files, thumbnails);
        getStyleClass().add("message-cell");
    }

    @Override
    protected void updateItem(MessageItem item, boolean empty) {
        super.updateItem(item, empty);
        setText(null);
        if (empty || item == null) {
            setGraphic(null);
            return;
        }
        if (item.transfer() != null) {
            card.show(item, TIME.format(item.at()));
            show(item, card);
            return;
        }
        // A read-only text area styled as a label: selectable, copyable, wraps.
        TextArea text = new TextArea(item.body());
        text.setEditable(false);
        text.setWrapText(true);
        text.getStyleClass().add("message-text");
        double width = Math.min(MAX_TEXT_WIDTH, measure(item.body()) + 14);
        text.setPrefWidth(width);
        text.setMaxWidth(width);
        text.setPrefRowCount(Math.max(1, Math.min(20, rows(item.body(), width))));

        Label time = new Label(TIME.format(item.at()));
        time.getStyleClass().add("message-time");
        HBox meta = new HBox(6, time);
        meta.setAlignment(Pos.CENTER_RIGHT);
        if (item.outgoing()) {
            DeliveryState state = item.stateProperty().get();
            Label mark = new Label(MessageItem.mark(state));
            mark.getStyleClass().addAll("delivery-mark", "delivery-" + state.name().toLowerCase());
            mark.setTooltip(new Tooltip(describe(state, item.failureProperty().get())));
            mark.setAccessibleText(describe(state, item.failureProperty().get()));
            meta.getChildren().add(mark);
        }
        VBox bubble = new VBox(2, text);
        List<String> links = Links.in(item.body());
        if (!links.isEmpty()) {
            javafx.scene.layout.FlowPane linkRow = new javafx.scene.layout.FlowPane(8, 2);
            for (String link : links) {
                javafx.scene.control.Hyperlink hyperlink = new javafx.scene.control.Hyperlink(link);
                hyperlink.getStyleClass().add("message-link");
                hyperlink.setOnAction(event -> openLink.accept(link));
                linkRow.getChildren().add(hyperlink);
            }
            bubble.getChildren().add(linkRow);
        }
        bubble.getChildren().add(meta);
        bubble.getStyleClass().addAll("bubble", item.outgoing() ? "bubble-ours" : "bubble-theirs");
        bubble.setMaxWidth(540);
        if (item.stateProperty().get() == DeliveryState.FAILED) {
            Label why = new Label("Not delivered: " + item.failureProperty().get());
            why.setWrapText(true);
            why.getStyleClass().add("message-failure");
            Button again = new Button("Retry");
            again.getStyleClass().add("retry-button");
            again.setOnAction(event -> retry.accept(item));
            bubble.getChildren().add(new HBox(8, why, again));
        }
        show(item, bubble);
    }

    /** Places the bubble on its side, under a day separator when the day changes, close to its group. */
    private void show(MessageItem item, VBox bubble) {
        // A file's card keeps its row too: its buttons stay where they are between progress reports.
        HBox row = bubble == card ? cardRow : new HBox(bubble);
        if (bubble == card && (cardRow.getChildren().size() != 1 || cardRow.getChildren().get(0) != card)) {
            cardRow.getChildren().setAll(card);
        }
        row.setAlignment(item.outgoing() ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
        MessageItem previous = getIndex() > 0 && getIndex() <= getListView().getItems().size()
                ? getListView().getItems().get(getIndex() - 1) : null;
        LocalDate day = LocalDate.ofInstant(item.at(), ZoneId.systemDefault());
        if (previous == null || !LocalDate.ofInstant(previous.at(), ZoneId.systemDefault()).equals(day)) {
            Label date = new Label(dayWords(day, LocalDate.now()));
            date.getStyleClass().add("day-separator");
            HBox centered = new HBox(date);
            centered.setAlignment(Pos.CENTER);
            setGraphic(new VBox(6, centered, row));
        } else {
            // Messages from the same side within a few minutes sit closer together (one group).
            boolean grouped = previous.direction() == item.direction()
                    && Duration.between(previous.at(), item.at()).toMinutes() < 5;
            row.setPadding(new javafx.geometry.Insets(grouped ? 0 : 6, 0, 0, 0));
            setGraphic(row);
        }
    }

    /** "Today", "Yesterday", a weekday within the week, else the date. */
    static String dayWords(LocalDate day, LocalDate today) {
        if (day.equals(today)) {
            return "Today";
        }
        if (day.equals(today.minusDays(1))) {
            return "Yesterday";
        }
        if (day.isAfter(today.minusDays(7)) && !day.isAfter(today)) {
            return day.format(DateTimeFormatter.ofPattern("EEEE"));
        }
        return day.format(DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.LONG));
    }

    /** The width the longest line needs in the message font: bubbles fit their text. */
    private static double measure(String body) {
        double widest = 0;
        for (String line : body.split("\n", -1)) {
            MEASURE.setText(line.isEmpty() ? " " : line);
            widest = Math.max(widest, MEASURE.getLayoutBounds().getWidth());
        }
        return widest;
    }

    private static int rows(String body, double width) {
        int rows = 0;
        for (String line : body.split("\n", -1)) {
            MEASURE.setText(line.isEmpty() ? " " : line);
            rows += (int) Math.ceil(Math.max(1, MEASURE.getLayoutBounds().getWidth()) / Math.max(1, width - 14));
        }
        return rows;
    }

    static String describe(DeliveryState state, String failure) {
        return switch (state) {
            case QUEUED -> "Waiting to be sent";
            case SENT -> "Sent";
            case DELIVERED -> "Delivered";
            case FAILED -> "Not delivered: " + failure;
            case RECEIVED -> "Received";
        };
    }
}
