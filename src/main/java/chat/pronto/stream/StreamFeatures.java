package chat.pronto.stream;

import java.util.List;

import org.jivesoftware.smack.packet.Element;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/** {@code <stream:features/>} (RFC 6120 §4.3.2) wrapping the feature elements we offer. */
record StreamFeatures(List<? extends Element> features) implements Nonza {
    static final String ELEMENT = "features";

    @Override
    public String getElementName() {
        return "stream:" + ELEMENT;
    }

    @Override
    public String getNamespace() {
        return StreamHeader.STREAM_NAMESPACE;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosing) {
        XmlStringBuilder xml = new XmlStringBuilder();
        xml.halfOpenElement(getElementName());
        if (features.isEmpty()) {
            return xml.closeEmptyElement();
        }
        xml.rightAngleBracket();
        xml.append(features);
        xml.closeElement(getElementName());
        return xml;
    }
}
