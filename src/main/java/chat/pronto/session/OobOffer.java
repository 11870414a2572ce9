package chat.pronto.session;

import java.io.IOException;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * An XEP-0066 out-of-band offer ({@code jabber:iq:oob}): a URL to fetch the file from, as iChat and
 * Telepathy Salut send files (Salut adds {@code size} and {@code mimeType} on the {@code url}). Smack
 * has no class for it. Received only: Pronto sends files with XEP-0096.
 */
final class OobOffer extends IQ {
    static final String NAMESPACE = "jabber:iq:oob";
    private static final int MAX_TEXT = 4096;

    /** Stripped: iChat puts a line break before it. */
    final String url;
    final String description;
    /** Declared size, or -1 when the sender gave none. */
    final long size;
    final String mimeType;

    OobOffer(String url, String description, long size, String mimeType) {
        super("query", NAMESPACE);
        this.url = url;
        this.description = description;
        this.size = size;
        this.mimeType = mimeType;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.rightAngleBracket();
        xml.element("url", url);
        xml.optElement("desc", description.isEmpty() ? null : description);
        return xml;
    }

    static void register() {
        ProviderManager.addIQProvider("query", NAMESPACE, new IQProvider<OobOffer>() {
            @Override
            public OobOffer parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment)
                    throws XmlPullParserException, IOException {
                String url = "";
                String description = "";
                long size = -1;
                String mimeType = "";
                while (true) {
                    XmlPullParser.Event event = parser.next();
                    if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth) {
                        break;
                    }
                    if (event != XmlPullParser.Event.START_ELEMENT) {
                        continue;
                    }
                    if ("url".equals(parser.getName())) {
                        size = number(parser.getAttributeValue("size"));
                        String type = parser.getAttributeValue("mimeType");
                        mimeType = type == null || type.length() > 255 ? "" : type;
                        url = limited(parser.nextText().strip());
                    } else if ("desc".equals(parser.getName())) {
                        description = limited(parser.nextText().strip());
                    }
                }
                return new OobOffer(url, description, size, mimeType);
            }
        });
    }

    private static String limited(String text) {
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    private static long number(String text) {
        if (text == null) {
            return -1;
        }
        try {
            long value = Long.parseLong(text.strip());
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
