package chat.pronto.stream;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.namespace.QName;

import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.IqData;
import org.jivesoftware.smack.packet.Mechanisms;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.StartTls;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.util.StringUtils;
import org.jivesoftware.smack.xml.SmackXmlParser;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Parses frames for Smack. The header is parsed on its own (StAX, DTDs and external entities off);
 * the elements after it go through one {@link FedXmlParser} per stream, inside a stream tag that
 * declares exactly the namespaces the peer's own header declared (and nothing else of it). Whatever
 * a caller leaves unread of one element is read (and checked) before the next is fed, so an element
 * that was dropped half-read cannot leave the parser half-way through the stream. A header may
 * declare a few namespaces and carry a few attributes, not thousands.
 */
final class ElementReader {
    private static final XmlEnvironment CLIENT = new XmlEnvironment(StreamHeader.CONTENT_NAMESPACE);

    static {
        XmlParsing.ready();
    }
    private static final Pattern ENCODING = Pattern.compile("encoding\\s*=\\s*[\"']([^\"']*)[\"']");
    /** Real peers' headers are about 250 characters with two or three declarations. */
    static final int MAX_HEADER_CHARS = 8 * 1024;
    static final int MAX_NAMESPACE_DECLARATIONS = 16;
    static final int MAX_HEADER_ATTRIBUTES = 16;

    private static final JdkXmlPullParserFactory JDK = new JdkXmlPullParserFactory();

    private final FedXmlParser parser;
    /** The stream tag every frame is parsed inside (for frames the JDK's parser reads alone). */
    private final String openTag;
    private final String closeTag;

    private ElementReader(FedXmlParser parser, String openTag, String closeTag) {
        this.parser = parser;
        this.openTag = openTag;
        this.closeTag = closeTag;
    }

    /** A parsed stream header, and the reader for the elements that follow it. */
    record Opened(StreamHeader header, ElementReader reader) {
    }

    /** A top-level element: its name, and a parser standing on its start tag. */
    record Element(QName name, StaxPullParser parser) {
        boolean is(String namespace, String localName) {
            return namespace.equals(name.getNamespaceURI()) && localName.equals(name.getLocalPart());
        }
    }

    static Opened open(Frame.Header frame) throws StreamErrorException {
        byte[] bytes = frame.bytes();
        String declaration = new String(bytes, 0, frame.tagOffset(), StandardCharsets.UTF_8);
        Matcher encoding = ENCODING.matcher(declaration);
        if (encoding.find() && !encoding.group(1).toUpperCase(Locale.ROOT).replace("-", "").equals("UTF8")) {
            throw new StreamErrorException(Condition.unsupported_encoding,
                    "XMPP streams are UTF-8, not " + encoding.group(1));
        }
        String tag = decode(bytes, frame.tagOffset(), bytes.length - frame.tagOffset());
        if (tag.length() > MAX_HEADER_CHARS) {
            throw new StreamErrorException(Condition.policy_violation,
                    "a stream header of more than " + MAX_HEADER_CHARS + " characters");
        }
        try {
            XmlPullParser parser = SmackXmlParser.newXmlParser(new StringReader(tag + "</" + frame.qualifiedName() + ">"));
            toStartTag(parser, 1);
            if (parser.getNamespaceCount() > MAX_NAMESPACE_DECLARATIONS
                    || parser.getAttributeCount() > MAX_HEADER_ATTRIBUTES) {
                throw new StreamErrorException(Condition.policy_violation, "a stream header with more than "
                        + MAX_NAMESPACE_DECLARATIONS + " namespaces or " + MAX_HEADER_ATTRIBUTES + " attributes");
            }
            String context = contextTag(parser, frame.qualifiedName());
            ElementReader reader = new ElementReader(new FedXmlParser(context), context,
                    "</" + frame.qualifiedName() + ">");
            if (!StreamHeader.STREAM_NAMESPACE.equals(parser.getNamespace()) || !"stream".equals(parser.getName())) {
                throw new StreamErrorException(Condition.invalid_namespace,
                        "the stream element must be {" + StreamHeader.STREAM_NAMESPACE + "}stream");
            }
            String content = parser.getNamespace(null);
            if (content != null && !content.isEmpty() && !StreamHeader.CONTENT_NAMESPACE.equals(content)) {
                throw new StreamErrorException(Condition.invalid_namespace,
                        "the stream's content namespace must be " + StreamHeader.CONTENT_NAMESPACE);
            }
            StreamHeader header = new StreamHeader(blankToNull(parser.getAttributeValue("", "from")),
                    blankToNull(parser.getAttributeValue("", "to")), parser.getAttributeValue("", "id"),
                    parser.getAttributeValue("", "version"));
            return new Opened(header, reader);
        } catch (XmlPullParserException | IOException e) {
            throw new StreamErrorException(Condition.not_well_formed, "the stream header is not well-formed", e);
        }
    }

