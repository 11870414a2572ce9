package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.Test;

/** What we answer to the IQs peers send us, as it goes on the wire. */
class IqResponderTest {
    private static String answer(String request) throws Exception {
        IQ iq = PacketParserUtils.parseStanza(request);
        return IqResponder.answer(iq).toXML(new XmlEnvironment("jabber:client")).toString();
    }

    /**
     * Smack reads an IQ it has no provider for as an UnparsedIQ, and its error response copies the
     * request's child escaped inside a broken tag: the peer ended the stream as not-well-formed.
     */
    @Test
    void anIqNobodyHereKnowsGetsAWellFormedServiceUnavailable() throws Exception {
        assertEquals("<iq to='alice@a' from='bob@b' id='q1' type='error'><error type='cancel'>"
                        + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
                answer("<iq xmlns='jabber:client' type='get' id='q1' from='alice@a' to='bob@b'>"
                        + "<query xmlns='urn:example:unknown' node='n'><item/></query></iq>"));
    }

    /** RFC 6120 §8.3.1 lets an error carry the request's payload; ours never does (nothing to get wrong). */
    @Test
    void anErrorNeverEchoesTheRequest() throws Exception {
        assertEquals("<iq to='alice@a' from='bob@b' id='v1' type='error'><error type='cancel'>"
                        + "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
                answer("<iq xmlns='jabber:client' type='set' id='v1' from='alice@a' to='bob@b'>"
                        + "<vCard xmlns='vcard-temp'><FN>x</FN></vCard></iq>"));
    }

    @Test
    void aPingGetsAnEmptyResult() throws Exception {
        assertEquals("<iq to='alice@a' from='bob@b' id='p1' type='result'></iq>",
                answer("<iq xmlns='jabber:client' type='get' id='p1' from='alice@a' to='bob@b'>"
                        + "<ping xmlns='urn:xmpp:ping'/></iq>"));
    }

    @Test
    void aDiscoInfoRequestForAnotherNodeGetsItemNotFound() throws Exception {
        assertEquals("<iq to='alice@a' from='bob@b' id='d1' type='error'><error type='cancel'>"
                        + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
                answer("<iq xmlns='jabber:client' type='get' id='d1' from='alice@a' to='bob@b'>"
                        + "<query xmlns='http://jabber.org/protocol/disco#info' node='elsewhere'/></iq>"));
    }

    /** XEP-0092 §5: telling everyone on the LAN the operating system only helps attackers. */
    @Test
    void theVersionAnswerNamesProntoButNotTheOperatingSystem() throws Exception {
        String version = answer("<iq xmlns='jabber:client' type='get' id='v1' from='alice@a' to='bob@b'>"
                + "<query xmlns='jabber:iq:version'/></iq>");
        assertEquals("<iq to='alice@a' id='v1' type='result'><query xmlns='jabber:iq:version'>"
                + "<name>Pronto</name><version>" + IqResponder.VERSION + "</version></query></iq>", version);
    }
}
