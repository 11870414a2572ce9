package chat.pronto.stream;

import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;

/**
 * Smack's {@link XmlPullParser} over a StAX reader, with Smack's depth rule (an end tag has the depth
 * of its start tag). Ours rather than Smack's own adapter, whose constructor is not public: the
 * stream's parser is a non-blocking one ({@link FedXmlParser}), and everything else must keep the
 * JDK's parser even though Aalto's jar now offers itself to {@code XMLInputFactory.newInstance()}.
 */
class StaxPullParser implements XmlPullParser {
    private static final int NONE = -1;

    protected XMLStreamReader reader;
    /** Join adjacent text events into one, as Smack expects (Aalto's non-blocking reader cannot). */
    private final boolean coalesce;
    private int depth;
    private boolean delayedDepthDecrement;
    /** An event the reader has already reached while text before it was being joined. */
    private int readAhead = NONE;
    /** The joined text the caller stands on, or null when it stands where the reader does. */
    private String text;

    StaxPullParser(XMLStreamReader reader, boolean coalesce) {
        this.reader = reader;
        this.coalesce = coalesce;
    }

    /** Starts over on another reader, at depth 0. */
    protected final void replaceReader(XMLStreamReader fresh) {
        reader = fresh;
        depth = 0;
        delayedDepthDecrement = false;
        readAhead = NONE;
        text = null;
    }

    /** The next raw StAX event ({@link AsyncXMLStreamReader#EVENT_INCOMPLETE} included), depth kept. */
    protected final int advance() throws XmlPullParserException {
        if (delayedDepthDecrement) {
            depth--;
            delayedDepthDecrement = false;
        }
        text = null;
        try {
            int event = readAhead != NONE ? readAhead : reader.next();
            readAhead = NONE;
            if (coalesce && isText(event)) {
                String first = reader.getText();
                int following = reader.next();
                if (isText(following)) {
                    StringBuilder joined = new StringBuilder(first);
                    for (; isText(following); following = reader.next()) {
                        joined.append(reader.getText());
                    }
                    first = joined.toString();
                }
                readAhead = following;
                text = first;
                return XMLStreamConstants.CHARACTERS;
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                delayedDepthDecrement = true;
            }
            return event;
        } catch (XMLStreamException e) {
            throw new XmlPullParserException(e);
        } catch (UncheckedStreamException e) {
            // Aalto decodes text lazily, in getText(), and reports bad text from there.
            throw new XmlPullParserException(e.getCause() instanceof Exception cause ? cause : e);
        } catch (RuntimeException e) {
            // Aalto throws a bare RuntimeException for an element named xmlns:… (StreamEngineFuzzTest).
            throw new XmlPullParserException(e);
        }
    }

    /**
     * True when the frame was read to its end: for a frame parsed alone inside the stream's context
     * tag, the next event is that tag's end.
     */
    boolean frameUsedUp() throws XmlPullParserException {
        return advance() == XMLStreamConstants.END_ELEMENT && getDepth() == 1;
    }

    private static boolean isText(int event) {
        return event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                || event == XMLStreamConstants.SPACE;
    }

    @Override
    public Event next() throws XmlPullParserException {
        int event = advance();
        if (event == AsyncXMLStreamReader.EVENT_INCOMPLETE) {
            throw new XmlPullParserException("the element ended before it was complete");
        }
        return toEvent(event);
    }

    /** The text up to the end tag of the element the parser stands on, which must have no children. */
    @Override
    public String nextText() throws XmlPullParserException {
        if (getEventType() != Event.START_ELEMENT) {
            throw new XmlPullParserException("text is read from a start tag");
        }
        StringBuilder content = new StringBuilder();
        while (true) {
            switch (next()) {
                case TEXT_CHARACTERS, IGNORABLE_WHITESPACE, ENTITY_REFERENCE -> content.append(getText());
                case END_ELEMENT -> {
                    return content.toString();
                }
                case START_ELEMENT -> throw new XmlPullParserException("an element inside text-only content");
                default -> {
                    // nothing else is text
                }
            }
        }
    }

