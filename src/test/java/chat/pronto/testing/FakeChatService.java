package chat.pronto.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.TypingState;
import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;
import chat.pronto.session.ChatService;

/**
 * A chat service the test drives: it records what the front end asks for and says back whatever
 * events the test emits. Sending stores instantly (QUEUED); the test moves messages on.
 */
public final class FakeChatService implements ChatService {
    public final List<ChatMessage> sent = new CopyOnWriteArrayList<>();
    public final List<OwnPresence> published = new CopyOnWriteArrayList<>();
    public final List<String> typing = new CopyOnWriteArrayList<>();
    public final List<String> acceptedKeys = new CopyOnWriteArrayList<>();
    public final Map<PeerId, List<StoredMessage>> history = new ConcurrentHashMap<>();
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile OwnPresence own = OwnPresence.available("Alice Liddell");
    private volatile Exception sendFailure;

    /** From now on {@code send} fails with {@code failure} (a full disk, say). */
    public void failSendsWith(Exception failure) {
        sendFailure = failure;
    }

    /** Tells the listeners, then that no more events wait (as the real service does after each burst). */
    public void emit(ChatEvent event) {
        emitBurst(List.of(event));
    }

    /** Tells the listeners every event of {@code burst}, then once that no more wait. */
    public void emitBurst(List<ChatEvent> burst) {
        burst.forEach(this::tell);
        listeners.forEach(ChatListener::eventsDrained);
    }

    /** A message added is also stored, as the real service stores it first. */
    private void tell(ChatEvent event) {
        if (event instanceof ChatEvent.MessageAdded added) {
            history.compute(added.message().peer(), (peer, stored) -> {
                List<StoredMessage> all = stored == null ? new ArrayList<>() : new ArrayList<>(stored);
                all.add(new StoredMessage(all.size() + 1000L, added.message()));
                return all;
            });
        }
        listeners.forEach(listener -> listener.onChatEvent(event));
    }

    /** A peer as presence would report it. */
    public static Contact contact(String name, String nick, Status status, String message, LinkSecurity link) {
        PeerAdvert advert = new PeerAdvert(PeerId.of(name), List.of(), 5298, status, message, nick, null, null, null,
                null, Optional.empty());
        return new Contact(PeerId.of(name), Optional.of(advert), link,
                link == LinkSecurity.ENCRYPTED ? Optional.of("1234 5678 9ABC DEF0") : Optional.empty(), false);
    }

    /** The same peer with a key taken on first use just now. */
    public static Contact withNewKey(Contact contact) {
        return new Contact(contact.id(), contact.advert(), contact.link(), contact.key(), true, contact.avatar());
    }

    /**
     * The same peer publishing {@code picture} ({@code phsh}), which is here to be shown: put it in
     * {@link #pictures} too (as the real service has it once fetched) and emit the contact.
     */
    public Contact withPicture(Contact contact, byte[] picture) {
        String hash = chat.pronto.model.AvatarHash.of(picture);
        PeerAdvert advert = contact.advert().map(a -> new PeerAdvert(a.id(), a.addresses(), a.port(), a.status(),
                a.message(), a.nick(), a.firstName(), a.lastName(), a.email(), a.jid(), a.capabilities(),
                Optional.of(hash))).orElse(null);
        pictures.put(contact.id(), picture.clone());
        return new Contact(contact.id(), Optional.ofNullable(advert), contact.link(), contact.key(), contact.keyIsNew(),
                Optional.of(hash));
    }

    /** The pictures {@code avatar(PeerId)} returns, by peer (the test puts them; our own is set with setAvatar). */
    public final Map<PeerId, byte[]> pictures = new ConcurrentHashMap<>();
    /** Every picture the front end published (empty: withdrawn), in order. */
    public final List<Optional<byte[]>> avatarsSet = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> setAvatar(Optional<byte[]> picture) {
        try {
            picture.ifPresent(chat.pronto.model.AvatarHash::checkPublishable);
        } catch (IllegalArgumentException tooLarge) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        avatarsSet.add(picture.map(byte[]::clone));
        picture.ifPresentOrElse(bytes -> pictures.put(self(), bytes.clone()), () -> pictures.remove(self()));
        own = own.withAvatarHash(picture.map(chat.pronto.model.AvatarHash::of));
        return answer(null);
    }

    @Override
    public CompletableFuture<Optional<byte[]>> avatar(PeerId peer) {
        return answer(Optional.ofNullable(pictures.get(peer)).map(byte[]::clone));
    }

    @Override
    public void start() {
    }

    @Override
    public PeerId self() {
        return PeerId.of("alice@wonderland");
    }

    @Override
    public OwnPresence ownPresence() {
        return own;
    }

    @Override
    public void updatePresence(OwnPresence value) {
        own = value;
        published.add(value);
    }

