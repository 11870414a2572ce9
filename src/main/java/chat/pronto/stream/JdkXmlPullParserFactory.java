package chat.pronto.stream;

import java.io.Reader;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jivesoftware.smack.xml.XmlPullParserFactory;

/**
 * Smack's parsers on the JDK's own StAX parser, with Smack's settings (coalescing, no DTDs, no
 * external entities), asked for by name. Aalto's jar, there for the streams' fed parsers
 * ({@link FedXmlParser}), registers itself as the StAX provider, and Smack's own factory takes
 * whatever {@code XMLInputFactory.newInstance()} finds. Named in {@code META-INF/services} so that
 * Smack's look-up finds this one first; public for that look-up only.
 */
public final class JdkXmlPullParserFactory implements XmlPullParserFactory {
    private static final XMLInputFactory JDK_STAX = XMLInputFactory.newDefaultFactory();

    static {
        JDK_STAX.setProperty(XMLInputFactory.IS_COALESCING, true);
        JDK_STAX.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        JDK_STAX.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        JDK_STAX.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    }

    @Override
    public StaxPullParser newXmlPullParser(Reader reader) throws XmlPullParserException {
        try {
            return new StaxPullParser(JDK_STAX.createXMLStreamReader(reader), false);
        } catch (XMLStreamException e) {
            throw new XmlPullParserException(e);
        }
    }
}
