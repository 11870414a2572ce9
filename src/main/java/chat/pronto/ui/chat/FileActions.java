package chat.pronto.ui.chat;

import java.nio.file.Path;

/** What the buttons on a file in the conversation do. */
interface FileActions {
    void accept(MessageItem item);

    void decline(MessageItem item);

    void cancel(MessageItem item);

    /** Opens the file with the desktop's application for it (or shows its folder if opening could run it). */
    void open(Path file);

    /** Opens the folder that holds the file. */
    void reveal(Path file);

    /** Shows a picture full size. */
    void showPicture(Path file, String name);
}
