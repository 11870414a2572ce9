package chat.pronto.session;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.TypingState;

/**
 * Chatting with the people nearby: what the desktop UI and the terminal console use, and all they
 * use. Methods return at once and never do network or disk work on the caller's thread; results
 * come as futures and as {@link ChatEvent}s.
 */
public interface ChatService extends AutoCloseable {
    /** Listens for streams, advertises us, sends what the outbox still holds. */
    void start() throws IOException;

    /** Our instance name now (it changes if another host owns it). */
    PeerId self();

    OwnPresence ownPresence();

    /** Publishes a new status, message or names at once (mDNS TXT update). */
    void updatePresence(OwnPresence own);

    /**
     * Publishes our picture (XEP-0174: its bytes as given, in a DNS NULL record, and its SHA-1 as
     * {@code phsh}; {@link #ownPresence()} then carries that hash), or withdraws it (empty). The caller
     * scales and encodes it (a PNG or JPEG of some 96x96 pixels is what peers expect).
     *
     * @return fails with {@link IllegalArgumentException} when the picture is empty or larger than
     *         {@link chat.pronto.model.AvatarHash#MAX_PUBLISHED_BYTES} (65,393 bytes: what fits in one
     *         mDNS packet; XEP-0174's ceiling is 65,535)
     */
    CompletableFuture<Void> setAvatar(Optional<byte[]> picture);

    /**
     * {@code peer}'s picture, once it is here (our own for {@link #self()}); empty when the peer
     * publishes none or it has not arrived yet. Its arrival is a {@link ChatEvent.ContactChanged}
     * whose {@link Contact#avatar()} names it. Pictures are kept in the data directory, fetched once.
     */
    CompletableFuture<Optional<byte[]>> avatar(PeerId peer);

    /** Everyone seen on the network or connected to us, in no particular order. */
    CompletableFuture<List<Contact>> contacts();

    /** {@code peer} as it is seen now; empty when it is neither on the network nor connected. */
    CompletableFuture<Optional<Contact>> contact(PeerId peer);

    /**
     * Stores the message, then sends it over the open stream or one it opens; the future completes
     * once it is stored (state QUEUED), and {@link ChatEvent.MessageUpdated} tells the rest.
     */
    CompletableFuture<ChatMessage> send(PeerId peer, String body);

    /** Puts a failed message back into the outbox and tries again. */
    CompletableFuture<ChatMessage> retry(PeerId peer, String messageId);

    /** Tells the peer what we are doing (only over an open stream, only to peers that understand it). */
    void setTyping(PeerId peer, TypingState state);

    /** The last {@code limit} messages with {@code peer}, oldest first. */
    CompletableFuture<List<StoredMessage>> latest(PeerId peer, int limit);

    /** The {@code limit} messages before message number {@code before}, oldest first. */
    CompletableFuture<List<StoredMessage>> older(PeerId peer, long before, int limit);

    /** Peers with a history, most recent first. */
    CompletableFuture<List<PeerId>> conversations();

    /**
     * Trusts the new key {@code peer} presented, given as the fingerprint the user compared (from
     * {@link ChatEvent.KeyChanged}); fails if the peer has presented another key since.
     */
    CompletableFuture<Void> acceptNewKey(PeerId peer, String fingerprint);

    /**
     * Sends a stanza typed by hand (debug console): checked first ({@link RawStanza}), {@code to} and
     * {@code from} filled in when absent, over the open stream or one it opens. Fails with
     * {@link RawStanza.Invalid} (nothing sent) or with why it could not go out.
     */
    CompletableFuture<Void> sendRaw(PeerId peer, String xml);

    /**
     * Offers {@code file} to {@code peer}: it is read once for its SHA-256, then offered; the future
     * completes with the offer, and {@link ChatEvent.TransferUpdated} tells the rest. An interrupted
     * transfer resumes by itself when both sides are back.
     */
    CompletableFuture<chat.pronto.model.Transfer> sendFile(PeerId peer, java.nio.file.Path file);

