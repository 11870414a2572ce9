package chat.pronto.session;

import java.io.StringReader;
import java.util.Set;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smack.xml.SmackXmlParser;
import org.jivesoftware.smack.xml.XmlPullParser;

import chat.pronto.stream.XmlParsing;

/**
 * A stanza typed by hand in a debug console, checked before anything is sent: well-formed, exactly
 * one {@code message}, {@code presence} or {@code iq}, no DTD, entity, comment or processing
 * instruction (XMPP's restricted XML), within the size limit. A problem is reported with its line
 * and column; nothing half-checked ever goes out.
 */
public final class RawStanza {
    /** Well under what peers accept for one element (256 KiB here). */
    public static final int MAX_CHARS = 64 * 1024;
    private static final Set<String> STANZAS = Set.of("message", "presence", "iq");
    private static final XMLInputFactory FACTORY = XMLInputFactory.newDefaultFactory();

    static {
        XmlParsing.ready();
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    }

    private RawStanza() {
    }

    /** Why a typed stanza was not sent, and where in the text. */
    public static final class Invalid extends Exception {
        private final int line;
        private final int column;

        Invalid(String message, int line, int column) {
            super(line > 0 ? message + " (line " + line + ", column " + column + ")" : message);
            // The parser says -1 where it knows no position: 0, like every problem without one.
            this.line = Math.max(0, line);
            this.column = line > 0 ? Math.max(0, column) : 0;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /** Checks {@code xml} and reads it as a Smack stanza (default namespace {@code jabber:client}). */
    public static Stanza parse(String xml) throws Invalid {
        if (xml == null || xml.isBlank()) {
            throw new Invalid("nothing to send", 0, 0);
        }
        if (xml.length() > MAX_CHARS) {
            throw new Invalid("the stanza is " + xml.length() + " characters; at most " + MAX_CHARS + " are sent", 0, 0);
        }
        check(xml);
        java.util.Optional<String> unreadable = chat.pronto.stream.StanzaReadBack.problem(xml);
        if (unreadable.isPresent()) {
            throw new Invalid("a peer's stream would not read it: " + unreadable.get(), 0, 0);
        }
        try {
            XmlPullParser parser = SmackXmlParser.newXmlParser(new StringReader(
                    "<wrapper xmlns='jabber:client'>" + xml.strip() + "</wrapper>"));
            while (parser.next() != XmlPullParser.Event.START_ELEMENT || parser.getDepth() < 2) {
                // to the stanza inside the wrapper
            }
            Stanza stanza = PacketParserUtils.parseStanza(parser, new XmlEnvironment("jabber:client"));
            return stanza instanceof UnparsedIQ unknown ? HandTypedIq.of(unknown) : stanza;
        } catch (Exception e) {
            throw new Invalid("Smack cannot read it as a stanza: " + e.getMessage(), 0, 0);
        }
    }

    /**
     * True when {@code xml} is the start of a stanza that has not closed yet (the checker ran out of
     * text rather than into a mistake): a console keeps reading lines.
     */
    public static boolean isIncomplete(String xml) {
        try {
            check(xml);
            return false;
        } catch (Invalid invalid) {
            String why = invalid.getMessage();
            return why.contains("must start and end within the same entity") || why.contains("end of file")
                    || why.contains("Premature") || why.contains("unexpected end");
        }
    }

    private static void check(String xml) throws Invalid {
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new StringReader(xml));
            int roots = 0;
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw invalid("a DTD is not allowed in XMPP", reader);
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw invalid("the entity &" + reader.getLocalName()
                            + "; is not allowed (only &lt; &gt; &amp; &apos; &quot;)", reader);
                    case XMLStreamConstants.COMMENT -> throw invalid("comments are not allowed in XMPP", reader);
                    case XMLStreamConstants.PROCESSING_INSTRUCTION ->
                            throw invalid("processing instructions are not allowed in XMPP", reader);
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (depth == 0) {
                            roots++;
                            if (roots > 1) {
                                throw invalid("one stanza at a time: a second element starts here", reader);
                            }
                            if (!STANZAS.contains(reader.getLocalName())) {
                                throw invalid("<" + reader.getLocalName() + "> is no stanza: write <message>,"
                                        + " <presence> or <iq>", reader);
                            }
                        }
                        depth++;
                    }
                    case XMLStreamConstants.END_ELEMENT -> depth--;
                    default -> {
                        // text and whitespace
                    }
                }
            }
        } catch (XMLStreamException e) {
            Location where = e.getLocation();
            String message = String.valueOf(e.getMessage()).replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[-?\\d+,-?\\d+\\]\\s*Message:\\s*", "");
            if (message.contains("following the root element")) {
                message = "one stanza at a time: something follows the first element";
                throw new Invalid(message, where == null ? 0 : where.getLineNumber(),
                        where == null ? 0 : where.getColumnNumber());
            }
            throw new Invalid("not well-formed: " + message.strip(), where == null ? 0 : where.getLineNumber(),
                    where == null ? 0 : where.getColumnNumber());
        } catch (RuntimeException parserBroke) {
            // The JDK's parser fails on some broken DTDs while it reports them (its message is missing:
            // MissingResourceException). Still a problem with the text, not a crash of the console.
            throw new Invalid("not well-formed: the XML parser gave up on it (" + parserBroke.getMessage() + ")", 0, 0);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // closing a string reader
                }
            }
        }
    }

    private static Invalid invalid(String message, XMLStreamReader reader) {
        Location where = reader.getLocation();
        return new Invalid(message, where.getLineNumber(), where.getColumnNumber());
    }
}
