package chat.pronto.stream;

/** One unit of an XML stream, cut out of the byte stream by {@link XmlFramer}. */
sealed interface Frame {
    byte[] bytes();

    /** The optional XML declaration plus the stream's start tag ({@code tagOffset} is where the tag begins). */
    record Header(byte[] bytes, int tagOffset, String qualifiedName) implements Frame {
    }

    /**
     * One complete child of the stream element: a stanza or a negotiation element.
     * {@code nonAsciiNames}: a byte above 127 came inside a tag (a name that is not ASCII, or a byte
     * that is not UTF-8 there), where the stream's fed parser checks less than the JDK's.
     */
    record Element(byte[] bytes, boolean nonAsciiNames) implements Frame {
        /** Looks at every byte: any above 127 counts. */
        Element(byte[] bytes) {
            this(bytes, hasNonAscii(bytes));
        }

        private static boolean hasNonAscii(byte[] bytes) {
            for (byte b : bytes) {
                if (b < 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The stream's end tag. */
    record End(byte[] bytes) implements Frame {
    }
}
