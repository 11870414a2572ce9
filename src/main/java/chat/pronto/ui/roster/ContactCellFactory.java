package chat.pronto.ui.roster;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.util.Callback;

/** Makes the peer list's cells. */
public final class ContactCellFactory implements Callback<ListView<ContactItem>, ListCell<ContactItem>> {
    private final java.util.function.BiConsumer<chat.pronto.model.PeerId, java.util.List<java.nio.file.Path>> dropped;

    private final chat.pronto.ui.common.Pictures pictures;

    public ContactCellFactory() {
        this((peer, files) -> { }, null);
    }

    /**
     * Files dropped on a person's row go to {@code dropped}, for that person; pictures come from
     * {@code pictures} (null: initials only).
     */
    public ContactCellFactory(
            java.util.function.BiConsumer<chat.pronto.model.PeerId, java.util.List<java.nio.file.Path>> dropped,
            chat.pronto.ui.common.Pictures pictures) {
        this.dropped = dropped;
        this.pictures = pictures;
    }

    @Override
    public ListCell<ContactItem> call(ListView<ContactItem> list) {
        ContactCell cell = new ContactCell(pictures);
        chat.pronto.ui.chat.DroppedFiles.accept(cell, files -> {
            if (cell.getItem() != null) {
                dropped.accept(cell.getItem().id(), files);
            }
        });
        return cell;
    }
}
