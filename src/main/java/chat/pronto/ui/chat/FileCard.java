package chat.pronto.ui.chat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

import chat.pronto.model.Direction;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.ui.common.Icons;

/**
 * A file in the conversation: a picture's thumbnail or a file icon with the type, the name, where the
 * transfer stands (progress, speed, time left), and what can be done now: accept or decline an offer,
 * cancel, open or show in the folder once it is here. Not encrypted (an old client) is said plainly.
 *
 * <p>One card per cell, updated in place: progress comes five times a second, and a card rebuilt each
 * time would swap the Cancel button between a press and its release.
 */
final class FileCard extends VBox {
    private final FileActions actions;
    private final Thumbnails thumbnails;
    private final ImageView picture = new ImageView();
    private final Label type = new Label();
    private final Label name = new Label();
    private final Label detail = new Label();
    private final HBox top;
    private final ProgressBar bar = new ProgressBar();
    private final Button accept = button("Accept", "file-accept");
    private final Button decline = button("Decline", "file-decline");
    private final Button cancel = button("Cancel", "file-cancel");
    private final Button open = button("Open", "file-open");
    private final Button reveal = button("Show in folder", "file-reveal");
    private final HBox buttons = new HBox(8);
    private final Label plain = new Label("Not encrypted: their client cannot encrypt files", Icons.warning());
    private final Label time = new Label();
    private final HBox meta = new HBox(6, time);
    private MessageItem item;
    /** The file whose thumbnail is on show (or being made). */
    private Path pictured;

    FileCard(FileActions actions, Thumbnails thumbnails) {
        super(6);
        this.actions = actions;
        this.thumbnails = thumbnails;
        getStyleClass().add("file-card");
        setMaxWidth(380);
        name.getStyleClass().add("file-name");
        name.setWrapText(true);
        name.setMaxWidth(320);
        detail.getStyleClass().add("file-detail");
        detail.setWrapText(true);
        detail.setMaxWidth(320);
        VBox words = new VBox(2, name, detail);
        HBox.setHgrow(words, Priority.ALWAYS);
        top = new HBox(10, typeIcon(), words);
        top.setAlignment(Pos.CENTER_LEFT);
        picture.getStyleClass().add("file-thumbnail");
        picture.setPreserveRatio(true);
        picture.setCursor(Cursor.HAND);
        picture.setOnMouseClicked(event -> {
            if (item != null && pictured != null) {
                actions.showPicture(pictured, item.transfer().transfer().name());
            }
        });
        Tooltip.install(picture, new Tooltip("Click to see it full size"));
        bar.getStyleClass().add("file-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        buttons.setAlignment(Pos.CENTER_LEFT);
        accept.setOnAction(event -> actions.accept(item));
        decline.setOnAction(event -> actions.decline(item));
        cancel.setOnAction(event -> actions.cancel(item));
        open.setOnAction(event -> actions.open(file()));
        reveal.setOnAction(event -> actions.reveal(file()));
        plain.getStyleClass().add("file-plain");
        time.getStyleClass().add("message-time");
        meta.setAlignment(Pos.CENTER_RIGHT);
    }

    /** Shows {@code shown} as it stands now, with {@code clock} the time under it. */
    void show(MessageItem shown, String clock) {
        item = shown;
        TransferItem moving = shown.transfer();
        Transfer transfer = moving.transfer();
        boolean ours = transfer.direction() == Direction.OUTGOING;
        TransferState state = transfer.state();

        name.setText(transfer.name());
        detail.setText(TransferWords.of(transfer, moving.bytesPerSecond(), moving.secondsLeft()));
        type.setText(typeOf(transfer.name()));
        time.setText(clock);
        getStyleClass().setAll("file-card", "bubble", ours ? "bubble-ours" : "bubble-theirs");

        List<Node> parts = new ArrayList<>(6);
        Path file = file();
        if ((state == TransferState.DONE || ours) && file != null && Thumbnails.isPicture(transfer.name())) {
            if (!file.equals(pictured)) {
                pictured = file;
                picture.setImage(null);
                thumbnails.load(file, image -> {
                    if (file.equals(pictured)) {
                        showPicture(image);
                    }
                });
            }
            parts.add(picture);
        } else {
            pictured = null;
        }
        parts.add(top);
        if (state == TransferState.ACTIVE || state == TransferState.CONNECTING || state == TransferState.INTERRUPTED) {
            bar.setProgress(state == TransferState.CONNECTING && transfer.done() == 0
                    ? ProgressBar.INDETERMINATE_PROGRESS : transfer.progress());
            bar.setAccessibleText(Math.round(transfer.progress() * 100) + " percent");
            parts.add(bar);
        }
        List<Node> actionsNow = new ArrayList<>(2);
        if (!ours && state == TransferState.OFFERED) {
            actionsNow.add(accept);
            actionsNow.add(decline);
        } else if (!state.isFinal()) {
            actionsNow.add(cancel);
        } else if (state == TransferState.DONE && file != null) {
            actionsNow.add(open);
            actionsNow.add(reveal);
        }
        if (!buttons.getChildren().equals(actionsNow)) {
            buttons.getChildren().setAll(actionsNow);
        }
        if (!actionsNow.isEmpty()) {
            parts.add(buttons);
        }
        if (!transfer.encrypted() && !state.isFinal() && state != TransferState.PREPARING
                && !(ours && state == TransferState.OFFERED)) {
            parts.add(plain);
        }
        parts.add(meta);
        if (!getChildren().equals(parts)) {
            getChildren().setAll(parts);
        }
        setAccessibleText((ours ? "File sent: " : "File received: ") + transfer.name() + ", " + detail.getText());
    }

    private void showPicture(Image image) {
        picture.setImage(image);
        Rectangle corners = new Rectangle(image.getWidth(), image.getHeight());
        corners.setArcWidth(16);
        corners.setArcHeight(16);
        picture.setClip(corners);
        requestLayout(); // the row grows by the picture: the list measures it again
    }

    private Path file() {
        if (item == null) {
            return null;
        }
        String file = item.transfer().transfer().file();
        return file.isEmpty() ? null : Path.of(file);
    }

    private static Button button(String words, String styleClass) {
        Button button = new Button(words);
        button.getStyleClass().addAll("file-button", styleClass);
        return button;
    }

    /** A page with the file's extension on it ("PDF", "ZIP"): people know files by their type. */
    private Node typeIcon() {
        Region page = new Region();
        page.getStyleClass().add("file-icon");
        page.setMinSize(36, 44);
        page.setMaxSize(36, 44);
        type.getStyleClass().add("file-icon-type");
        StackPane icon = new StackPane(page, type);
        StackPane.setAlignment(type, Pos.BOTTOM_CENTER);
        type.setTranslateY(-6);
        return icon;
    }

    static String typeOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && name.length() - dot <= 5 ? name.substring(dot + 1).toUpperCase(java.util.Locale.ROOT) : "";
    }
}
