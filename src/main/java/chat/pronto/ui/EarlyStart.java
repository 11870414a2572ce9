package chat.pronto.ui;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import javafx.application.Platform;

import chat.pronto.threads.Threads;

/**
 * JavaFX started before the chat core is ready: the toolkit on a thread of its own, the desktop's
 * light/dark question (a process) and the people list's collator, while
 * the caller makes the core — the two take about as long, and a desktop has more than one core.
 * No logger here: the first use of one configures logging, which must not hold the toolkit's start up.
 */
public final class EarlyStart {
    private static volatile CompletableFuture<Void> toolkit;
    private static volatile CompletableFuture<Boolean> prefersDark;

    private EarlyStart() {
    }

    /** Starts JavaFX now; {@link DesktopApp#run} waits for it. Any thread; once is enough. */
    public static synchronized void begin() {
        if (toolkit != null) {
            return;
        }
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Boolean> dark = new CompletableFuture<>();
        toolkit = started;
        prefersDark = dark;
        Rendering.chooseForThisMachine();
        Threads.start("pronto-ui-start", () -> {
            try {
                Platform.setImplicitExit(false);
                // No warm-up of controls and style sheets on the FX thread any more: with the core
                // quick to make (the key read after the first frame), the window was waiting for it,
                // and its content was on screen 113 ms sooner without it (median, 12 runs each, installed app).
                Platform.startup(() -> {
                    StartupMoments.note("toolkit-ready");
                    started.complete(null);
                });
            } catch (RuntimeException | LinkageError e) { // no display; a native library that will not load
                started.completeExceptionally(e);
            }
        });
        Threads.start("pronto-ui-theme", () -> dark.complete(SystemTheme.prefersDark()));
        // The people list sorts names with the locale's collator, whose tables take 37–45 ms to build
        // the first time (the JDK keeps one per locale): built here, not on the FX thread in the window's start.
        Threads.start("pronto-ui-collation", java.text.Collator::getInstance);
    }

    /** The toolkit's start, if {@link #begin()} was called. */
    static Optional<CompletableFuture<Void>> toolkit() {
        return Optional.ofNullable(toolkit);
    }

    static Optional<CompletableFuture<Boolean>> prefersDark() {
        return Optional.ofNullable(prefersDark);
    }
}
