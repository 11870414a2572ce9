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
    /** Up to this long (and fewer than {@link #MOST_ROWS} lines) a message shows whole: about 20 rows at full width. */
    private static final int WHOLE_CHARS = 1500;
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
    /** Above a message that starts a group (another side, or a pause). */
    private static final javafx.geometry.Insets APART = new javafx.geometry.Insets(6, 0, 0, 0);
    /** Measures a line's width as the bubbles show it (in their font: see {@link #fontOf}). */
    private static final Text MEASURE = new Text();
    /** Measures wrapped text's height as the text area lays it out: its lines are centred, 16 px here, not 15.1. */
    private static final Text WRAPPED = new Text();

    static {
        WRAPPED.setBoundsType(javafx.scene.text.TextBoundsType.LOGICAL_VERTICAL_CENTER);
    }

    private final Consumer<MessageItem> retry;
    private final Consumer<String> openLink;
    private final FileActions files;
    private final Thumbnails thumbnails;
    /** Made for the first file this row shows: most rows never show one. */
    private FileCard card;
    private final HBox cardRow = new HBox();
    /**
     * Made for the first message this row shows and filled again for every next one: the list makes each
     * row's content again whenever it measures or scrolls, and new nodes (their style worked out anew each
     * time) were most of what a conversation cost to open and to scroll.
     */
    private TextBubble text;
    private final HBox textRow = new HBox();
    /** The row's content: the day's name above the message when the day changes. */
    private final Label day = new Label();
    private final HBox dayRow = new HBox(day);
    private final VBox content = new VBox(6, dayRow);

    MessageCell(Consumer<MessageItem> retry, Consumer<String> openLink, FileActions files, Thumbnails thumbnails) {
        this.retry = retry;
        this.openLink = openLink;
        this.files = files;
        this.thumbnails = thumbnails;
        getStyleClass().add("message-cell");
        // As wide as the conversation, never wider: a wider bubble made the whole list scroll sideways.
        setPrefWidth(0);
        day.getStyleClass().add("day-separator");
        dayRow.setAlignment(Pos.CENTER);
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
            if (card == null) {
                card = new FileCard(files, thumbnails);
                cardRow.getChildren().setAll(card);
            }
            card.show(item, TIME.format(item.at()));
            show(item, cardRow);
            return;
        }
        if (text == null) {
            text = new TextBubble();
            textRow.getChildren().setAll(text.box);
        }
        double widest = textWidthFor(getListView() == null ? 0 : getListView().getWidth());
        TextArea longText = text.show(item, widest);
        show(item, textRow);
        if (longText != null) {
            fitLongText(longText, widest);
        }
    }

    /** A text message's bubble: its text, its links, the time and our delivery mark, why it failed. */
    private final class TextBubble {
        final VBox box = new VBox(2);
        final SelectableText body = new SelectableText("");
        final Label time = new Label();
        final HBox meta = new HBox(6, time);
        final Label mark = new Label();
        /** The message shown: a selection belongs to it, not to the row that shows the next one. */
        MessageItem shown;
        /** Made when the pointer first reaches the mark: a tooltip is a popup window's worth of set-up per row. */
        Tooltip markWords;

        TextBubble() {
            box.getStyleClass().add("bubble");
            time.getStyleClass().add("message-time");
            meta.setAlignment(Pos.CENTER_RIGHT);
            mark.setOnMouseEntered(event -> {
                if (markWords == null) {
                    markWords = new Tooltip(mark.getAccessibleText());
                    mark.setTooltip(markWords);
                }
            });
        }

        /** Shows {@code item}; returns the text area a long message scrolls in (sized once it is in place). */
        TextArea show(MessageItem item, double widest) {
            TextArea longText = null;
            javafx.scene.layout.Region words;
            if (item != shown) {
                body.deselect();
                shown = item;
            }
            if (showsWhole(item.body())) {
                body.setText(item.body());
                body.setWidest(widest);
                words = body;
            } else {
                longText = longText(item.body());
                words = longText;
            }
            time.setText(TIME.format(item.at()));
            List<javafx.scene.Node> metaNodes = List.of(time);
            if (item.outgoing()) {
                DeliveryState state = item.stateProperty().get();
                String described = describe(state, item.failureProperty().get());
                mark.setText(MessageItem.mark(state));
                setAllIfChanged(mark.getStyleClass(), List.of("label", "delivery-mark", "delivery-" + state.name().toLowerCase()));
                if (markWords != null) {
                    markWords.setText(described);
                }
                mark.setAccessibleText(described);
                metaNodes = List.of(time, mark);
            }
            setAllIfChanged(meta.getChildren(), metaNodes);

            List<javafx.scene.Node> parts = new java.util.ArrayList<>(4);
            parts.add(words);
            List<String> links = Links.in(item.body());
            if (!links.isEmpty()) {
                parts.add(linkRow(links, widest));
            }
            parts.add(meta);
            if (item.stateProperty().get() == DeliveryState.FAILED) {
                parts.add(failure(item));
            }
            setAllIfChanged(box.getChildren(), parts);
            setAllIfChanged(box.getStyleClass(), List.of("bubble", item.outgoing() ? "bubble-ours" : "bubble-theirs"));
            box.setMaxWidth(widest + BUBBLE_INSETS);
            return longText;
        }

        private javafx.scene.layout.FlowPane linkRow(List<String> links, double widest) {
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
            return linkRow;
        }

        private HBox failure(MessageItem item) {
            Label why = new Label("Not delivered: " + item.failureProperty().get());
            why.setWrapText(true);
            why.getStyleClass().add("message-failure");
            Button again = new Button("Retry");
            again.getStyleClass().add("retry-button");
            again.setOnAction(event -> retry.accept(item));
            return new HBox(8, why, again);
        }
    }

    /** Changes {@code list} only when it differs: a node taken out and put back has its style worked out again. */
    private static <T> void setAllIfChanged(javafx.collections.ObservableList<T> list, List<T> wanted) {
        if (!list.equals(wanted)) {
            list.setAll(wanted);
        }
    }

    /** Shown whole in its bubble: most messages. A longer one scrolls inside it ({@link #MOST_ROWS} rows). */
    static boolean showsWhole(String body) {
        return body.length() <= WHOLE_CHARS && body.chars().filter(c -> c == '\n').count() < MOST_ROWS;
    }

    /** A read-only text area styled as a label: selectable, copyable, wraps, and scrolls past {@link #MOST_ROWS} rows. */
    private static TextArea longText(String body) {
        TextArea text = new TextArea(body);
        text.setEditable(false);
        text.setWrapText(true);
        text.getStyleClass().add("message-text");
        return text;
    }

    private void fitLongText(TextArea text, double widest) {
        Font font = fontOf(text);
        MEASURE.setFont(font);
        WRAPPED.setFont(font);
        double width = Math.min(widest, measure(text.getText()) + TEXT_INSETS);
        text.setPrefWidth(width);
        text.setMaxWidth(width);
        double height = textHeight(text.getText(), width) + text.snappedTopInset() + text.snappedBottomInset();
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

    /** Places the message's row on its side, under the day's name when the day changes, close to its group. */
    private void show(MessageItem item, HBox row) {
        row.setAlignment(item.outgoing() ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
        MessageItem previous = getIndex() > 0 && getIndex() <= getListView().getItems().size()
                ? getListView().getItems().get(getIndex() - 1) : null;
        LocalDate on = LocalDate.ofInstant(item.at(), ZoneId.systemDefault());
        boolean newDay = previous == null || !LocalDate.ofInstant(previous.at(), ZoneId.systemDefault()).equals(on);
        if (newDay) {
            day.setText(dayWords(on, LocalDate.now()));
        }
        dayRow.setVisible(newDay);
        dayRow.setManaged(newDay);
        // Messages from the same side within a few minutes sit closer together (one group).
        boolean grouped = !newDay && previous.direction() == item.direction()
                && Duration.between(previous.at(), item.at()).toMinutes() < 5;
        row.setPadding(newDay || grouped ? javafx.geometry.Insets.EMPTY : APART);
        setAllIfChanged(content.getChildren(), List.of(dayRow, row));
        setGraphic(content);
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
