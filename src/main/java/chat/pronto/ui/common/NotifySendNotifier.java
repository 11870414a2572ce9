package chat.pronto.ui.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.threads.Threads;

/**
 * Desktop notifications through {@code notify-send} (libnotify, the freedesktop notification
 * service): one process per notification, waiting for a click on its "Open" action. At most four
 * wait at once; older ones are simply left to expire.
 */
public final class NotifySendNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(NotifySendNotifier.class);
    private final Path command;
    /** Each notification holds a thread while it waits for a click; a burst drops the oldest unshown ones. */
    private final ExecutorService waiting = Threads.droppingPool("pronto-notify", 4, 16);

    /** Uses {@code command} as notify-send (tests give it a stand-in). */
    NotifySendNotifier(Path command) {
        this.command = command;
    }

    /** The notifier for this desktop: notify-send when it is installed, otherwise none. */
    public static Notifier forThisDesktop() {
        return find().<Notifier>map(NotifySendNotifier::new).orElse(NONE);
    }

    private static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, "notify-send");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public void notify(String title, String text, Runnable onClick) {
        notify(title, text, null, onClick);
    }

    @Override
    public void notify(String title, String text, Path icon, Runnable onClick) {
        waiting.execute(() -> {
            try {
                String shown = icon != null && Files.isRegularFile(icon) ? icon.toAbsolutePath().toString()
                        : "mail-message-new";
                Process process = new ProcessBuilder(List.of(command.toString(), "--app-name=Pronto",
                        "--icon=" + shown, "--action=open=Open", "--wait", "--expire-time=10000",
                        "--", title, asBodyText(text))) // "--": a message starting with "-" is text, not an option
                        .redirectErrorStream(true).start();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String answer = out.readLine();
                    if ("open".equals(answer)) {
                        Platform.runLater(onClick);
                    }
                }
                process.waitFor(15, TimeUnit.SECONDS);
                process.destroy();
            } catch (IOException e) {
                LOG.debug("no desktop notification: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Notification servers may read the body as markup (links, images, bold): a peer's message
     * must show as the text it is.
     */
    static String asBodyText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The window is gone: a click could open nothing, so stop waiting (notify-send ends by itself). */
    @Override
    public void close() {
        waiting.shutdownNow();
    }
}
