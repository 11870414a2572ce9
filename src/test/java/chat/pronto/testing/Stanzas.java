package chat.pronto.testing;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.impl.JidCreate;

/** Stanzas built the way Pronto builds them: with Smack. */
public final class Stanzas {
    private Stanzas() {
    }

    public static Message chat(String to, String body) {
        return StanzaBuilder.buildMessage().to(JidCreate.fromOrThrowUnchecked(to)).ofType(Message.Type.chat)
                .setBody(body).build();
    }

    public static String bodyOf(Object stanza) {
        return stanza instanceof Message message ? message.getBody() : null;
    }
}
