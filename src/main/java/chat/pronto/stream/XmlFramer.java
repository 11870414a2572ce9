package chat.pronto.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import org.jivesoftware.smack.packet.StreamError.Condition;

/**
 * Cuts an incoming XML stream into frames (header, one frame per top-level element, end) while
 * enforcing what XMPP forbids before any parser sees the bytes: comments, processing instructions,
 * DTDs and entity references other than the five predefined ones (restricted-xml), elements larger
 * than the size limit or nested deeper than the depth limit (policy-violation).
 *
 * <p>It is a lexer, not a parser: it tracks only tags, quotes, CDATA and references, byte by byte,
 * so any chunking of the input gives the same frames. Well-formedness is left to the XML parser that
 * reads each complete frame. It never reads ahead of what it needs, so after {@code <starttls/>} the
 * socket can be handed to TLS with nothing swallowed.
 */
final class XmlFramer {
    /** Called with every chunk read, before any check: what the debug console shows. */
    interface ChunkListener {
        void onChunk(byte[] buffer, int offset, int length);
    }

    private static final Set<String> PREDEFINED_ENTITIES = Set.of("lt", "gt", "amp", "apos", "quot");
    private static final byte[] CDATA_OPEN = "[CDATA[".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ENTITY_NAME = 32;

    private static final int TEXT = 0;
    private static final int LT = 1;
    private static final int BANG = 2;
    private static final int CDATA = 3;
    private static final int PI_TARGET = 4;
    private static final int XML_DECLARATION = 5;
    private static final int TAG_NAME = 6;
    private static final int IN_TAG = 7;
    private static final int ATTRIBUTE_VALUE = 8;
    private static final int SLASH = 9;
    private static final int END_TAG = 10;
    private static final int REFERENCE = 11;
    private static final int FINISHED = 12;

    private final InputStream in;
    private final int maxElementBytes;
    private final int maxDepth;
    private final ChunkListener listener;

    private byte[] buffer = new byte[8192];
    private int frameStart;
    private int position;
    private int limit;

    private int state = TEXT;
    private int depth;
    private int streamStart;
    private int tagStart = -1;
    private int rootNameStart = -1;
    private String rootName;
    private int matched;
    /** How many ']' in a row ended the character data read so far: "]]>" may not appear in it. */
    private int textBrackets;
    /** The name being read (an element's or an attribute's): its length, its colons, whether it ends in one. */
    private int nameLength;
    private int nameColons;
    private boolean nameEndsInColon;
    private byte quote;
    private boolean questionMark;
    /** The processing instruction being read is not at the very start, where the declaration belongs. */
    private boolean midStream;
    private int referenceReturnState;
    private final StringBuilder reference = new StringBuilder(MAX_ENTITY_NAME);
    /**
     * Where the name of each open element at depth 2 and deeper lies, relative to the frame's start:
     * an end tag must repeat it byte for byte (Aalto's fed parser took {@code </mess age>} for the end
     * of {@code <message>}: found by IncomingStanzaFuzzTest).
     */
    private final int[] openNameStart;
    private final int[] openNameLength;
    private int pendingNameStart;
    private int pendingNameLength;
    /** A byte above 127 came inside a tag of the element now being received (see {@link Frame.Element}). */
    private boolean nonAsciiInTags;
    /** When the element now being received began (System.nanoTime), or 0 between elements. */
    private volatile long elementStartedAt;

    XmlFramer(InputStream in, int maxElementBytes, int maxDepth, ChunkListener listener) {
        this.in = in;
        this.maxElementBytes = maxElementBytes;
        this.maxDepth = maxDepth;
        this.listener = listener;
        this.openNameStart = new int[maxDepth + 2];
        this.openNameLength = new int[maxDepth + 2];
    }

