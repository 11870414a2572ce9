package chat.pronto.session;

import java.util.Optional;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.Jid;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;

/**
 * {@code <presence/>} over the stream with a peer reached by address: no DNS-SD record carries its
 * status, and XEP-0174 has no rule for such peers, so the two say it over the stream (RFC 6121 show
 * and status). Pronto's own element adds where we listen, so that a peer who was dialed can dial
 * back later, and the nick a TXT record would have carried:
 * {@code <x xmlns='urn:xmpp:pronto:reach:0' port='5298' nick='Alice'/>}.
 */
final class StreamPresence {
    static final String NAMESPACE = "urn:xmpp:pronto:reach:0";
    static final String ELEMENT = "x";
    private static final int MAX_TEXT = 1_000;

    /** What a peer said about itself over the stream. */
    record Said(Status status, String message, String nick, int port, boolean unavailable) {
    }

    private StreamPresence() {
    }

    static Presence of(PeerId from, PeerId to, OwnPresence own, int port) {
        PresenceBuilder builder = StanzaBuilder.buildPresence(Outbox.newId()).ofType(Presence.Type.available);
        Jid fromJid = ChatStanzas.jid(from);
        Jid toJid = ChatStanzas.jid(to);
        if (fromJid != null) {
            builder.from(fromJid);
        }
        if (toJid != null) {
            builder.to(toJid);
        }
        switch (own.status()) {
            case AWAY -> builder.setMode(Presence.Mode.away);
            case DO_NOT_DISTURB -> builder.setMode(Presence.Mode.dnd);
            default -> { }
        }
        if (own.message() != null && !own.message().isBlank()) {
            builder.setStatus(clip(own.message()));
        }
        StandardExtensionElement.Builder reach = StandardExtensionElement.builder(ELEMENT, NAMESPACE)
                .addAttribute("port", Integer.toString(port));
        if (own.nick() != null && !own.nick().isBlank()) {
            reach.addAttribute("nick", clip(own.nick()));
        }
        builder.addExtension(reach.build());
        return builder.build();
    }

    /** Reads a peer's presence, never failing: what is missing or malformed reads as its default. */
    static Said read(Presence presence) {
        boolean unavailable = presence.getType() == Presence.Type.unavailable;
        Status status = switch (presence.getMode() == null ? Presence.Mode.available : presence.getMode()) {
            case away, xa -> Status.AWAY;
            case dnd -> Status.DO_NOT_DISTURB;
            default -> Status.AVAILABLE;
        };
        String message = clip(Optional.ofNullable(presence.getStatus()).orElse(""));
        int port = 0;
        String nick = null;
        ExtensionElement reach = presence.getExtensionElement(ELEMENT, NAMESPACE);
        if (reach instanceof StandardExtensionElement element) {
            String value = element.getAttributeValue("port");
            if (value != null && value.matches("[0-9]{1,5}")) {
                int number = Integer.parseInt(value);
                port = number <= 65_535 ? number : 0;
            }
            String named = element.getAttributeValue("nick");
            nick = named == null || named.isBlank() ? null : clip(named.strip());
        }
        return new Said(status, message, nick, port, unavailable);
    }

    private static String clip(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
