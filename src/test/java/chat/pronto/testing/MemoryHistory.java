package chat.pronto.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import chat.pronto.history.History;
import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.StoredMessage;

/**
 * The history in memory, with the same rules as the SQLite one (duplicates stored once, states that
 * move only from the states named); a test can make it fail as a full disk does.
 */
public final class MemoryHistory implements History {
    private final List<StoredMessage> messages = new ArrayList<>();
    private final java.util.Map<PeerId, Boolean> receipts = new java.util.HashMap<>();
    private long next = 1;
    private volatile IOException failure;

    /** From now on every change fails with {@code error} (null: works again). */
    public void failWith(IOException error) {
        failure = error;
    }

    private void check() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public synchronized void inOneTransaction(Changes changes) throws IOException {
        changes.apply(); // (no rollback: the tests that need one use the SQLite history)
    }

    @Override
    public synchronized boolean append(ChatMessage message) throws IOException {
        check();
        boolean known = messages.stream().anyMatch(stored -> stored.message().peer().equals(message.peer())
                && stored.message().direction() == message.direction() && stored.message().id().equals(message.id()));
        if (known) {
            return false;
        }
        messages.add(new StoredMessage(next++, message));
        return true;
    }

    @Override
    public synchronized Optional<ChatMessage> transition(PeerId peer, String id, Set<DeliveryState> from,
                                                         DeliveryState state, Problem failure) throws IOException {
        check();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i).message();
            if (message.peer().equals(peer) && message.direction() == Direction.OUTGOING && message.id().equals(id)
                    && from.contains(message.state())) {
                ChatMessage changed = message.withState(state, failure);
                messages.set(i, new StoredMessage(messages.get(i).number(), changed));
                return Optional.of(changed);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized boolean sameIncoming(PeerId peer, String id, String body) {
        return messages.stream().map(StoredMessage::message).anyMatch(message -> message.peer().equals(peer)
                && message.direction() == Direction.INCOMING && message.body().equals(body)
                && (message.id().equals(id) || message.id().startsWith(id + "~")));
    }

    @Override
    public synchronized boolean wroteTo(PeerId peer) throws IOException {
        check();
        return messages.stream().map(StoredMessage::message)
                .anyMatch(message -> message.peer().equals(peer) && message.direction() == Direction.OUTGOING);
    }

    @Override
    public synchronized List<StoredMessage> latest(PeerId peer, int limit) {
        return before(peer, Long.MAX_VALUE, limit);
    }

    @Override
    public synchronized List<StoredMessage> before(PeerId peer, long before, int limit) {
        List<StoredMessage> page = messages.stream()
                .filter(stored -> stored.message().peer().equals(peer) && stored.number() < before)
                .sorted(Comparator.comparingLong(StoredMessage::number).reversed()).limit(limit)
                .sorted(Comparator.comparingLong(StoredMessage::number)).toList();
        return new ArrayList<>(page);
    }

    @Override
    public synchronized List<StoredMessage> outbox() {
        return messages.stream().filter(stored -> stored.message().direction() == Direction.OUTGOING
                && stored.message().state() == DeliveryState.QUEUED).toList();
    }

    @Override
    public synchronized List<StoredMessage> outbox(PeerId peer) {
        return outbox().stream().filter(stored -> stored.message().peer().equals(peer)).toList();
    }

    @Override
    public synchronized List<StoredMessage> sentUnacknowledged() {
        return messages.stream().filter(stored -> stored.message().direction() == Direction.OUTGOING
                && stored.message().state() == DeliveryState.SENT).toList();
    }

    @Override
    public synchronized Optional<Boolean> sendsReceipts(PeerId peer) {
        return Optional.ofNullable(receipts.get(peer));
    }

    @Override
    public synchronized void rememberReceipts(PeerId peer, boolean sends) throws IOException {
        check();
        receipts.put(peer, sends);
    }

    private final java.util.Map<String, chat.pronto.model.Transfer> transfers = new java.util.LinkedHashMap<>();

    @Override
    public synchronized void saveTransfer(chat.pronto.model.Transfer transfer) {
        transfers.put(transfer.id(), transfer);
    }

    @Override
    public synchronized List<chat.pronto.model.Transfer> transfers() {
        return List.copyOf(transfers.values());
    }

    @Override
    public synchronized List<PeerId> conversations() {
        Set<PeerId> peers = new LinkedHashSet<>();
        for (int i = messages.size() - 1; i >= 0; i--) {
            peers.add(messages.get(i).message().peer());
        }
        return List.copyOf(peers);
    }

    /** Where message {@code id} to or from {@code peer} stands now. */
    public synchronized Optional<ChatMessage> find(PeerId peer, String id) {
        return messages.stream().map(StoredMessage::message)
                .filter(message -> message.peer().equals(peer) && message.id().equals(id)).findFirst();
    }

    public synchronized List<ChatMessage> all() {
        return messages.stream().map(StoredMessage::message).toList();
    }

    @Override
    public void close() {
    }

    private final java.util.Map<PeerId, chat.pronto.model.SavedPeer> savedPeers = new java.util.LinkedHashMap<>();

    @Override
    public synchronized void savePeer(chat.pronto.model.SavedPeer peer) {
        savedPeers.put(peer.id(), peer);
    }

    @Override
    public synchronized List<chat.pronto.model.SavedPeer> savedPeers() {
        return List.copyOf(savedPeers.values());
    }

    @Override
    public synchronized boolean forgetSavedPeer(PeerId peer) {
        return savedPeers.remove(peer) != null;
    }
}