    /**
     * Offers each file, and every file in each folder with its place in the folder (a Pronto peer keeps
     * the folder's tree; other clients get the files); the future holds the transfers once all are offered.
     */
    CompletableFuture<List<chat.pronto.model.Transfer>> sendFiles(PeerId peer, List<java.nio.file.Path> paths);

    /** Every transfer kept (offered, moving, finished), oldest first. */
    CompletableFuture<List<chat.pronto.model.Transfer>> transfers();

    /** Takes an offered file into {@code folder}, or into the download folder when empty. */
    CompletableFuture<chat.pronto.model.Transfer> acceptFile(String id, Optional<java.nio.file.Path> folder);

    /** Says no to an offered file. */
    CompletableFuture<chat.pronto.model.Transfer> declineFile(String id);

    /** Stops a transfer either way, for good (a partial file is removed); the peer is told. */
    CompletableFuture<chat.pronto.model.Transfer> cancelTransfer(String id);

    /** Where accepted files go and which are taken without asking; applies at once. */
    void setFilePolicy(chat.pronto.model.FilePolicy policy);

    // ---- reach and trust ---------------------------------------------------------------------------

    /**
     * Reaches someone mDNS does not show (another subnet, an access point that isolates clients):
     * dials {@code HOST[:PORT]} (5298 by default), negotiates as usual (TLS, the pinned key), learns
     * the peer's name from the stream, and keeps it in the saved list, dialed again at start and while
     * it is offline. Completes with the peer's name; fails with why (a malformed address: an
     * {@link IllegalArgumentException} whose message says what is wrong).
     */
    CompletableFuture<PeerId> addByAddress(String hostAndPort);

    /**
     * Opens an invite link ({@link chat.pronto.model.InviteLink}): pins its key as verified (fails with
     * a {@link ChatEvent.KeyChanged} and an {@link IllegalStateException} when another key is pinned
     * for that name), then reaches the peer as {@link #addByAddress} does, at the link's addresses.
     */
    CompletableFuture<PeerId> openInvite(String link);

    /** Our own invite link: our name, the addresses we listen on now, our port and our key. */
    CompletableFuture<chat.pronto.model.InviteLink> inviteLink();

    /** Peers reached by address, as saved. */
    CompletableFuture<List<chat.pronto.model.SavedPeer>> savedPeers();

    /** Removes {@code peer} from the saved list (its pinned key stays: it was that key). */
    CompletableFuture<Void> forgetPeer(PeerId peer);

    /** The fingerprint of our own key (64 hex digits), for the verification screen. */
    CompletableFuture<String> ownFingerprint();

    /**
     * Marks {@code peer}'s key as verified: the user compared {@code fingerprint} with the peer. Fails
     * when that is not the key pinned for it now.
     */
    CompletableFuture<Void> markVerified(PeerId peer, String fingerprint);

    /** Takes the verified mark away (the key stays pinned, as trusted on first use). */
    CompletableFuture<Void> unmarkVerified(PeerId peer);

    /**
     * Why nobody shows up, or that all is well: each interface discovery uses or leaves alone (and
     * why), whether our own mDNS announcements come back, what others are heard, whether our port
     * answers, what the firewalls say, the last problems, and the likely causes. Takes a few seconds
     * (firewall commands, connection tries), never on the caller's thread.
     */
    CompletableFuture<chat.pronto.model.NetworkCheck> diagnose();

    /** Every chunk of XML in and out of every stream, until the returned handle is closed. */
    AutoCloseable watchTraffic(java.util.function.Consumer<chat.pronto.model.TrafficLine> listener);

    void addListener(ChatListener listener);

    void removeListener(ChatListener listener);

    /** Closes every stream with {@code </stream:stream>}, says goodbye on mDNS, stops every thread. */
    @Override
    void close();
}
