package chat.pronto.presence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An mDNS packet as Pronto needs to see it before JmDNS acts on it (RFC 1035 §4 wire format): the
 * questions and every record, with names decompressed. JmDNS parses packets too, but keeps SRV
 * targets and TXT bytes to itself; conflict detection and probe tie-breaking (RFC 6762 §8.2) need
 * them, byte for byte. Reading never throws: a damaged packet reads as nothing.
 */
record MdnsMessage(int id, boolean response, List<Question> questions, List<Record> answers, List<Record> authorities,
                   List<Record> additionals) {
    static final int TYPE_A = 1;
    /** XEP-0174's avatar record (RFC 1035 §3.3.10): any data, up to 65,535 bytes. */
    static final int TYPE_NULL = 10;
    static final int TYPE_PTR = 12;
    static final int TYPE_TXT = 16;
    static final int TYPE_AAAA = 28;
    static final int TYPE_SRV = 33;
    static final int TYPE_ANY = 255;
    static final int CLASS_IN = 1;
    private static final int QR = 0x8000;
    private static final int CACHE_FLUSH = 0x8000;
    private static final int UNICAST_RESPONSE = 0x8000;
    private static final int MAX_POINTERS = 32;

    MdnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authorities = List.copyOf(authorities);
        additionals = List.copyOf(additionals);
    }

    /**
     * A question: {@code name} in lower case (DNS names compare without case); {@code unicastResponse}
     * is the top bit of its class (RFC 6762 §5.4, a "QU" question).
     */
    record Question(String name, int type, boolean unicastResponse) {
        Question(String name, int type) {
            this(name, type, false);
        }
    }

    /**
     * A record: {@code name} in lower case, the class without its cache-flush bit, and the rdata as it
     * would be without name compression (what §8.2 compares); for SRV also the target and port; for
     * PTR the name it points to as {@code target} (its rdata stays as it came).
     */
    record Record(String name, int type, int rrClass, long ttl, byte[] rdata, String target, int port) {
        boolean isSrv() {
            return type == TYPE_SRV;
        }
    }

    /** Records in the answer and additional sections: what a response asserts. */
    List<Record> asserted() {
        List<Record> all = new ArrayList<>(answers);
        all.addAll(additionals);
        return all;
    }

    static Optional<MdnsMessage> parse(byte[] data, int offset, int length) {
        try {
            return Optional.of(new Reader(data, offset, length).message());
        } catch (RuntimeException damaged) {
            return Optional.empty();
        }
    }

    /** The name of a service instance as it is written in records: {@code instance.type}, lower case. */
    static String qualified(String instance, String type) {
        return (instance + "." + type).toLowerCase(Locale.ROOT);
    }

    private static final class Reader {
        private final byte[] data;
        private final int start;
        private final int end;
        private int position;

        Reader(byte[] data, int offset, int length) {
            this.data = data;
            this.start = offset;
            this.end = offset + length;
            this.position = offset;
        }

        MdnsMessage message() {
            int id = u16();
            int flags = u16();
            int questionCount = u16();
            int answerCount = u16();
            int authorityCount = u16();
            int additionalCount = u16();
            List<Question> questions = new ArrayList<>();
            for (int i = 0; i < questionCount; i++) {
                String name = name(null);
                int type = u16();
                int questionClass = u16(); // with the unicast-response bit
                questions.add(new Question(name, type, (questionClass & UNICAST_RESPONSE) != 0));
            }
            return new MdnsMessage(id, (flags & QR) != 0, questions, records(answerCount), records(authorityCount),
                    records(additionalCount));
        }

        private List<Record> records(int count) {
            List<Record> records = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = name(null);
                int type = u16();
                int rrClass = u16() & ~CACHE_FLUSH;
                long ttl = u32();
                int rdLength = u16();
                int rdStart = position;
                need(rdLength);
                position = rdStart + rdLength;
                if (type == TYPE_SRV && rdLength >= 7) {
                    ByteArrayOutputStream uncompressed = new ByteArrayOutputStream();
                    uncompressed.write(data, rdStart, 6);
                    int port = ((data[rdStart + 4] & 0xff) << 8) | (data[rdStart + 5] & 0xff);
                    int after = position;
                    position = rdStart + 6;
                    String target = name(uncompressed);
                    position = after;
                    records.add(new Record(name, type, rrClass, ttl, uncompressed.toByteArray(), target, port));
                } else if (type == TYPE_SRV) {
                    // Too short for priority, weight, port and a target: a damaged record, left out
                    // (its readers rely on an SRV record having a target); the rest of the packet counts.
                    continue;
                } else {
                    byte[] rdata = java.util.Arrays.copyOfRange(data, rdStart, rdStart + rdLength);
                    String target = null;
                    if (type == TYPE_PTR && rdLength > 0) {
                        int after = position;
                        position = rdStart;
                        target = name(null);
                        position = after;
                    }
                    records.add(new Record(name, type, rrClass, ttl, rdata, target, 0));
                }
            }
            return records;
        }

        /** A name, following compression pointers; {@code wire} also gets it uncompressed (RFC 1035 labels). */
        private String name(ByteArrayOutputStream wire) {
            StringBuilder name = new StringBuilder();
            int resumeAt = -1;
            int pointers = 0;
            while (true) {
                need(1);
                int length = data[position] & 0xff;
                if ((length & 0xc0) == 0xc0) {
                    need(2);
                    int target = start + (((length & 0x3f) << 8) | (data[position + 1] & 0xff));
                    if (++pointers > MAX_POINTERS || target >= end) {
                        throw new IllegalArgumentException("bad compression pointer");
                    }
                    if (resumeAt < 0) {
                        resumeAt = position + 2;
                    }
                    position = target;
                    continue;
                }
                if ((length & 0xc0) != 0) {
                    throw new IllegalArgumentException("unknown label type");
                }
                position++;
                if (wire != null) {
                    wire.write(length);
                }
                if (length == 0) {
                    break;
                }
                need(length);
                if (wire != null) {
                    wire.write(data, position, length);
                }
                name.append(new String(data, position, length, StandardCharsets.UTF_8)).append('.');
                position += length;
            }
            if (resumeAt >= 0) {
                position = resumeAt;
            }
            return name.toString().toLowerCase(Locale.ROOT);
        }

        private int u16() {
            need(2);
            int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
            position += 2;
            return value;
        }

        private long u32() {
            return ((long) u16() << 16) | u16();
        }

        private void need(int bytes) {
            if (bytes < 0 || position + bytes > end) {
                throw new IllegalArgumentException("truncated");
            }
        }
    }
}
