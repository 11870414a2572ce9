package chat.pronto.session;

import java.io.StringReader;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.StandardExtensionElementProvider;
import org.jivesoftware.smack.xml.SmackXmlParser;
import org.jivesoftware.smack.xml.XmlPullParser;

/**
 * A hand-typed IQ whose child Smack has no provider for. Smack reads such an IQ as an
 * {@link UnparsedIQ}, which writes its child back escaped, as text inside a broken tag: the peer
 * would end the stream as not-well-formed. This keeps the child as a generic element instead and
 * writes it back as typed (attributes, text, nested elements).
 */
final class HandTypedIq extends IQ {
    private final StandardExtensionElement child;

    private HandTypedIq(UnparsedIQ typed, StandardExtensionElement child) {
        super(typed);
        this.child = child;
    }

    /** The same IQ, with its child kept as a generic element. */
    static HandTypedIq of(UnparsedIQ typed) throws Exception {
        XmlPullParser parser = SmackXmlParser.newXmlParser(new StringReader(typed.getContent().toString()));
        while (parser.next() != XmlPullParser.Event.START_ELEMENT) {
            // to the child's start tag
        }
        StandardExtensionElement child = StandardExtensionElementProvider.INSTANCE.parse(parser,
                XmlEnvironment.from(parser));
        return new HandTypedIq(typed, child);
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        child.getAttributes().forEach(xml::attribute);
        if (child.getText() == null && child.getElements().isEmpty()) {
            xml.setEmptyElement();
            return xml;
        }
        xml.rightAngleBracket();
        xml.optEscape(child.getText());
        XmlEnvironment inside = new XmlEnvironment(child.getNamespace());
        for (StandardExtensionElement element : child.getElements()) {
            xml.append(element.toXML(inside));
        }
        return xml;
    }
}