    /** Who {@code contacts()} and {@code contact(PeerId)} report as seen (presence, as the test sets it). */
    public final Map<PeerId, Contact> seen = new ConcurrentHashMap<>();
    /** The thread {@code contacts()} and {@code contact(PeerId)} answer from; null: at once, on the caller's. */
    public volatile java.util.concurrent.Executor answerFrom;

    @Override
    public CompletableFuture<List<Contact>> contacts() {
        return answer(List.copyOf(seen.values()));
    }

    @Override
    public CompletableFuture<Optional<Contact>> contact(PeerId peer) {
        return answer(Optional.ofNullable(seen.get(peer)));
    }

    /** From {@link #answerFrom} when the test set it (as the real service answers from its workers). */
    private <T> CompletableFuture<T> answer(T value) {
        java.util.concurrent.Executor from = answerFrom;
        return from == null ? CompletableFuture.completedFuture(value) : CompletableFuture.supplyAsync(() -> value, from);
    }

    @Override
    public CompletableFuture<ChatMessage> send(PeerId peer, String body) {
        if (sendFailure != null) {
            return CompletableFuture.failedFuture(sendFailure);
        }
        ChatMessage message = ChatMessage.outgoing(peer, "m" + ids.incrementAndGet(), body, Instant.now());
        sent.add(message);
        emit(new ChatEvent.MessageAdded(message));
        return CompletableFuture.completedFuture(message);
    }

    @Override
    public CompletableFuture<ChatMessage> retry(PeerId peer, String messageId) {
        return CompletableFuture.failedFuture(new IllegalStateException("not in this fake"));
    }

    @Override
    public void setTyping(PeerId peer, TypingState state) {
        typing.add(peer + " " + state);
    }

    @Override
    public CompletableFuture<List<StoredMessage>> latest(PeerId peer, int limit) {
        List<StoredMessage> all = history.getOrDefault(peer, List.of());
        List<StoredMessage> page = new ArrayList<>(all.subList(Math.max(0, all.size() - limit), all.size()));
        CompletableFuture<Void> gate = historyAnswers;
        return gate == null ? CompletableFuture.completedFuture(page) : gate.thenApply(ready -> page);
    }

    /** When set, history pages are answered once it completes (as the real store answers later, from its thread). */
    public volatile CompletableFuture<Void> historyAnswers;

    @Override
    public CompletableFuture<List<StoredMessage>> older(PeerId peer, long before, int limit) {
        List<StoredMessage> older = history.getOrDefault(peer, List.of()).stream()
                .filter(stored -> stored.number() < before).toList();
        return CompletableFuture.completedFuture(older.subList(Math.max(0, older.size() - limit), older.size()));
    }

    @Override
    public CompletableFuture<List<PeerId>> conversations() {
        return CompletableFuture.completedFuture(List.copyOf(history.keySet()));
    }

    @Override
    public CompletableFuture<Void> acceptNewKey(PeerId peer, String fingerprint) {
        acceptedKeys.add(peer + " " + fingerprint);
        return CompletableFuture.completedFuture(null);
    }

    /** Raw stanzas the front end sent. */
    public final List<String> raw = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> sendRaw(PeerId peer, String xml) {
        raw.add(peer + " " + xml);
        return CompletableFuture.completedFuture(null);
    }

    private final List<java.util.function.Consumer<chat.pronto.model.TrafficLine>> traffic = new CopyOnWriteArrayList<>();

    /** Pretends raw XML went over a stream (from any thread, as real traffic does). */
    public void traffic(chat.pronto.model.TrafficLine line) {
        traffic.forEach(listener -> listener.accept(line));
    }

    @Override
    public AutoCloseable watchTraffic(java.util.function.Consumer<chat.pronto.model.TrafficLine> listener) {
        traffic.add(listener);
        return () -> traffic.remove(listener);
    }

    @Override
    public void addListener(ChatListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(ChatListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
    }

    @Override
    public CompletableFuture<chat.pronto.model.Transfer> sendFile(PeerId peer, java.nio.file.Path file) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no files in the fake"));
    }

    /** What the front end asked to send, in order. */
    public final List<List<java.nio.file.Path>> filesSent = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<List<chat.pronto.model.Transfer>> sendFiles(PeerId peer, List<java.nio.file.Path> paths) {
        filesSent.add(List.copyOf(paths));
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<List<chat.pronto.model.Transfer>> transfers() {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<chat.pronto.model.Transfer> acceptFile(String id, Optional<java.nio.file.Path> folder) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no files in the fake"));
    }

    @Override
    public CompletableFuture<chat.pronto.model.Transfer> declineFile(String id) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no files in the fake"));
    }

