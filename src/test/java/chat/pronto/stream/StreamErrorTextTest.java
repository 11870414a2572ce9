package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;

import org.jivesoftware.smack.packet.StreamError.Condition;
import org.junit.jupiter.api.Test;

/** Stream errors both ways, as the fuzz targets found them. */
class StreamErrorTextTest {
    /**
     * Found by XmlFramerFuzzTest: a peer's stream error with a condition Smack does not know made
     * Smack throw an IllegalStateException, and the stream ended with our internal-server-error
     * (logged as a broken stream) instead of the peer's error.
     */
    @Test
    void aPeersStreamErrorWithAnUnknownConditionEndsTheStreamAsThePeersError() {
        String stream = XmlFramerFuzzTest.HEADER + "<stream:error><conflicm xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bye</text></stream:error>";

        Inbound.Outcome read = Inbound.read(stream.getBytes(StandardCharsets.UTF_8), 64, StreamLimits.DEFAULT);

        assertEquals("undefined-condition", read.peerError(), read.summary());
    }

    /**
     * Found by StreamEngineFuzzTest: our error text quotes what the peer sent (an end tag's name), and a
     * control character in it made our own {@code <stream:error/>} XML that is not well-formed.
     */
    @Test
    void anErrorTextQuotingControlCharactersIsStillWellFormedXml() throws Exception {
        String xml = new StreamErrorElement(Condition.not_well_formed,
                "</stre\uFFFDm:strea\u0015\u0000\uD800> where only the stream's end tag may come").toXML((org.jivesoftware.smack.packet.XmlEnvironment) null).toString();

        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
        while (reader.hasNext()) {
            reader.next();
        }
        assertTrue(xml.contains("where only the stream&apos;s end tag may come"), xml);
    }
}
