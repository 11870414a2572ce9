package chat.pronto.session;

import java.io.IOException;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Pronto ↔ Pronto: "I cancelled transfer {@code sid}". XEP-0096 has no word for it (a closed connection
 * is all libpurple sends), and a closed connection also means a crash, which Pronto resumes; so the
 * one who cancels says so first, and the other side drops the transfer instead of resuming it. Old
 * clients answer {@code service-unavailable}, which changes nothing.
 */
final class TransferCancel extends IQ {
    static final String NAMESPACE = "urn:xmpp:pronto:files:0";

    final String sid;

    TransferCancel(String sid) {
        super("cancel", NAMESPACE);
        this.sid = sid;
        setType(Type.set);
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.attribute("sid", sid);
        xml.setEmptyElement();
        return xml;
    }

    static void register() {
        ProviderManager.addIQProvider("cancel", NAMESPACE, new IQProvider<TransferCancel>() {
            @Override
            public TransferCancel parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment)
                    throws XmlPullParserException, IOException {
                String sid = parser.getAttributeValue("sid");
                return new TransferCancel(sid == null ? "" : sid);
            }
        });
    }
}