    /**
     * Whether more of the peer's bytes are here already, beyond the frame just returned (whitespace
     * aside): the next frame is coming at once, so work for this one may wait to be done in a group.
     */
    boolean moreReceived() {
        for (int at = position; at < limit; at++) {
            byte b = buffer[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return true;
            }
        }
        try {
            return in.available() > 0;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Blocks until the next complete frame. Throws {@link EOFException} when the peer closed mid-stream. */
    Frame next() throws IOException, StreamErrorException {
        if (state == FINISHED) {
            throw new IllegalStateException("the stream has ended");
        }
        while (true) {
            while (position < limit) {
                Frame frame = lex(buffer[position] & 0xff);
                position++;
                if (frame != null) {
                    frameStart = position;
                    elementStartedAt = 0;
                    return frame;
                }
                if (position - frameStart > maxElementBytes) {
                    throw new StreamErrorException(Condition.policy_violation,
                            "an element is larger than " + maxElementBytes + " bytes");
                }
            }
            fill();
        }
    }

    /** Starts a new stream on the same bytes (RFC 6120 §4.3.3 restart after SASL). */
    void restart() {
        depth = 0;
        state = TEXT;
        streamStart = position;
        frameStart = position;
        tagStart = -1;
        rootName = null;
    }

    /** How long the element now arriving has been arriving, in nanoseconds; 0 between elements. */
    long unfinishedElementAge(long now) {
        long started = elementStartedAt;
        return started == 0 ? 0 : now - started;
    }

    /** True when bytes arrived that no frame has consumed yet. */
    boolean hasUnconsumedInput() {
        return position < limit;
    }

    /**
     * Reads and discards until the peer closes, {@code maxBytes} have been read, or the deadline
     * ({@code System.nanoTime()}) has passed: a peer dribbling a byte now and then cannot hold it.
     */
    void discardUntilEof(int maxBytes, long deadline) throws IOException {
        int total = limit - position;
        position = limit;
        byte[] sink = new byte[4096];
        for (int n = 0; n >= 0 && total < maxBytes && System.nanoTime() - deadline < 0; n = in.read(sink)) {
            total += Math.max(n, 0);
        }
    }

    private void fill() throws IOException {
        if (frameStart > 0) {
            int kept = limit - frameStart;
            System.arraycopy(buffer, frameStart, buffer, 0, kept);
            position -= frameStart;
            streamStart -= frameStart;
            if (tagStart >= 0) {
                tagStart -= frameStart;
            }
            if (rootNameStart >= 0) {
                rootNameStart -= frameStart;
            }
            limit = kept;
            frameStart = 0;
        }
        if (limit == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxElementBytes + 8192));
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            throw new EOFException("the peer closed the connection without ending the stream");
        }
        if (listener != null && read > 0) {
            listener.onChunk(buffer, limit, read);
        }
        limit += read;
    }

    private Frame lex(int b) throws StreamErrorException {
        if (b >= 0x80 && (state == TAG_NAME || state == IN_TAG || state == END_TAG || state == SLASH)) {
            nonAsciiInTags = true;
        }
        switch (state) {
            case TEXT -> {
                return text(b);
            }
            case LT -> lessThan(b);
            case BANG -> bang(b);
            case CDATA -> {
                if (b == '>' && matched >= 2) {
                    state = TEXT;
                }
                matched = b == ']' ? matched + 1 : 0;
            }
            case PI_TARGET -> piTarget(b);
            case XML_DECLARATION -> {
                if (b == '>' && questionMark) {
                    state = TEXT;
                }
                questionMark = b == '?';
            }
            case TAG_NAME -> {
                if (isWhitespace(b)) {
                    nameEnded();
                    startName();
                    state = IN_TAG;
                } else if (b == '/') {
                    nameEnded();
                    state = SLASH;
                } else if (b == '>') {
                    nameEnded();
                    return startTagClosed();
                } else {
                    nameByte(b);
                }
            }
            case IN_TAG -> {
                if (b == '"' || b == '\'') {
                    quote = (byte) b;
                    state = ATTRIBUTE_VALUE;
                } else if (b == '/') {
                    state = SLASH;
                } else if (b == '>') {
                    return startTagClosed();
                } else if (b == '<') {
                    throw notWellFormed("'<' inside a tag");
                } else if (b == '=' || isWhitespace(b)) {
                    endOfName();
                    startName();
                } else {
                    nameByte(b);
                }
            }
            case ATTRIBUTE_VALUE -> {
                if (b == quote) {
                    startName();
                    state = IN_TAG;
                } else if (b == '&') {
                    startReference(ATTRIBUTE_VALUE);
                } else if (b == '<') {
                    throw notWellFormed("'<' inside an attribute value");
                }
            }
            case SLASH -> {
                if (b != '>') {
                    throw notWellFormed("'/' inside a tag");
                }
                return emptyElementClosed();
            }
            case END_TAG -> {
                if (b == '>') {
                    return endTagClosed();
                } else if (b == '<') {
                    throw notWellFormed("'<' inside an end tag");
                }
            }
            case REFERENCE -> reference(b);
            default -> throw new IllegalStateException("lexer state " + state);
        }
        return null;
    }

