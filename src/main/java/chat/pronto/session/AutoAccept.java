package chat.pronto.session;

import java.util.function.Consumer;
import java.util.function.Predicate;

import chat.pronto.model.Direction;
import chat.pronto.model.FilePolicy;
import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;

/**
 * Takes offered files without asking when the user chose so: only from people whose key is pinned,
 * only over an encrypted connection (never from an old client whose name anyone could claim), and
 * only up to the size the user set. Everything else waits for the user as usual.
 */
final class AutoAccept implements ChatListener {
    private final Predicate<PeerId> pinned;
    private final Consumer<String> accept;
    private volatile FilePolicy policy = FilePolicy.defaults();

    AutoAccept(Predicate<PeerId> pinned, Consumer<String> accept) {
        this.pinned = pinned;
        this.accept = accept;
    }

    void policy(FilePolicy value) {
        policy = value;
    }

    @Override
    public void onChatEvent(ChatEvent event) {
        if (event instanceof ChatEvent.TransferUpdated updated && takes(updated.transfer())) {
            accept.accept(updated.transfer().id());
        }
    }

    boolean takes(Transfer transfer) {
        FilePolicy now = policy;
        return now.autoAccept() && transfer.direction() == Direction.INCOMING
                && transfer.state() == TransferState.OFFERED && transfer.encrypted()
                && transfer.size() <= now.autoAcceptMaxBytes() && pinned.test(transfer.peer());
    }
}
