package chat.pronto.session;

import java.util.Locale;
import java.util.Optional;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.receipts.DeliveryReceipt;
import org.jivesoftware.smackx.receipts.DeliveryReceiptRequest;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

import chat.pronto.model.PeerId;
import chat.pronto.model.TypingState;

/**
 * The message stanzas of a conversation, built and read with Smack's element classes: chat messages
 * with XEP-0184 receipt requests and XEP-0085 states, receipts, standalone chat states, and the
 * legacy {@code jabber:x:event} (XEP-0022) that Pidgin and iChat use for typing.
 */
final class ChatStanzas {
    static final String MESSAGE_EVENTS = "jabber:x:event";
    static final String ICHAT_XHTML = "http://www.w3.org/1999/xhtml";

    private ChatStanzas() {
    }

    /** A chat message asking for a receipt and saying we are active in the conversation. */
    static Message chat(PeerId from, PeerId to, String id, String body) {
        MessageBuilder builder = address(StanzaBuilder.buildMessage(id), from, to)
                .ofType(Message.Type.chat)
                .setBody(body)
                .addExtension(new ChatStateExtension(ChatState.active));
        DeliveryReceiptRequest.addTo(builder);
        return builder.build();
    }

    /** The XEP-0184 receipt for the peer's message {@code receivedId}. */
    static Message receipt(PeerId from, PeerId to, String id, String receivedId) {
        return address(StanzaBuilder.buildMessage(id), from, to)
                .ofType(Message.Type.chat)
                .addExtension(new DeliveryReceipt(receivedId))
                .build();
    }

    /** Our answer to a message that was not for us: {@code service-unavailable}, as RFC 6120 §10.5.4 has it. */
    static Message refusal(Message message, PeerId from, PeerId to) {
        return address(StanzaBuilder.buildMessage(message.getStanzaId()), from, to)
                .ofType(Message.Type.error)
                .setError(org.jivesoftware.smack.packet.StanzaError.getBuilder(
                        org.jivesoftware.smack.packet.StanzaError.Condition.service_unavailable).build())
                .build();
    }

    /**
     * Our answer to a message we will not store now because its sender is muted:
     * {@code resource-constraint}, type {@code wait} (RFC 6120 §8.3.3.18: try again later), saying when.
     */
    static Message mutedRefusal(Message message, PeerId from, PeerId to, long minutes) {
        return address(StanzaBuilder.buildMessage(message.getStanzaId()), from, to)
                .ofType(Message.Type.error)
                .setError(org.jivesoftware.smack.packet.StanzaError.getBuilder(
                                org.jivesoftware.smack.packet.StanzaError.Condition.resource_constraint)
                        .setType(org.jivesoftware.smack.packet.StanzaError.Type.WAIT)
                        .setDescriptiveEnText("not delivered: you sent more than Pronto takes from someone its user"
                                + " never wrote to; try again in " + minutes + " min")
                        .build())
                .build();
    }

    /** Whether a stanza is for {@code us}: no {@code to} (allowed on an e2e stream), or our name as a JID. */
    static boolean isFor(org.jivesoftware.smack.packet.Stanza stanza, PeerId us) {
        Jid to = stanza.getTo();
        if (to == null) {
            return true;
        }
        Jid ours = jid(us);
        return ours != null ? ours.equals(to.asBareJid()) : to.toString().equalsIgnoreCase(us.name());
    }

    /** A standalone XEP-0085 chat state (no body). */
    static Message typing(PeerId from, PeerId to, String id, TypingState state) {
        return address(StanzaBuilder.buildMessage(id), from, to)
                .ofType(Message.Type.chat)
                .addExtension(new ChatStateExtension(ChatState.valueOf(state.name().toLowerCase(Locale.ROOT))))
                .build();
    }