    private Frame text(int b) throws StreamErrorException {
        if (b == '>' && textBrackets >= 2) {
            throw notWellFormed("']]>' in character data"); // XML 1.0 §2.4; the fed parser let it pass
        }
        textBrackets = b == ']' ? textBrackets + 1 : 0;
        if (b == '<') {
            if (depth == 1) {
                frameStart = position;
                elementStartedAt = System.nanoTime();
                nonAsciiInTags = false;
            }
            tagStart = position;
            state = LT;
        } else if (b == '&') {
            if (depth < 2) {
                throw new StreamErrorException(Condition.bad_format, "character data outside any stanza");
            }
            startReference(TEXT);
        } else if (depth == 0 && (b == 0xFE || b == 0xFF || b == 0)) {
            // A UTF-16 byte order mark, or the zero bytes of UTF-16 text (RFC 6120 §11.6: UTF-8 only).
            throw new StreamErrorException(Condition.unsupported_encoding, "XMPP streams are UTF-8, not UTF-16");
        } else if (depth < 2 && !isWhitespace(b)) {
            throw depth == 0
                    ? notWellFormed("character data before the stream header")
                    : new StreamErrorException(Condition.bad_format, "character data outside any stanza");
        } else if (depth == 1) {
            frameStart = position + 1; // whitespace keep-alives between stanzas are dropped
        }
        return null;
    }

    private void lessThan(int b) throws StreamErrorException {
        if (b == '!') {
            matched = 0;
            state = BANG;
        } else if (b == '?') {
            midStream = tagStart != streamStart;
            matched = 0;
            state = PI_TARGET;
        } else if (b == '/') {
            if (depth == 0) {
                throw notWellFormed("an end tag before the stream header");
            }
            state = END_TAG;
        } else if (isWhitespace(b) || b == '>') {
            throw notWellFormed("'<' not followed by a name");
        } else {
            if (depth == 0) {
                rootNameStart = position;
            }
            startName();
            nameByte(b);
            state = TAG_NAME;
        }
    }

    private void bang(int b) throws StreamErrorException {
        if (matched == 0 && b == '-') {
            throw new StreamErrorException(Condition.restricted_xml, "an XML comment");
        }
        if (b != CDATA_OPEN[matched]) {
            throw new StreamErrorException(Condition.restricted_xml, "a document type declaration");
        }
        if (++matched == CDATA_OPEN.length) {
            if (depth < 2) {
                throw new StreamErrorException(Condition.bad_format, "a CDATA section outside any stanza");
            }
            matched = 0;
            state = CDATA;
        }
    }

    /**
     * Only the XML declaration at the very start of a stream is allowed; one anywhere else is not
     * well-formed XML at all (XML 1.0 §2.8), any other processing instruction is restricted XML.
     */
    private void piTarget(int b) throws StreamErrorException {
        if (matched < 3) {
            if (b != "xml".charAt(matched)) {
                throw new StreamErrorException(Condition.restricted_xml, "a processing instruction");
            }
            matched++;
        } else if (isWhitespace(b)) {
            if (midStream) {
                throw notWellFormed("an XML declaration after the start of the stream");
            }
            questionMark = false;
            state = XML_DECLARATION;
        } else {
            throw new StreamErrorException(Condition.restricted_xml, "a processing instruction");
        }
    }

    private void startReference(int returnState) {
        referenceReturnState = returnState;
        reference.setLength(0);
        state = REFERENCE;
    }

    private void reference(int b) throws StreamErrorException {
        if (b == ';') {
            String name = reference.toString();
            if (!PREDEFINED_ENTITIES.contains(name) && !name.matches("#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}")) {
                throw new StreamErrorException(Condition.restricted_xml, "the entity reference &" + name + ";");
            }
            state = referenceReturnState;
        } else if (isWhitespace(b) || b == '<' || b == '&' || b == '"' || b == '\'') {
            throw notWellFormed("'&' that starts no reference");
        } else if (reference.length() >= MAX_ENTITY_NAME) {
            throw new StreamErrorException(Condition.restricted_xml, "an entity reference");
        } else {
            reference.append((char) b);
        }
    }

