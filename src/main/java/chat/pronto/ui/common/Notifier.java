package chat.pronto.ui.common;

/** Tells the user about something while Pronto's window is not in front: a desktop notification. */
@FunctionalInterface
public interface Notifier extends AutoCloseable {
    /**
     * Shows {@code title} and {@code text}; {@code onClick} runs on the FX thread if the user clicks
     * the notification (where the desktop tells us so).
     */
    void notify(String title, String text, Runnable onClick);

    /** The same with the person's picture as the icon (a file), where the desktop shows one. */
    default void notify(String title, String text, java.nio.file.Path icon, Runnable onClick) {
        notify(title, text, onClick);
    }

    /** Stops what still waits for the user (the window is gone); nothing to stop by default. */
    @Override
    default void close() {
    }

    /** For desktops where nothing can be shown. */
    Notifier NONE = (title, text, onClick) -> { };
}