    /**
     * The text of a message: its body. Pidgin and iChat add an XHTML copy of the same text; it is
     * used only when there is no plain body at all (its text, roughly: Smack's generic element keeps
     * no mixed content, and every known client sends a plain body anyway).
     */
    static Optional<String> text(Message message) {
        String body = message.getBody();
        if (body != null && !body.isBlank()) {
            return Optional.of(body);
        }
        ExtensionElement html = message.getExtension("html", ICHAT_XHTML);
        if (html instanceof StandardExtensionElement element) {
            String text = textOf(element).strip();
            if (!text.isEmpty()) {
                return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    private static String textOf(StandardExtensionElement element) {
        StringBuilder text = new StringBuilder(element.getText() == null ? "" : element.getText());
        for (StandardExtensionElement child : element.getElements()) {
            if (child.getElementName().equals("br")) {
                text.append('\n');
            }
            text.append(textOf(child));
        }
        return text.toString();
    }

    /**
     * What the peer says it is doing. A {@code jabber:x:event} inside a message with a body is only a
     * request for events, not typing; without a body, {@code <composing/>} means typing and its
     * absence means it stopped.
     */
    static Optional<TypingState> typing(Message message) {
        for (ExtensionElement element : message.getExtensions()) {
            if (ChatStateExtension.NAMESPACE.equals(element.getNamespace())) {
                try {
                    return Optional.of(TypingState.valueOf(element.getElementName().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException unknown) {
                    return Optional.empty();
                }
            }
        }
        if (message.getBody() != null && !message.getBody().isBlank()) {
            return Optional.empty(); // inside a real message, jabber:x:event only asks for events
        }
        ExtensionElement event = message.getExtension("x", MESSAGE_EVENTS);
        if (event instanceof StandardExtensionElement x) {
            return Optional.of(x.getFirstElement("composing") != null ? TypingState.COMPOSING : TypingState.PAUSED);
        }
        return Optional.empty();
    }

    /** Whether the message carries a XEP-0085 chat state (so its sender understands them). */
    static boolean hasChatState(Message message) {
        return message.getExtensions().stream().anyMatch(e -> ChatStateExtension.NAMESPACE.equals(e.getNamespace()));
    }

    /** Whether the sender asked for a XEP-0184 receipt. */
    static boolean wantsReceipt(Message message) {
        return message.getExtension(DeliveryReceiptRequest.ELEMENT, DeliveryReceiptRequest.NAMESPACE) != null;
    }

    /** The id of our message that this receipt acknowledges. */
    static Optional<String> receiptFor(Message message) {
        ExtensionElement received = message.getExtension(DeliveryReceipt.ELEMENT, DeliveryReceipt.NAMESPACE);
        if (received instanceof DeliveryReceipt receipt) {
            return Optional.ofNullable(receipt.getId());
        }
        if (received instanceof StandardExtensionElement element) {
            return Optional.ofNullable(element.getAttributeValue("id"));
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern JID_LIKE =
            java.util.regex.Pattern.compile("[^\\s@/\"'<>&]+@[^\\s@/\"'<>&]+");

    /** An instance name as a JID, or null when it is not one (other clients publish names like {@code x@y (2)}). */
    static Jid jid(PeerId name) {
        if (!JID_LIKE.matcher(name.name()).matches()) {
            return null;
        }
        try {
            return JidCreate.from(name.name());
        } catch (XmppStringprepException | IllegalArgumentException notAJid) {
            return null;
        }
    }

    private static MessageBuilder address(MessageBuilder builder, PeerId from, PeerId to) {
        return builder.from(jid(from)).to(jid(to));
    }

    /**
     * XML 1.0 cannot carry most control characters: a peer would end the stream as not-well-formed
     * and the message would never go. They become U+FFFD; tabs and line breaks stay.
     */
    static String xmlSafe(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || Character.isSurrogate(c) && validSurrogate(text, i);
            if (!allowed && safe == null) {
                safe = new StringBuilder(text.substring(0, i));
            }
            if (safe != null) {
                safe.append(allowed ? c : '\uFFFD');
            }
        }
        return safe == null ? text : safe.toString();
    }

    private static boolean validSurrogate(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
