package chat.pronto.stream;

import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * {@code <stream:error/>} as RFC 6120 §4.9.2 has it: the condition and the {@code <text/>} both in
 * the streams namespace. (Smack's {@code StreamError} leaves {@code <text/>} in the stream's content
 * namespace, {@code jabber:client}.)
 */
record StreamErrorElement(Condition condition, String text) implements Nonza {
    static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-streams";

    @Override
    public String getElementName() {
        return "stream:error";
    }

    @Override
    public String getNamespace() {
        return StreamHeader.STREAM_NAMESPACE;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        XmlStringBuilder xml = new XmlStringBuilder();
        xml.openElement(getElementName());
        xml.halfOpenElement(condition.toString()).xmlnsAttribute(NAMESPACE).closeEmptyElement();
        if (text != null && !text.isEmpty()) {
            xml.halfOpenElement("text").xmlnsAttribute(NAMESPACE).attribute("xml:lang", "en").rightAngleBracket();
            xml.escape(text);
            xml.closeElement("text");
        }
        xml.closeElement(getElementName());
        return xml;
    }
}
