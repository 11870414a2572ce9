package chat.pronto.ui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/**
 * The toolkit's floor for the start-up figure (issue 13): the smallest JavaFX window with a list, a
 * label and a text area — no Pronto code, no CSS of ours, no data — reporting its first painted frame
 * exactly as Pronto does ({@link FirstFrame}, the same {@code startup first-frame} line), so that
 * {@code StartupBenchmark} can run it as a variant beside the app on the same machine.
 */
public final class MinimalFxStartup extends Application {
    @Override
    public void start(Stage stage) {
        ListView<String> people = new ListView<>();
        people.getItems().addAll("Alice", "Bob", "Carol");
        BorderPane root = new BorderPane(new TextArea(), new Label("Pronto"), null, null, people);
        Scene scene = new Scene(root, 960, 640);
        FirstFrame.watch(scene, people, () -> {
            long now = System.currentTimeMillis();
            long sinceStart = now - ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(now);
            System.out.println("startup\tfirst-frame\t" + now + "\t" + sinceStart);
            System.out.flush();
            if (Boolean.getBoolean("pronto.minimal.exit")) {
                Platform.exit();
            }
        });
        stage.setScene(scene);
        stage.show();
    }

    /** The main class: the Java launcher refuses to start an {@code Application} subclass when JavaFX is on the class path. */
    public static final class Main {
        private Main() {
        }

        public static void main(String[] args) {
            Application.launch(MinimalFxStartup.class, args);
        }
    }
}
