package chat.pronto.stream;

import org.jivesoftware.smack.xml.SmackXmlParser;

/**
 * Smack's XML parsers, set up once. Left alone, Smack looks its parser factory up through a shared
 * {@code ServiceLoader} for every parser it makes: slow, and not thread-safe (two streams reading at
 * once failed with "No XmlPullParserFactory registered", and the stream ended with
 * internal-server-error). Naming a factory once ends both.
 *
 * <p>The factory is {@link JdkXmlPullParserFactory}, which is also what Smack's own look-up finds
 * first, for code that parses before this class is loaded.
 */
public final class XmlParsing {
    static {
        SmackXmlParser.setXmlPullParserFactory(new JdkXmlPullParserFactory());
    }

    private XmlParsing() {
    }

    /** Makes sure the factory is set (class initialisation does it, once, safely). */
    public static void ready() {
        // The static initialiser above has run by now.
    }
}
