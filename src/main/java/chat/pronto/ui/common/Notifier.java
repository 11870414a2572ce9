package chat.pronto.ui.common;

/** Tells the user about something while Pronto's window is not in front: a desktop notification. */
@FunctionalInterface
public interface Notifier {
    /**
     * Shows {@code title} and {@code text}; {@code onClick} runs on the FX thread if the user clicks
     * the notification (where the desktop tells us so).
     */
    void notify(String title, String text, Runnable onClick);

    /** For desktops where nothing can be shown. */
    Notifier NONE = (title, text, onClick) -> { };
}
