package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The XEP-0096 offer and answer as Pronto writes them, and as libpurple writes them. */
class FileOfferTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @BeforeAll
    static void register() {
        FileOffer.register();
    }

    private static Stanza parse(String xml) throws Exception {
        return RawStanza.parse(xml);
    }

    @Test
    void anOfferSurvivesTheWireWithItsHashAndMethods() throws Exception {
        FileOffer offer = FileOffer.offer("s1", "a <b>.txt", 12, "text/plain", SHA,
                List.of(FileOffer.TLS_BYTESTREAMS, FileOffer.BYTESTREAMS));
        FileOffer back = assertInstanceOf(FileOffer.class, parse(offer.toXML().toString()));
        assertEquals(IQ.Type.set, back.getType());
        assertEquals("s1", back.sid);
        assertEquals("s1", back.getStanzaId(), "the id is the sid, as libpurple expects");
        assertEquals("a <b>.txt", back.name);
        assertEquals(12, back.size);
        assertEquals("text/plain", back.mimeType);
        assertEquals(SHA, back.sha256);
        assertEquals(List.of(FileOffer.TLS_BYTESTREAMS, FileOffer.BYTESTREAMS), back.methods);
    }

    @Test
    void anAcceptanceCarriesTheMethodAndWhereToStart() throws Exception {
        FileOffer offer = FileOffer.offer("s1", "a.txt", 5000, "", SHA, List.of(FileOffer.TLS_BYTESTREAMS));
        FileOffer back = assertInstanceOf(FileOffer.class,
                parse(FileOffer.accept(offer, FileOffer.TLS_BYTESTREAMS, 4096).toXML().toString()));
        assertEquals(IQ.Type.result, back.getType());
        assertEquals(List.of(FileOffer.TLS_BYTESTREAMS), back.methods);
        assertEquals(4096, back.range.getAsLong());
        FileOffer fromStart = assertInstanceOf(FileOffer.class,
                parse(FileOffer.accept(offer, FileOffer.TLS_BYTESTREAMS, 0).toXML().toString()));
        assertTrue(fromStart.range.isEmpty());
    }

    @Test
    void libpurplesOfferAndAnswerAreRead() throws Exception {
        FileOffer offer = assertInstanceOf(FileOffer.class, parse("""
                <iq to='bob@hostb' from='alice@hosta' id='0' type='set'>
                 <si xmlns='http://jabber.org/protocol/si' profile='http://jabber.org/protocol/si/profile/file-transfer' id='0'>
                  <file xmlns='http://jabber.org/protocol/si/profile/file-transfer' name='a.txt' size='12'/>
                  <feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='form'>
                   <field var='stream-method' type='list-single'><option><value>http://jabber.org/protocol/bytestreams</value></option></field>
                  </x></feature></si></iq>"""));
        assertEquals("0", offer.sid);
        assertEquals("a.txt", offer.name);
        assertEquals(12, offer.size);
        assertEquals("", offer.sha256);
        assertEquals(List.of(FileOffer.BYTESTREAMS), offer.methods);
        FileOffer answer = assertInstanceOf(FileOffer.class, parse("""
                <iq type='result' id='0' to='alice@hosta' from='bob@hostb'><si xmlns='http://jabber.org/protocol/si'>
                 <feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='submit'>
                  <field var='stream-method'><value>http://jabber.org/protocol/bytestreams</value></field></x></feature></si></iq>"""));
        assertEquals(List.of(FileOffer.BYTESTREAMS), answer.methods);
    }

    @Test
    void garbageInAnOfferGivesEmptyFieldsNotAnException() throws Exception {
        FileOffer offer = assertInstanceOf(FileOffer.class, parse("""
                <iq id='x' type='set'><si xmlns='http://jabber.org/protocol/si' id='s'>
                 <file xmlns='http://jabber.org/protocol/si/profile/file-transfer' name='a' size='lots'>
                  <hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>not base64!</hash><range offset='-5'/></file></si></iq>"""));
        assertEquals(-1, offer.size);
        assertEquals("", offer.sha256);
        assertEquals(0, offer.range.getAsLong());
        assertTrue(offer.methods.isEmpty());
    }
}
