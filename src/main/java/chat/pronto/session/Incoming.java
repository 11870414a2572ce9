package chat.pronto.session;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.TypingState;
import chat.pronto.stream.StanzaStream;

/**
 * What one peer sends us: messages (stored, then acknowledged), receipts and errors for our own
 * messages, chat states, IQ requests (answered) and answers (disco#info). Runs on the stream's
 * reader thread, which never writes: answers go to the {@link Replies}.
 */
final class Incoming {
    /** Writes an answer (a receipt, an IQ result) without blocking the reader thread. */
    interface Replies {
        void reply(StanzaStream on, Stanza answer);
    }

    private final PeerId peer;
    private final SessionContext context;
    private final PeerFeatures features;
    private final PeerStreams streams;
    private final Outbox outbox;
    private final Replies replies;
    private final PeerQuota quota;
    private final FileRequests files;

    Incoming(PeerId peer, SessionContext context, PeerFeatures features, PeerStreams streams, Outbox outbox,
             Replies replies, PeerQuota quota, FileRequests files) {
        this.peer = peer;
        this.files = files;
        this.quota = quota;
        this.context = context;
        this.features = features;
        this.streams = streams;
        this.outbox = outbox;
        this.replies = replies;
    }

    void onMessage(StanzaStream stream, Message message) {
        streams.touch(stream);
        PeerId us = PeerId.of(stream.localName());
        if (!ChatStanzas.isFor(message, us)) {
            // Not ours to show: whoever it was meant for, it was not us (and an error is never answered).
            if (message.getType() != Message.Type.error) {
                answerInTurn(stream, ChatStanzas.refusal(message, us, peer));
            }
            return;
        }
        if (message.getType() == Message.Type.error) {
            refused(message);
            return;
        }
        ChatStanzas.receiptFor(message).ifPresent(id -> outbox.delivered(id, !stream.moreReceived()));
        Optional<TypingState> typing = ChatStanzas.typing(message);
        if (ChatStanzas.hasChatState(message)) {
            features.sawChatState();
        }
        Optional<String> text = ChatStanzas.text(message);
        if (text.isPresent()) {
            quota.awaitTurn(); // a peer over its rate is slowed here: its stream is not read meanwhile
            received(stream, message, text.get());
        }
        typing.or(() -> text.map(body -> TypingState.ACTIVE))
                .ifPresent(state -> context.events().emit(new ChatEvent.Typing(peer, state)));
    }

    /** What storing one incoming message came to. */
    private record Kept(boolean refused, ChatMessage shown) {
        static final Kept REFUSED = new Kept(true, null);
        static final Kept HAD_IT = new Kept(false, null);
    }

    /**
     * Stored before it is acknowledged: a receipt promises the message is safe here. The store groups
     * it with others (one commit for many), and the receipt goes out after the commit that holds it; the
     * reader goes on reading meanwhile. A muted stranger's message is refused instead (unless it is one
     * we have: that gets its receipt again).
     */
    private void received(StanzaStream stream, Message message, String body) {
        String id = message.getStanzaId();
        ChatMessage incoming = ChatMessage.incoming(peer, id != null ? id : "none-" + UUID.randomUUID(), body,
                Instant.now());
        long size = utf8Length(body);
        PeerQuota.Admission admission = quota.admit(size);
        // Charged now, on the reader: the rate holds the next stanza back, however far behind the store is.
        quota.charge(admission == PeerQuota.Admission.TAKE ? size : 0);
        try {
            store(stream, history -> keep(history, incoming, id, admission),
                    kept -> kept(stream, message, kept, admission, size),
                    failure -> {
                        // Not stored, so no receipt: the sender keeps it and retries; the user hears why.
                        context.events().notice(Problem.of(Problem.Kind.INCOMING_NOT_SAVED, peer.name(),
                                failure.getMessage()));
                        notTaken(admission, size);
                    });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            notTaken(admission, size); // not stored, no receipt: the sender keeps it
        }
    }

    /** In the store's transaction: the message as it is stored, or why it is not. */
    private Kept keep(chat.pronto.history.History history, ChatMessage incoming, String id,
                      PeerQuota.Admission admission) throws IOException {
        if (admission != PeerQuota.Admission.TAKE) {
            // A resend of one we have (its receipt was lost) is acknowledged again; anything else refused.
            return id != null && history.sameIncoming(peer, id, incoming.body()) ? Kept.HAD_IT : Kept.REFUSED;
        }
        if (history.append(incoming)) {
            return new Kept(false, incoming);
        }
        if (history.sameIncoming(peer, incoming.id(), incoming.body())) {
            return Kept.HAD_IT;
        }
        // The id was used before for other words (a client whose ids restart): a new message.
        ChatMessage distinct = ChatMessage.incoming(peer, incoming.id() + "~" + UUID.randomUUID(), incoming.body(),
                incoming.at());
        history.append(distinct);
        return new Kept(false, distinct);
    }

