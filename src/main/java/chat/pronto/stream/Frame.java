package chat.pronto.stream;

/** One unit of an XML stream, cut out of the byte stream by {@link XmlFramer}. */
sealed interface Frame {
    byte[] bytes();

    /** The optional XML declaration plus the stream's start tag ({@code tagOffset} is where the tag begins). */
    record Header(byte[] bytes, int tagOffset, String qualifiedName) implements Frame {
    }

    /** One complete child of the stream element: a stanza or a negotiation element. */
    record Element(byte[] bytes) implements Frame {
    }

    /** The stream's end tag. */
    record End(byte[] bytes) implements Frame {
    }
}
