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
    /** A longer message scrolls inside its bubble. */
    private static final int MOST_ROWS = 20;
    /** Room added to a message's measured width, so that a line that fits when measured never wraps when shown. */
    private static final double TEXT_INSETS = 14;
    /** Text is measured this much narrower than it is shown: rounding can only add a line, never lose one. */
    private static final double WRAP_MARGIN = 2;
    /** A bubble's padding, left and right ({@code .bubble}). */
    private static final double BUBBLE_INSETS = 24;
    /**
     * Room the conversation keeps beside a bubble: the list's and the cell's padding, the scroll bar,
     * and a margin on the other side so that ours and theirs still look apart.
     */
    private static final double BESIDE_BUBBLE = 96;
    /** The narrowest a bubble's text gets, however narrow the window. */
    private static final double MIN_TEXT_WIDTH = 140;
    private static final String FONT_KEY = "pronto.messageFont";
    /** Measures a line's width as the bubbles show it (in their font: see {@link #fontOf}). */
    private static final Text MEASURE = new Text();
    /** Measures wrapped text's height as the text area lays it out: its lines are centred, 16 px here, not 15.1. */
    private static final Text WRAPPED = new Text();

    static {
        WRAPPED.setBoundsType(javafx.scene.text.TextBoundsType.LOGICAL_VERTICAL_CENTER);
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
        // As wide as the conversation, never wider: a wider bubble made the whole list scroll sideways.
        setPrefWidth(0);
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
        double widest = textWidthFor(getListView() == null ? 0 : getListView().getWidth());

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
                // A long address is shortened in the middle (its start and end say where it goes); the tooltip has it all.
                hyperlink.setMaxWidth(widest);
                hyperlink.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
                hyperlink.setTooltip(new Tooltip(link));
                hyperlink.setOnAction(event -> openLink.accept(link));
                linkRow.getChildren().add(hyperlink);
            }
            linkRow.setPrefWrapLength(widest);
            linkRow.setMinWidth(0); // its own minimum is its widest link's whole length
            bubble.getChildren().add(linkRow);
        }
        bubble.getChildren().add(meta);
        bubble.getStyleClass().addAll("bubble", item.outgoing() ? "bubble-ours" : "bubble-theirs");
        bubble.setMaxWidth(widest + BUBBLE_INSETS);
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
        Font font = fontOf(text);
        MEASURE.setFont(font);
        WRAPPED.setFont(font);
        double width = Math.min(widest, measure(item.body()) + TEXT_INSETS);
        text.setPrefWidth(width);
        text.setMaxWidth(width);
        double height = textHeight(item.body(), width) + text.snappedTopInset() + text.snappedBottomInset();
        text.setPrefHeight(height);
        text.setMinHeight(height);
    }

    /**
     * The font the theme gives message text, known once a text area is in the scene (measured in another
     * font, a line could come out short and the bubble cut the last one off). Learnt from the list's first
     * text area and kept on the list: styling each row's text area on its own, ahead of the list's layout,
     * made a conversation open a third slower.
     */
    private Font fontOf(TextArea text) {
        Object known = getListView() == null ? null : getListView().getProperties().get(FONT_KEY);
        if (known instanceof Font font) {
            return font;
        }
        text.applyCss();
        Font font = text.getFont();
        // Off screen (a conversation not shown, a row changed by a live message) no style applies: the
        // default font, good for this once, is not the theme's and is not kept.
        if (getListView() != null && text.getScene() != null) {
            getListView().getProperties().put(FONT_KEY, font);
        }
        return font;
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

    /** The widest a bubble's text may be in a conversation {@code listWidth} wide (0: not laid out yet). */
    static double textWidthFor(double listWidth) {
        if (listWidth <= 0) {
            return MAX_TEXT_WIDTH; // the list lays out, its width changes, and the rows are made again
        }
        return Math.max(MIN_TEXT_WIDTH, Math.min(MAX_TEXT_WIDTH, listWidth - BESIDE_BUBBLE - BUBBLE_INSETS));
    }

    /**
     * How tall the text is, wrapped as the text area wraps it: a long word is broken where the line ends
     * (dividing its width by the line's left a line short, and the bubble cut it off), and a line is as
     * tall as the text area lays it out (where its own row count reckons less: its rows cut the last line,
     * and the scroll bar that then showed took 12 px and wrapped it into more). Measured a little
     * narrower than it is shown, so a line too many can happen, a line too few cannot. At most
     * {@link #MOST_ROWS} lines: a longer message scrolls in its bubble.
     */
    private static double textHeight(String body, double width) {
        WRAPPED.setText(" ");
        WRAPPED.setWrappingWidth(0);
        double line = WRAPPED.getLayoutBounds().getHeight();
        WRAPPED.setText(body.isEmpty() ? " " : body);
        WRAPPED.setWrappingWidth(Math.max(1, width - WRAP_MARGIN));
        long lines = Math.max(1, Math.round(WRAPPED.getLayoutBounds().getHeight() / line));
        return Math.min(MOST_ROWS, lines) * line;
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