    /** After the commit: shown, counted, acknowledged — or refused. */
    private void kept(StanzaStream stream, Message message, Kept kept, PeerQuota.Admission admission, long size) {
        if (kept.refused()) {
            refuse(stream, message, admission);
            return;
        }
        String id = message.getStanzaId();
        if (id != null && ChatStanzas.wantsReceipt(message)) {
            // First: the sender waits for it, the front ends do not.
            replies.reply(stream, ChatStanzas.receipt(PeerId.of(stream.localName()), peer, Outbox.newId(), id));
        }
        if (kept.shown() != null) {
            context.events().emit(new ChatEvent.MessageAdded(kept.shown()));
        } else {
            notTaken(admission, size);
        }
    }

    private void notTaken(PeerQuota.Admission admission, long size) {
        if (admission == PeerQuota.Admission.TAKE) {
            quota.notStored(size);
        }
    }

    /** A muted stranger's message: the sender hears it was not delivered; the user, once, that it is muted. */
    private void refuse(StanzaStream stream, Message message, PeerQuota.Admission admission) {
        if (message.getStanzaId() != null) {
            replies.reply(stream, ChatStanzas.mutedRefusal(message, PeerId.of(stream.localName()), peer,
                    quota.minutesLeft()));
        }
        if (admission == PeerQuota.Admission.REFUSE_AND_TELL) {
            context.events().notice(quota.mutedProblem());
        }
    }

    /**
     * Answers in the order the requests came: receipts leave after the commit that holds their
     * message, so every other answer also waits for the store to reach it. (A ping's answer must not
     * overtake the receipts for messages read before the ping: the sender takes the answer to mean it
     * has them all, and sends again what has no receipt.)
     */
    private void answerInTurn(StanzaStream stream, org.jivesoftware.smack.packet.Stanza answer) {
        try {
            store(stream, history -> null, nothing -> replies.reply(stream, answer),
                    failure -> replies.reply(stream, answer));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            replies.reply(stream, answer);
        }
    }

    /**
     * Hands a change to the store. A stanza that came alone is stored (and answered) right here on the
     * reader thread when the store is idle: one thread hand-off less before the receipt leaves. In a
     * burst (more already received) it joins the store's next group instead, so the reader goes on
     * reading while the store commits many at once.
     */
    private <T> void store(StanzaStream stream, GroupCommit.Write<T> write, java.util.function.Consumer<? super T> then,
                           java.util.function.Consumer<IOException> failed) {
        if (stream.moreReceived()) {
            context.store().submit(write, then, failed);
        } else {
            context.store().submitHere(write, then, failed);
        }
    }

    /** The size of {@code text} in UTF-8, as the history stores it. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The peer answered one of our messages with an error. */
    private void refused(Message error) {
        String id = error.getStanzaId();
        if (id == null) {
            return;
        }
        StanzaError detail = error.getError();
        outbox.refused(id, detail == null ? "" : detail.getCondition().toString(),
                detail == null ? "" : detail.getDescriptiveText());
    }

    void onIq(StanzaStream stream, IQ iq) {
        streams.touch(stream);
        if (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set) {
            quota.awaitTurn(); // every request costs an answer: it counts as a message
            quota.charge(0);
            boolean forUs = ChatStanzas.isFor(iq, PeerId.of(stream.localName()));
            if (forUs && iq.getStanzaId() != null && files.onRequest(stream, peer, iq)) {
                return; // a file offer waits for the user; the transfer answers it
            }
            IQ answer;
            if (!forUs) {
                answer = IqResponder.error(iq, StanzaError.Condition.service_unavailable);
            } else if (iq.getStanzaId() == null) {
                answer = IqResponder.error(iq, StanzaError.Condition.bad_request); // RFC 6120 §8.1.3: an IQ has an id
            } else {
                answer = IqResponder.answer(iq);
            }
            answer.setFrom(ChatStanzas.jid(PeerId.of(stream.localName())));
            answer.setTo(ChatStanzas.jid(peer));
            answerInTurn(stream, answer);
        } else if (iq instanceof DiscoverInfo info && iq.getType() == IQ.Type.result) {
            features.learn(info);
        } else {
            files.onAnswer(stream, peer, iq);
        }
    }
}
