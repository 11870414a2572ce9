package chat.pronto.testing;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import chat.pronto.history.History;
import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.StoredMessage;

/** A real history that the test can make refuse new messages, as a full disk does, and then mend. */
public class BreakableHistory implements History {
    private final History inner;
    private volatile boolean full;

    public BreakableHistory(History inner) {
        this.inner = inner;
    }

    /** While true, storing a message fails the way SQLite's full disk does; reading still works. */
    public void full(boolean value) {
        full = value;
    }

    @Override
    public void inOneTransaction(Changes changes) throws IOException {
        inner.inOneTransaction(changes);
    }

    @Override
    public boolean append(ChatMessage message) throws IOException {
        if (full) {
            throw new IOException("Could not store a message for " + message.peer()
                    + ": the disk is full. Nothing was lost; free some space.");
        }
        return inner.append(message);
    }

    @Override
    public Optional<ChatMessage> transition(PeerId peer, String id, Set<DeliveryState> from, DeliveryState state,
                                            Problem failure) throws IOException {
        return inner.transition(peer, id, from, state, failure);
    }

    @Override
    public boolean sameIncoming(PeerId peer, String id, String body) throws IOException {
        return inner.sameIncoming(peer, id, body);
    }

    @Override
    public boolean wroteTo(PeerId peer) throws IOException {
        return inner.wroteTo(peer);
    }

    @Override
    public List<StoredMessage> latest(PeerId peer, int limit) throws IOException {
        return inner.latest(peer, limit);
    }

    @Override
    public List<StoredMessage> before(PeerId peer, long before, int limit) throws IOException {
        return inner.before(peer, before, limit);
    }

    @Override
    public List<StoredMessage> outbox() throws IOException {
        return inner.outbox();
    }

    @Override
    public List<StoredMessage> outbox(PeerId peer) throws IOException {
        return inner.outbox(peer);
    }

    @Override
    public List<StoredMessage> sentUnacknowledged() throws IOException {
        return inner.sentUnacknowledged();
    }

    @Override
    public Optional<Boolean> sendsReceipts(PeerId peer) throws IOException {
        return inner.sendsReceipts(peer);
    }

    @Override
    public void rememberReceipts(PeerId peer, boolean sends) throws IOException {
        inner.rememberReceipts(peer, sends);
    }

    @Override
    public void saveTransfer(chat.pronto.model.Transfer transfer) throws IOException {
        inner.saveTransfer(transfer);
    }

    @Override
    public List<chat.pronto.model.Transfer> transfers() throws IOException {
        return inner.transfers();
    }

    @Override
    public List<PeerId> conversations() throws IOException {
        return inner.conversations();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public void savePeer(chat.pronto.model.SavedPeer peer) throws IOException {
        inner.savePeer(peer);
    }

    @Override
    public List<chat.pronto.model.SavedPeer> savedPeers() throws IOException {
        return inner.savedPeers();
    }

    @Override
    public boolean forgetSavedPeer(PeerId peer) throws IOException {
        return inner.forgetSavedPeer(peer);
    }
}
