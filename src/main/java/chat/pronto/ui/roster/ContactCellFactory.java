package chat.pronto.ui.roster;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.util.Callback;

/** Makes the peer list's cells. */
public final class ContactCellFactory implements Callback<ListView<ContactItem>, ListCell<ContactItem>> {
    private final java.util.function.BiConsumer<chat.pronto.model.PeerId, java.util.List<java.nio.file.Path>> dropped;

    public ContactCellFactory() {
        this((peer, files) -> { });
    }

    /** Files dropped on a person's row go to {@code dropped}, for that person. */
    public ContactCellFactory(
            java.util.function.BiConsumer<chat.pronto.model.PeerId, java.util.List<java.nio.file.Path>> dropped) {
        this.dropped = dropped;
    }

    @Override
    public ListCell<ContactItem> call(ListView<ContactItem> list) {
        ContactCell cell = new ContactCell();
        chat.pronto.ui.chat.DroppedFiles.accept(cell, files -> {
            if (cell.getItem() != null) {
                dropped.accept(cell.getItem().id(), files);
            }
        });
        return cell;
    }
}
