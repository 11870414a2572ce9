package chat.pronto.stream;

import org.jivesoftware.smack.xml.SmackXmlParser;
import org.jivesoftware.smack.xml.stax.StaxXmlPullParserFactory;

/**
 * Smack's XML parsers, set up once. Left alone, Smack looks its parser factory up through a shared
 * {@code ServiceLoader} for every parser it makes: slow, and not thread-safe (two streams reading at
 * once failed with "No XmlPullParserFactory registered", and the stream ended with
 * internal-server-error). Naming the StAX factory once ends both.
 */
public final class XmlParsing {
    static {
        SmackXmlParser.setXmlPullParserFactory(new StaxXmlPullParserFactory());
    }

    private XmlParsing() {
    }

    /** Makes sure the factory is set (class initialisation does it, once, safely). */
    public static void ready() {
        // The static initialiser above has run by now.
    }
}
