package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.Test;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;

/** Presence over the stream with a peer reached by address: ours as sent, theirs read whatever it holds. */
class StreamPresenceTest {
    @Test
    void oursCarriesStatusMessageNickAndPortAndReadsBackTheSame() {
        Presence ours = StreamPresence.of(PeerId.of("alice@a"), PeerId.of("bob@b"),
                OwnPresence.available("Alice").withStatus(Status.DO_NOT_DISTURB, "in a meeting"), 5298);
        String xml = ours.toXML().toString();
        assertTrue(xml.contains("<show>dnd</show>") && xml.contains("<status>in a meeting</status>")
                && xml.contains("urn:xmpp:pronto:reach:0") && xml.contains("port='5298'"), xml);
        assertEquals(new StreamPresence.Said(Status.DO_NOT_DISTURB, "in a meeting", "Alice", 5298, false),
                StreamPresence.read(ours));
    }

    @Test
    void whatIsMissingOrMalformedReadsAsItsDefault() {
        Presence odd = StanzaBuilder.buildPresence("p1").ofType(Presence.Type.available).setMode(Presence.Mode.xa)
                .setStatus("x".repeat(5_000)).addExtension(StandardExtensionElement.builder("x", StreamPresence.NAMESPACE)
                        .addAttribute("port", "99999").addAttribute("nick", "   ").build()).build();
        StreamPresence.Said said = StreamPresence.read(odd);
        assertEquals(Status.AWAY, said.status());
        assertEquals(1_000, said.message().length(), "clipped");
        assertEquals(0, said.port(), "no such port");
        assertNull(said.nick());

        Presence leaving = StanzaBuilder.buildPresence("p2").ofType(Presence.Type.unavailable).build();
        assertTrue(StreamPresence.read(leaving).unavailable());
        assertEquals(new StreamPresence.Said(Status.AVAILABLE, "", null, 0, false),
                StreamPresence.read(StanzaBuilder.buildPresence("p3").build()));
    }
}