    private Frame startTagClosed() throws StreamErrorException {
        state = TEXT;
        depth++;
        if (depth > maxDepth) {
            throw new StreamErrorException(Condition.policy_violation, "elements nested deeper than " + maxDepth);
        }
        if (depth == 1) {
            byte[] header = Arrays.copyOfRange(buffer, frameStart, position + 1);
            return new Frame.Header(header, tagStart - frameStart, rootName);
        }
        openNameStart[depth] = pendingNameStart;
        openNameLength[depth] = pendingNameLength;
        return null;
    }

    private Frame emptyElementClosed() throws StreamErrorException {
        state = TEXT;
        if (depth == 0) {
            throw notWellFormed("an empty stream element");
        }
        return depth == 1 ? new Frame.Element(Arrays.copyOfRange(buffer, frameStart, position + 1), nonAsciiInTags) : null;
    }

    private Frame endTagClosed() throws StreamErrorException {
        state = TEXT;
        int nameFrom = tagStart + 2;
        int nameTo = position;
        while (nameTo > nameFrom && isWhitespace(buffer[nameTo - 1])) {
            nameTo--; // </message > is well-formed, </ message> is not
        }
        if (depth == 1) {
            String name = new String(buffer, nameFrom, nameTo - nameFrom, StandardCharsets.UTF_8);
            if (!name.equals(rootName)) {
                throw notWellFormed("</" + name.strip() + "> where only the stream's end tag may come");
            }
        } else if (depth > 1 && !opensWith(nameFrom, nameTo)) {
            String name = new String(buffer, nameFrom, nameTo - nameFrom, StandardCharsets.UTF_8);
            if (name.strip().equals(rootName)) {
                throw notWellFormed("the stream's end tag inside an element that is still open");
            }
            throw notWellFormed("</" + name + "> does not end the element that is open");
        }
        depth--;
        if (depth == 1) {
            return new Frame.Element(Arrays.copyOfRange(buffer, frameStart, position + 1), nonAsciiInTags);
        }
        if (depth == 0) {
            state = FINISHED;
            return new Frame.End(Arrays.copyOfRange(buffer, tagStart, position + 1));
        }
        return null;
    }

    /** True when the bytes {@code from}–{@code to} are the name of the element open at this depth. */
    private boolean opensWith(int from, int to) {
        int start = frameStart + openNameStart[depth];
        int length = openNameLength[depth];
        return to - from == length && Arrays.equals(buffer, from, to, buffer, start, start + length);
    }

    private void startName() {
        nameLength = 0;
        nameColons = 0;
        nameEndsInColon = false;
    }

    /**
     * A byte of an element's or attribute's name. Names with a colon are prefix:local, both non-empty,
     * one colon at most (Namespaces in XML): the fed parser refuses others, and the JDK's took
     * {@code <:aa/>} (found by RawStanzaFuzzTest), so the framer decides for both.
     */
    private void nameByte(int b) throws StreamErrorException {
        if (b == ':') {
            if (nameLength == 0 || ++nameColons > 1) {
                throw notWellFormed("a name that is not prefix:local");
            }
        }
        nameEndsInColon = b == ':';
        nameLength++;
    }

    private void endOfName() throws StreamErrorException {
        if (nameEndsInColon) {
            throw notWellFormed("a name that is not prefix:local");
        }
    }

    /** A start tag's name has ended at {@code position}. */
    private void nameEnded() throws StreamErrorException {
        endOfName();
        captureRootName();
        pendingNameStart = tagStart + 1 - frameStart;
        pendingNameLength = position - tagStart - 1;
    }

    private void captureRootName() {
        if (depth == 0 && rootNameStart >= 0) {
            rootName = new String(buffer, rootNameStart, position - rootNameStart, StandardCharsets.UTF_8);
            rootNameStart = -1;
        }
    }

    private static boolean isWhitespace(int b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static StreamErrorException notWellFormed(String what) {
        return new StreamErrorException(Condition.not_well_formed, what);
    }
}
