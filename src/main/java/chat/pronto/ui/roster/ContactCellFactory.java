package chat.pronto.ui.roster;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.util.Callback;

/** Makes the peer list's cells. */
public final class ContactCellFactory implements Callback<ListView<ContactItem>, ListCell<ContactItem>> {
    @Override
    public ListCell<ContactItem> call(ListView<ContactItem> list) {
        return new ContactCell();
    }
}
