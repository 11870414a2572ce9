package chat.pronto.stream;

import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * The opening {@code <stream:stream>} tag of an e2e stream (XEP-0174/XEP-0246). Smack's own
 * {@code StreamOpen} always claims version 1.0; a reply to a legacy peer must not, hence this class.
 *
 * @param from    our instance name ({@code user@machine}); may be absent from iChat-era peers
 * @param to      the peer's instance name
 * @param id      stream id; the recipient sets one (RFC 6120 §4.7.3)
 * @param version {@code "1.0"}, or null for a pre-XMPP-1.0 peer such as Pidgin
 */
record StreamHeader(String from, String to, String id, String version) implements Nonza {
    static final String STREAM_NAMESPACE = "http://etherx.jabber.org/streams";
    static final String CONTENT_NAMESPACE = "jabber:client";
    static final String VERSION_1 = "1.0";

    boolean speaksVersion1() {
        if (version == null) {
            return false;
        }
        // RFC 6120 §4.7.5: major.minor, compared as numbers; 1.x and above speak 1.0.
        String major = version.split("\\.", 2)[0].trim();
        return major.matches("[0-9]{1,4}") && Integer.parseInt(major) >= 1;
    }

    @Override
    public String getElementName() {
        return "stream:stream";
    }

    @Override
    public String getNamespace() {
        return CONTENT_NAMESPACE;
    }

    /** The XML declaration and the open tag; the tag stays open for the whole stream. */
    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        XmlStringBuilder xml = new XmlStringBuilder();
        xml.append("<?xml version='1.0'?>");
        xml.halfOpenElement(getElementName());
        xml.attribute("xmlns", CONTENT_NAMESPACE);
        xml.attribute("xmlns:stream", STREAM_NAMESPACE);
        xml.optAttribute("from", from);
        xml.optAttribute("to", to);
        xml.optAttribute("id", id);
        xml.optAttribute("version", version);
        xml.rightAngleBracket();
        return xml;
    }
}
