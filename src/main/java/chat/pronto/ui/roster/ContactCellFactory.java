package chat.pronto.ui.roster;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.util.Callback;

/** Makes the peer list's cells. */
public final class ContactCellFactory implements Callback<ListView<ContactItem>, ListCell<ContactItem>> {
    private final java.util.function.BiConsumer<chat.pronto.model.PeerId, java.util.List<java.nio.file.Path>> dropped;

    private final chat.pronto.ui.common.Pictures pictures;
    /** Opens the verification screen for a row's person; null: rows have no menu. */
    private java.util.function.Consumer<ContactItem> verify;

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

    /** Rows get a context menu with "Verify key…", which hands the row's person to {@code verify}. */
    public ContactCellFactory withVerify(java.util.function.Consumer<ContactItem> verify) {
        this.verify = verify;
        return this;
    }

    @Override
    public ListCell<ContactItem> call(ListView<ContactItem> list) {
        ContactCell cell = new ContactCell(pictures);
        if (verify != null) {
            // The menu (a popup window) is made when the row first shows someone: most cells stay empty.
            javafx.scene.control.ContextMenu[] menu = new javafx.scene.control.ContextMenu[1];
            cell.emptyProperty().addListener((observable, was, empty) -> {
                if (!empty && menu[0] == null) {
                    menu[0] = verifyMenu(cell);
                }
                cell.setContextMenu(empty ? null : menu[0]);
            });
        }
        chat.pronto.ui.chat.DroppedFiles.accept(cell, files -> {
            if (cell.getItem() != null) {
                dropped.accept(cell.getItem().id(), files);
            }
        });
        return cell;
    }

    private javafx.scene.control.ContextMenu verifyMenu(ContactCell cell) {
        javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem("Verify key…");
        item.setOnAction(event -> {
            if (cell.getItem() != null) {
                verify.accept(cell.getItem());
            }
        });
        return new javafx.scene.control.ContextMenu(item);
    }
}