    @Override
    public CompletableFuture<chat.pronto.model.Transfer> cancelTransfer(String id) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no files in the fake"));
    }

    /** The last file policy set, for tests of the settings. */
    public volatile chat.pronto.model.FilePolicy filePolicy = chat.pronto.model.FilePolicy.defaults();

    @Override
    public void setFilePolicy(chat.pronto.model.FilePolicy policy) {
        filePolicy = policy;
    }

    // ---- reach and trust --------------------------------------------------------------------------

    /** What the front end added by address or by link, in order (as typed). */
    public final List<String> added = new CopyOnWriteArrayList<>();
    /** Verified marks the front end set ("peer fingerprint") and took away ("peer -"). */
    public final List<String> verifications = new CopyOnWriteArrayList<>();
    /** What {@code savedPeers()} reports. */
    public final List<chat.pronto.model.SavedPeer> saved = new CopyOnWriteArrayList<>();
    /** Our key's fingerprint as {@code ownFingerprint()} reports it. */
    public volatile String ownKey = "0123456789abcdef".repeat(4);
    /** The peer {@code addByAddress} answers with; null: it fails with {@link #addFailure}. */
    public volatile PeerId reachable = PeerId.of("bob@builder");
    public volatile Exception addFailure = new java.io.IOException("nobody answers at that address");

    @Override
    public CompletableFuture<PeerId> addByAddress(String hostAndPort) {
        try {
            chat.pronto.model.HostPort.parse(hostAndPort);
        } catch (IllegalArgumentException malformed) {
            return CompletableFuture.failedFuture(malformed);
        }
        added.add(hostAndPort);
        PeerId peer = reachable;
        return peer == null ? CompletableFuture.failedFuture(addFailure) : answer(peer);
    }

    @Override
    public CompletableFuture<PeerId> openInvite(String link) {
        chat.pronto.model.InviteLink invite;
        try {
            invite = chat.pronto.model.InviteLink.parse(link);
        } catch (IllegalArgumentException malformed) {
            return CompletableFuture.failedFuture(malformed);
        }
        added.add(link);
        return answer(invite.name());
    }

    @Override
    public CompletableFuture<chat.pronto.model.InviteLink> inviteLink() {
        return answer(new chat.pronto.model.InviteLink(self(), ownKey, 5298, List.of("192.168.1.20", "fd00::20")));
    }

    @Override
    public CompletableFuture<List<chat.pronto.model.SavedPeer>> savedPeers() {
        return answer(List.copyOf(saved));
    }

    @Override
    public CompletableFuture<Void> forgetPeer(PeerId peer) {
        forgotten.add(peer);
        saved.removeIf(entry -> entry.id().equals(peer));
        return answer(null);
    }

    @Override
    public CompletableFuture<String> ownFingerprint() {
        return answer(ownKey);
    }

    @Override
    public CompletableFuture<Void> markVerified(PeerId peer, String fingerprint) {
        verifications.add(peer + " " + fingerprint);
        return answer(null);
    }

    @Override
    public CompletableFuture<Void> unmarkVerified(PeerId peer) {
        verifications.add(peer + " -");
        return answer(null);
    }

    /** The same peer with its key verified (or not any more). */
    public static Contact verified(Contact contact, boolean verified) {
        return new Contact(contact.id(), contact.advert(), contact.link(), contact.key(), false, contact.avatar(),
                verified, contact.direct());
    }

    /** The same peer, reached by address rather than over mDNS. */
    public static Contact direct(Contact contact) {
        return new Contact(contact.id(), contact.advert(), contact.link(), contact.key(), contact.keyIsNew(),
                contact.avatar(), contact.verified(), true);
    }

    /** What {@code diagnose()} answers; null: it fails. */
    public volatile chat.pronto.model.NetworkCheck networkCheck;
    /** How many times the front end asked {@code diagnose()}. */
    public final AtomicInteger diagnoses = new AtomicInteger();
    /** The peers whose {@code forgetPeer} was asked, in order. */
    public final List<PeerId> forgotten = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<chat.pronto.model.NetworkCheck> diagnose() {
        diagnoses.incrementAndGet();
        chat.pronto.model.NetworkCheck check = networkCheck;
        return check == null ? CompletableFuture.failedFuture(new java.io.IOException("no diagnosis in this fake"))
                : answer(check);
    }

    /**
     * The same peer with the key {@code hex} (64 hex digits) pinned, given as the core gives it: sixteen
     * groups of four upper-case digits, a line break after the eighth.
     */
    public static Contact withKey(Contact contact, String hex) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            shown.append(i == 0 ? "" : i == 32 ? "\n" : " ").append(hex, i, i + 4);
        }
        return new Contact(contact.id(), contact.advert(), contact.link(),
                Optional.of(shown.toString().toUpperCase(java.util.Locale.ROOT)), contact.keyIsNew(), contact.avatar(),
                contact.verified(), contact.direct());
    }
}