    /** A stream tag that declares the namespaces the peer's header declared, and nothing else. */
    private static String contextTag(XmlPullParser header, String qualifiedName) throws XmlPullParserException {
        StringBuilder tag = new StringBuilder("<").append(qualifiedName);
        for (int i = 0; i < header.getNamespaceCount(); i++) {
            String prefix = header.getNamespacePrefix(i);
            tag.append(prefix == null || prefix.isEmpty() ? " xmlns" : " xmlns:" + prefix).append("='")
                    .append(StringUtils.escapeForXmlAttributeApos(header.getNamespaceUri(i))).append('\'');
        }
        return tag.append('>').toString();
    }

    /** Parses the frame up to its start tag; the caller reads it further. */
    Element element(Frame.Element frame) throws StreamErrorException {
        try {
            if (frame.nonAsciiNames()) {
                return alone(frame);
            }
            if (parser.feed(frame.bytes()) != XmlPullParser.Event.START_ELEMENT || parser.getDepth() != 2) {
                throw new XmlPullParserException("a frame that does not start with an element");
            }
            return new Element(parser.getQName(), parser);
        } catch (XmlPullParserException | IOException e) {
            throw new StreamErrorException(Condition.not_well_formed, "an element is not well-formed", e);
        }
    }

    /**
     * A frame with a byte above 127 inside a tag, parsed on its own by the JDK's parser, which checks
     * names character by character (Aalto's takes any such byte in a name, even one that is not
     * UTF-8: found by XmlFramerFuzzTest). Real stanzas have ASCII names, so this is rare.
     */
    private Element alone(Frame.Element frame) throws StreamErrorException, XmlPullParserException, IOException {
        String xml = openTag + decode(frame.bytes(), 0, frame.bytes().length) + closeTag;
        StaxPullParser alone = JDK.newXmlPullParser(new StringReader(xml));
        toStartTag(alone, 1);
        toStartTag(alone, 2);
        return new Element(alone.getQName(), alone);
    }

    /**
     * Reads a stanza with Smack. A stanza that is well-formed but that Smack cannot make sense of
     * (an invalid address, say) is a {@link SmackParsingException}: the caller drops that stanza only.
     */
    static Stanza stanza(Element element) throws StreamErrorException, UnreadableStanzaException {
        try {
            Stanza stanza = PacketParserUtils.parseStanza(element.parser(), CLIENT);
            if (!element.parser().frameUsedUp()) {
                throw new XmlPullParserException("trailing content after the stanza");
            }
            if (stanza instanceof IQ iq && iq.getChildElementName() != null
                    && StringUtils.isNullOrEmpty(iq.getChildElementNamespace())) {
                // Found by IncomingStanzaFuzzTest: Smack reads <query xmlns=''/> but cannot write it again.
                throw new UnreadableStanzaException("unreadable <iq/>: its <" + iq.getChildElementName()
                        + "/> is in no namespace", null, iq.isRequestIQ()
                        ? badRequest(iq) : null);
            }
            return stanza;
        } catch (XmppStringprepException | SmackParsingException | RuntimeException | AssertionError e) {
            // (AssertionError: Smack asserts on what peers send, e.g. two <text/> in one language, when
            // assertions are on, as in the tests.)
            throw new UnreadableStanzaException("unreadable <" + element.name().getLocalPart() + "/>: "
                    + e.getMessage(), e);
        } catch (XmlPullParserException | IOException e) {
            throw new StreamErrorException(Condition.not_well_formed, "a stanza is not well-formed", e);
        }
    }

