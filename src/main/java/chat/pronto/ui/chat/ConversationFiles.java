package chat.pronto.ui.chat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;

import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** The file buttons of one conversation: to the view model, to the desktop, or to a picture window. */
final class ConversationFiles implements FileActions {
    /**
     * Types the desktop may run rather than show when "opened" (a received {@code .desktop} file is a
     * launcher): for these, Open shows the folder instead and the user decides.
     */
    private static final Set<String> RUNNABLE = Set.of("desktop", "sh", "bash", "run", "bin", "exe", "msi", "bat",
            "cmd", "com", "jar", "appimage", "py", "pl", "deb", "rpm", "apk", "app", "command", "ps1", "vbs", "js");

    private final ConversationViewModel model;
    private final Executor background;

    ConversationFiles(ConversationViewModel model, Executor background) {
        this.model = model;
        this.background = background;
    }

    @Override
    public void accept(MessageItem item) {
        model.accept(item);
    }

    @Override
    public void decline(MessageItem item) {
        model.decline(item);
    }

    @Override
    public void cancel(MessageItem item) {
        model.cancel(item);
    }

    @Override
    public void open(Path file) {
        Links.open((mightRun(file) ? file.getParent() : file).toUri().toString(), background);
    }

    @Override
    public void reveal(Path file) {
        Links.open(file.getParent().toUri().toString(), background);
    }

    static boolean mightRun(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 || RUNNABLE.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The picture in a window of its own, as large as the screen allows (decoded in the background). */
    @Override
    public void showPicture(Path file, String name) {
        var bounds = Screen.getPrimary().getVisualBounds();
        // Decoded no larger than the screen: a camera's 8000 × 6000 photo at full size would fill the heap.
        Image image = new Image(file.toUri().toString(), bounds.getWidth() * 0.9, bounds.getHeight() * 0.9, true, true,
                true);
        ImageView view = new ImageView(image);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.setFitWidth(bounds.getWidth() * 0.9);
        view.setFitHeight(bounds.getHeight() * 0.9);
        image.progressProperty().addListener((observable, before, now) -> {
            if (now.doubleValue() >= 1 && !image.isError()) {
                view.setFitWidth(Math.min(image.getWidth(), bounds.getWidth() * 0.9));
                view.setFitHeight(Math.min(image.getHeight(), bounds.getHeight() * 0.9));
            }
        });
        ScrollPane pane = new ScrollPane(view);
        pane.getStyleClass().add("picture-viewer");
        pane.setFitToWidth(true);
        pane.setFitToHeight(true);
        Stage stage = new Stage();
        stage.setTitle(name);
        Scene scene = new Scene(pane, Math.min(900, bounds.getWidth() * 0.9), Math.min(700, bounds.getHeight() * 0.9));
        scene.setOnKeyPressed(event -> {
            if (event.getCode() == javafx.scene.input.KeyCode.ESCAPE) {
                stage.close();
            }
        });
        stage.setScene(scene);
        stage.show();
    }
}
