package chat.pronto.presence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The packets of XEP-0174's avatars (§"Buddy Icons"), which JmDNS cannot write or read: the picture
 * sits in a DNS NULL record (type 10, RFC 1035 §3.3.10) on the service instance name,
 * {@code <instance>._presence._tcp.local.}, with a TTL of 120 s, as libpurple and Salut publish it.
 * Queries ask for that record; answers are mDNS responses (RFC 6762 §6), or, to a query from a port
 * other than 5353, a legacy unicast reply (§6.7: the query's ID and question repeated, TTL 10, no
 * cache-flush bit). {@link MdnsMessage} reads all of them.
 */
final class AvatarRecords {
    /** The record's TTL (libpurple and Salut both use 120 s, as for host records). */
    static final int TTL = 120;
    /** RFC 6762 §6.7: a legacy unicast reply carries at most this TTL. */
    static final int LEGACY_TTL = 10;
    static final int MDNS_PORT = 5353;
    private static final String[] TYPE_LABELS = {"_presence", "_tcp", "local"};
    private static final int CLASS_IN = 1;
    private static final int CACHE_FLUSH = 0x8000;
    private static final int FLAGS_RESPONSE = 0x8400; // QR and AA
    private static final int MAX_LABEL = 63;

    private AvatarRecords() {
    }

    /** The record's name as {@link MdnsMessage} reads it: {@code instance._presence._tcp.local.}, lower case. */
    static String nameOf(String instance) {
        return MdnsMessage.qualified(instance, PresenceService.SERVICE_TYPE);
    }

    /** A one-question mDNS query (QM: the answer is multicast, which every host there can use) for {@code instance}'s picture. */
    static byte[] query(String instance) {
        Writer out = new Writer();
        out.header(0, 0, 1, 0);
        out.name(instance);
        out.u16(MdnsMessage.TYPE_NULL);
        out.u16(CLASS_IN);
        return out.bytes();
    }

    /**
     * An mDNS response asserting {@code instance}'s picture: the answer to a multicast or QU query and
     * the announcement of a new picture (with the cache-flush bit: the record is unique to us). A
     * {@code ttl} of 0 is the goodbye (RFC 6762 §10.1).
     */
    static byte[] response(String instance, byte[] picture, int ttl) {
        Writer out = new Writer();
        out.header(0, FLAGS_RESPONSE, 0, 1);
        out.name(instance);
        out.record(CLASS_IN | CACHE_FLUSH, ttl, picture);
        return out.bytes();
    }

    /**
     * The reply to a legacy unicast query (RFC 6762 §6.7): its {@code id}, its question repeated, and
     * the picture with TTL 10 and no cache-flush bit; the answer's name points at the question's.
     */
    static byte[] legacyReply(int id, String instance, int questionType, byte[] picture) {
        Writer out = new Writer();
        out.header(id, FLAGS_RESPONSE, 1, 1);
        out.name(instance);
        out.u16(questionType);
        out.u16(CLASS_IN);
        out.u16(0xC000 | 12); // the question's name, right after the header
        out.record(CLASS_IN, LEGACY_TTL, picture);
        return out.bytes();
    }

    private static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);

        void header(int id, int flags, int questions, int answers) {
            u16(id);
            u16(flags);
            u16(questions);
            u16(answers);
            u16(0);
            u16(0);
        }

        /** {@code instance} as one label (dots and all: an instance name is one label), then the type's. */
        void name(String instance) {
            label(instance);
            for (String label : TYPE_LABELS) {
                label(label);
            }
            bytes.write(0);
        }

        private void label(String text) {
            byte[] label = text.getBytes(StandardCharsets.UTF_8);
            if (label.length == 0 || label.length > MAX_LABEL) {
                throw new IllegalArgumentException("not a DNS label (1 to 63 bytes): " + text.toLowerCase(Locale.ROOT));
            }
            bytes.write(label.length);
            bytes.writeBytes(label);
        }

        void record(int rrClass, int ttl, byte[] data) {
            if (data.length > 0xFFFF) {
                throw new IllegalArgumentException("a record holds at most 65,535 bytes");
            }
            u16(MdnsMessage.TYPE_NULL);
            u16(rrClass);
            u16(ttl >>> 16);
            u16(ttl & 0xFFFF);
            u16(data.length);
            bytes.writeBytes(data);
        }

        void u16(int value) {
            bytes.write((value >>> 8) & 0xFF);
            bytes.write(value & 0xFF);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