    /** An error answer without the request's payload (Smack's createErrorResponse copies it, and could not write it). */
    private static IQ badRequest(IQ request) {
        return ErrorIQ.builder(StanzaError.getBuilder(StanzaError.Condition.bad_request).build(),
                IqData.createErrorResponse(request)).build();
    }

    /** What a {@code <stream:features/>} element offers. */
    record Features(boolean startTls, List<String> mechanisms) {
    }

    static Features features(Element element) throws StreamErrorException {
        boolean startTls = false;
        List<String> mechanisms = new ArrayList<>();
        try {
            XmlPullParser parser = element.parser();
            for (XmlPullParser.Event event = parser.next(); ; event = parser.next()) {
                if (event == XmlPullParser.Event.START_ELEMENT) {
                    if (parser.getDepth() == 3 && StartTls.QNAME.equals(parser.getQName())) {
                        startTls = true;
                    } else if (parser.getDepth() == 4 && "mechanism".equals(parser.getName())
                            && Mechanisms.NAMESPACE.equals(parser.getNamespace())) {
                        mechanisms.add(parser.nextText().trim());
                    }
                } else if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == 2) {
                    return new Features(startTls, mechanisms);
                } else if (event == XmlPullParser.Event.END_DOCUMENT) {
                    throw new XmlPullParserException("unexpected end of the features");
                }
            }
        } catch (XmlPullParserException | IOException e) {
            throw new StreamErrorException(Condition.not_well_formed, "the stream features are not well-formed", e);
        }
    }

    /** The text content of an element without children, such as {@code <auth/>}. */
    static String text(Element element) throws StreamErrorException {
        try {
            return element.parser().nextText();
        } catch (XmlPullParserException e) {
            throw new StreamErrorException(Condition.not_well_formed, "an element is not well-formed", e);
        }
    }

    /**
     * The peer's {@code <stream:error/>}. A condition Smack does not know (a newer RFC, a typo) is
     * still the peer's error: it reads as {@code undefined-condition}.
     */
    static StreamError streamError(Element element) throws StreamErrorException {
        try {
            return PacketParserUtils.parseStreamError(element.parser(), CLIENT);
        } catch (XmlPullParserException | IOException | SmackParsingException e) {
            throw new StreamErrorException(Condition.not_well_formed, "a stream error is not well-formed", e);
        } catch (RuntimeException | AssertionError unknownCondition) {
            // Smack's reader throws IllegalArgumentException for an unknown condition, and threw
            // NullPointerException for one in no namespace; with assertions on (the tests), two <text/>
            // in one language fail an assert of Smack's (all found by XmlFramerFuzzTest).
            return new StreamError(Condition.undefined_condition, null,
                    java.util.Map.of("en", String.valueOf(unknownCondition.getMessage())), java.util.List.of());
        }
    }

    /** The text of the element's attribute, or null. */
    static String attribute(Element element, String name) {
        return element.parser().getAttributeValue("", name);
    }

    private static void toStartTag(XmlPullParser parser, int depth) throws XmlPullParserException, IOException {
        for (XmlPullParser.Event event = parser.getEventType(); ; event = parser.next()) {
            if (event == XmlPullParser.Event.START_ELEMENT && parser.getDepth() == depth) {
                return;
            }
            if (event == XmlPullParser.Event.END_DOCUMENT) {
                throw new XmlPullParserException("no element where one was expected");
            }
        }
    }

    private static String decode(byte[] bytes, int offset, int length) throws StreamErrorException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new StreamErrorException(Condition.not_well_formed, "bytes that are not UTF-8", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
