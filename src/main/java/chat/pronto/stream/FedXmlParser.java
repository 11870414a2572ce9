package chat.pronto.stream;

import java.nio.charset.StandardCharsets;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

import org.codehaus.stax2.XMLInputFactory2;
import org.jivesoftware.smack.xml.XmlPullParserException;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;

/**
 * One non-blocking XML parser (Aalto) for a whole stream, fed one complete frame at a time. Setting
 * up a JDK StAX parser for every stanza was a quarter of the CPU a message cost; this one is set up
 * once per stream and keeps the namespaces the stream tag declared, so they are not parsed again
 * with every stanza either.
 *
 * <p>The frames it gets are complete elements (the {@link XmlFramer} cut them), so the parser never
 * runs out of input inside one: running out means the frame was used up. DTDs, comments and
 * entities never reach it (the framer refuses them first); it is configured to refuse DTDs anyway.
 */
final class FedXmlParser extends StaxPullParser {
    /** A hostile peer could grow the parser's name table with new names for ever: start afresh now and then. */
    static final int FRAMES_PER_PARSER = 4096;

    private final byte[] context;
    private int framesFed;

    /** {@code contextTag}: a start tag that opens the element every frame is a child of (depth 1). */
    FedXmlParser(String contextTag) throws XmlPullParserException {
        super(null, true);
        this.context = contextTag.getBytes(StandardCharsets.UTF_8);
        start();
    }

    private void start() throws XmlPullParserException {
        // A factory of its own: Aalto's readers share their factory's name table, which goes with it.
        InputFactoryImpl factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory2.P_INTERN_NAMES, false);
        factory.setProperty(XMLInputFactory2.P_INTERN_NS_URIS, false);
        factory.setProperty(XMLInputFactory2.P_REPORT_CDATA, false);
        // (The non-blocking reader hands text over in pieces whatever IS_COALESCING says: the
        // StaxPullParser this extends joins them.)
        replaceReader(factory.createAsyncForByteArray());
        framesFed = 0;
        feedBytes(context);
        // The context element is opened, and stays open: every frame is one of its children.
        if (drain() != 1) {
            throw new XmlPullParserException("the stream's context tag does not open one element");
        }
    }

    /**
     * Gives the parser the next frame, after reading (and so checking) whatever the caller left
     * unread of the last one, and stands on the frame's first event.
     */
    Event feed(byte[] frame) throws XmlPullParserException {
        drain();
        if (framesFed >= FRAMES_PER_PARSER) {
            start();
        }
        framesFed++;
        feedBytes(frame);
        return next();
    }

    /** True when the frame fed last has been read to its end (frames end with their element's last '>'). */
    @Override
    boolean frameUsedUp() throws XmlPullParserException {
        return advance() == AsyncXMLStreamReader.EVENT_INCOMPLETE;
    }

    /** Reads the rest of the input; returns the depth it ends at. */
    private int drain() throws XmlPullParserException {
        while (advance() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
            // read on
        }
        return getDepth();
    }

    @SuppressWarnings("unchecked")
    private void feedBytes(byte[] bytes) throws XmlPullParserException {
        try {
            ((AsyncXMLStreamReader<AsyncByteArrayFeeder>) reader).getInputFeeder().feedInput(bytes, 0, bytes.length);
        } catch (XMLStreamException e) {
            throw new XmlPullParserException(e);
        }
    }
}
