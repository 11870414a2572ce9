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

    Incoming(PeerId peer, SessionContext context, PeerFeatures features, PeerStreams streams, Outbox outbox,
             Replies replies) {
        this.peer = peer;
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
                replies.reply(stream, ChatStanzas.refusal(message, us, peer));
            }
            return;
        }
        if (message.getType() == Message.Type.error) {
            refused(message);
            return;
        }
        ChatStanzas.receiptFor(message).ifPresent(outbox::delivered);
        Optional<TypingState> typing = ChatStanzas.typing(message);
        if (ChatStanzas.hasChatState(message)) {
            features.sawChatState();
        }
        Optional<String> text = ChatStanzas.text(message);
        if (text.isPresent()) {
            received(stream, message, text.get());
        }
        typing.or(() -> text.map(body -> TypingState.ACTIVE))
                .ifPresent(state -> context.events().emit(new ChatEvent.Typing(peer, state)));
    }

    /** Stored before it is acknowledged: a receipt promises the message is safe here. */
    private void received(StanzaStream stream, Message message, String body) {
        String id = message.getStanzaId();
        ChatMessage incoming = ChatMessage.incoming(peer, id != null ? id : "none-" + UUID.randomUUID(), body,
                Instant.now());
        try {
            if (context.history().append(incoming)) {
                context.events().emit(new ChatEvent.MessageAdded(incoming));
            } else if (!context.history().sameIncoming(peer, incoming.id(), body)) {
                // The id was used before for other words (a client whose ids restart): a new message.
                ChatMessage distinct = ChatMessage.incoming(peer, incoming.id() + "~" + UUID.randomUUID(), body,
                        incoming.at());
                context.history().append(distinct);
                context.events().emit(new ChatEvent.MessageAdded(distinct));
            }
        } catch (IOException e) {
            // Not stored, so no receipt: the sender keeps it and retries; the user hears why.
            context.events().notice(Problem.of(Problem.Kind.INCOMING_NOT_SAVED, peer.name(), e.getMessage()));
            return;
        }
        if (id != null && ChatStanzas.wantsReceipt(message)) {
            replies.reply(stream, ChatStanzas.receipt(PeerId.of(stream.localName()), peer, Outbox.newId(), id));
        }
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
            IQ answer;
            if (!ChatStanzas.isFor(iq, PeerId.of(stream.localName()))) {
                answer = IqResponder.error(iq, StanzaError.Condition.service_unavailable);
            } else if (iq.getStanzaId() == null) {
                answer = IqResponder.error(iq, StanzaError.Condition.bad_request); // RFC 6120 §8.1.3: an IQ has an id
            } else {
                answer = IqResponder.answer(iq);
            }
            answer.setFrom(ChatStanzas.jid(PeerId.of(stream.localName())));
            answer.setTo(ChatStanzas.jid(peer));
            replies.reply(stream, answer);
        } else if (iq instanceof DiscoverInfo info && iq.getType() == IQ.Type.result) {
            features.learn(info);
        }
    }
}