    @Override
    public TagEvent nextTag() throws XmlPullParserException {
        while (true) {
            Event event = next();
            switch (event) {
                case START_ELEMENT -> {
                    return TagEvent.START_ELEMENT;
                }
                case END_ELEMENT -> {
                    return TagEvent.END_ELEMENT;
                }
                case TEXT_CHARACTERS, IGNORABLE_WHITESPACE -> {
                    if (!isWhiteSpace()) {
                        throw new XmlPullParserException("text where a tag was expected");
                    }
                }
                default -> {
                    // skipped, as XmlPullParser.nextTag() does
                }
            }
        }
    }

    private static Event toEvent(int event) {
        return switch (event) {
            case XMLStreamConstants.START_ELEMENT -> Event.START_ELEMENT;
            case XMLStreamConstants.END_ELEMENT -> Event.END_ELEMENT;
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> Event.TEXT_CHARACTERS;
            case XMLStreamConstants.SPACE -> Event.IGNORABLE_WHITESPACE;
            case XMLStreamConstants.PROCESSING_INSTRUCTION -> Event.PROCESSING_INSTRUCTION;
            case XMLStreamConstants.COMMENT -> Event.COMMENT;
            case XMLStreamConstants.START_DOCUMENT -> Event.START_DOCUMENT;
            case XMLStreamConstants.END_DOCUMENT -> Event.END_DOCUMENT;
            case XMLStreamConstants.ENTITY_REFERENCE -> Event.ENTITY_REFERENCE;
            default -> Event.OTHER;
        };
    }

    @Override
    public Event getEventType() {
        if (text != null) {
            return Event.TEXT_CHARACTERS;
        }
        int event = reader.getEventType();
        return event == AsyncXMLStreamReader.EVENT_INCOMPLETE ? Event.OTHER : toEvent(event);
    }

    @Override
    public Object getProperty(String name) {
        return reader.getProperty(name);
    }

    @Override
    public String getInputEncoding() {
        return "UTF-8";
    }

    @Override
    public int getNamespaceCount() {
        return reader.getNamespaceCount();
    }

    @Override
    public String getNamespacePrefix(int pos) {
        // Smack wants null for the default namespace; Aalto says "".
        String prefix = reader.getNamespacePrefix(pos);
        return prefix == null || prefix.isEmpty() ? null : prefix;
    }

    @Override
    public String getNamespaceUri(int pos) {
        return reader.getNamespaceURI(pos);
    }

    @Override
    public String getNamespace(String prefix) {
        return reader.getNamespaceContext().getNamespaceURI(prefix == null ? XMLConstants.DEFAULT_NS_PREFIX : prefix);
    }

    @Override
    public String getNamespace() {
        return getNamespace(getPrefix());
    }

    /** The stream's context element is depth 1, a frame's element depth 2, as in Smack's parsers. */
    @Override
    public int getDepth() {
        return depth;
    }

    @Override
    public String getPositionDescription() {
        return String.valueOf(reader.getLocation());
    }

    @Override
    public int getLineNumber() {
        return reader.getLocation().getLineNumber();
    }

    @Override
    public int getColumnNumber() {
        return reader.getLocation().getColumnNumber();
    }

    @Override
    public boolean isWhiteSpace() {
        return text != null ? text.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\r' || c == '\n')
                : reader.isWhiteSpace();
    }

    @Override
    public String getText() {
        return text != null ? text : reader.getText();
    }

    @Override
    public String getName() {
        return reader.getLocalName();
    }

    @Override
    public QName getQName() {
        return reader.getName();
    }

    @Override
    public String getPrefix() {
        return reader.getPrefix();
    }

    @Override
    public int getAttributeCount() {
        return reader.getAttributeCount();
    }

    @Override
    public String getAttributeNamespace(int index) {
        return reader.getAttributeNamespace(index);
    }

    @Override
    public String getAttributeName(int index) {
        return reader.getAttributeLocalName(index);
    }

    @Override
    public QName getAttributeQName(int index) {
        return reader.getAttributeName(index);
    }

    @Override
    public String getAttributePrefix(int index) {
        return reader.getAttributePrefix(index);
    }

    @Override
    public String getAttributeType(int index) {
        return reader.getAttributeType(index);
    }

    @Override
    public String getAttributeValue(int index) {
        return reader.getAttributeValue(index);
    }

    @Override
    public String getAttributeValue(String namespace, String name) {
        return reader.getAttributeValue(namespace, name);
    }

    @Override
    public boolean supportsRoundtrip() {
        return false;
    }
}
