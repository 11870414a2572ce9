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
            xml.escape(xmlChars(text));
            xml.closeElement("text");
        }
        xml.closeElement(getElementName());
        return xml;
    }

    /**
     * The text often quotes what the peer sent; characters XML 1.0 cannot carry (control characters,
     * lone surrogates) would make our own error unreadable, so they become U+FFFD.
     */
    static String xmlChars(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                safe.append(c).append(text.charAt(++i));
            } else if (c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD) {
                safe.append(c);
            } else {
                safe.append('\uFFFD');
            }
        }
        return safe.toString();
    }
}
