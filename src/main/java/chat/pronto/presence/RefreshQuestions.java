package chat.pronto.presence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import javax.jmdns.impl.DNSCache;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSQuestion;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;

/**
 * The queries that renew the cached records of a service type before they expire (RFC 6762 §5.2):
 * a question for each record that is due, many to a packet, and nothing for records that are not.
 *
 * <p>JmDNS renews by asking for the type's PTR record without known answers, so every responder sends
 * every service's PTR, SRV, TXT and address records again — at 5,000 peers some 20,000 records each
 * 96 s, when the SRV and address records (120 s) reach 80 % of their life; PTR and TXT records live
 * 75 minutes and were not due at all (issue 13). Here an SRV record that is due gets an SRV question
 * (responders add the host's addresses to the answer, RFC 6763 §12.2), a TXT record a TXT question,
 * an address record whose host no SRV question covers an A or AAAA question, and a PTR record that is
 * due the type's PTR question with the PTR records not due as known answers (§7.1, over several
 * packets if need be, §7.2).
 */
final class RefreshQuestions {
    /** A record is asked for from this share of its life on (JmDNS's sweep first finds one at 80–82 %). */
    static final double DUE = 0.75;

    private RefreshQuestions() {
    }

    /**
     * The packets that ask for {@code type}'s due records among {@code records} (what {@code cache}
     * holds, as its sweep just read it) at {@code now}.
     * {@code hostOf} gives the host (lower case) of a service instance (key: the lower-case instance
     * name without the type), null when not known; address records are asked for only for those hosts.
     */
    static List<byte[]> due(Collection<DNSEntry> records, DNSCache cache, String type, Function<String, String> hostOf,
                            long now) throws IOException {
        String suffix = "." + type;
        Set<String> hosts = new HashSet<>();
        Set<String> covered = new HashSet<>();
        Questions questions = new Questions();
        Map<String, DNSRecordType> dueAddresses = new LinkedHashMap<>();
        boolean pointerDue = false;
        for (DNSEntry entry : records) {
            if (!(entry instanceof DNSRecord record) || record.getTTL() <= 1 || record.isExpired(now)) {
                continue;
            }
            String name = record.getName();
            DNSRecordType recordType = record.getRecordType();
            if (recordType == DNSRecordType.TYPE_SRV || recordType == DNSRecordType.TYPE_TXT) {
                int instanceLength = name.length() - suffix.length();
                if (instanceLength <= 0 || !name.regionMatches(true, instanceLength, suffix, 0, suffix.length())) {
                    continue;
                }
                String instance = name.substring(0, instanceLength);
                String host = hostOf.apply(instance.toLowerCase(Locale.ROOT));
                if (host != null) {
                    hosts.add(host);
                }
                if (isDue(record, now)) {
                    questions.add(instance, type, recordType);
                    if (recordType == DNSRecordType.TYPE_SRV && host != null) {
                        covered.add(host);
                    }
                }
            } else if (recordType == DNSRecordType.TYPE_PTR) {
                pointerDue |= name.equalsIgnoreCase(type) && isDue(record, now);
            } else if ((recordType == DNSRecordType.TYPE_A || recordType == DNSRecordType.TYPE_AAAA) && isDue(record, now)) {
                dueAddresses.merge(name.toLowerCase(Locale.ROOT), recordType,
                        (one, other) -> one == other ? one : DNSRecordType.TYPE_ANY);
            }
        }
        dueAddresses.forEach((host, recordType) -> {
            if (hosts.contains(host) && !covered.contains(host)) {
                int dot = host.indexOf('.');
                String first = dot < 0 ? host : host.substring(0, dot);
                String rest = dot < 0 ? "" : host.substring(dot + 1);
                if (recordType != DNSRecordType.TYPE_AAAA) {
                    questions.add(first, rest, DNSRecordType.TYPE_A);
                }
                if (recordType != DNSRecordType.TYPE_A) {
                    questions.add(first, rest, DNSRecordType.TYPE_AAAA);
                }
            }
        });
        List<byte[]> packets = questions.packets();
        if (pointerDue) {
            for (DNSOutgoing out : pointerQuery(cache, type, now)) {
                packets.add(out.data());
            }
        }
        return packets;
    }

    /** Whether {@code record} has lived {@link #DUE} of its time to live or more. */
    static boolean isDue(DNSRecord record, long now) {
        return now - record.getCreated() >= (long) (record.getTTL() * 1000L * DUE);
    }

    /**
     * The PTR records of {@code type} that go as known answers with a question for it: those with more
     * than half their life left, for names whose SRV record is cached — a name whose other records were
     * lost on the way is left out, so that the answer brings them again.
     */
    static List<DNSRecord> knownPointers(DNSCache cache, String type, long now) {
        List<DNSRecord> known = new ArrayList<>();
        if (!(cache instanceof IndexedDnsCache indexed)) {
            return known;
        }
        for (Map.Entry<DNSEntry, String> entry : indexed.pointersNamed(type).entrySet()) {
            if (entry.getKey() instanceof DNSRecord pointer && !pointer.isStale(now)
                    && cache.getDNSEntry(entry.getValue(), DNSRecordType.TYPE_SRV, DNSRecordClass.CLASS_IN)
                            instanceof DNSRecord srv && !srv.isExpired(now)) {
                known.add(pointer);
            }
        }
        return known;
    }

    /** The type's PTR question, then its known answers; every packet but the last marked truncated (§7.2). */
    private static List<DNSOutgoing> pointerQuery(DNSCache cache, String type, long now) throws IOException {
        List<DNSOutgoing> packets = new ArrayList<>();
        DNSOutgoing out = query();
        out.addQuestion(question(type, DNSRecordType.TYPE_PTR));
        for (DNSRecord pointer : knownPointers(cache, type, now)) {
            out = withRoom(out, packets, next -> next.addAnswer(pointer, now));
        }
        packets.add(out);
        return packets;
    }

    private interface Adding {
        void to(DNSOutgoing out) throws IOException;
    }

    /** Adds to {@code out}, or, when it is full, marks it truncated, closes it and adds to a fresh one. */
    private static DNSOutgoing withRoom(DNSOutgoing out, List<DNSOutgoing> packets, Adding adding) throws IOException {
        try {
            adding.to(out);
            return out;
        } catch (IOException full) {
            if (out.isEmpty()) {
                throw full; // larger than a packet: nothing to be done
            }
            out.setFlags(out.getFlags() | DNSConstants.FLAGS_TC);
            packets.add(out);
            DNSOutgoing next = query();
            adding.to(next);
            return next;
        }
    }

    private static DNSOutgoing query() {
        return new DNSOutgoing(DNSConstants.FLAGS_QR_QUERY);
    }

    private static DNSQuestion question(String name, DNSRecordType type) {
        return DNSQuestion.newQuestion(name, type, DNSRecordClass.CLASS_IN, DNSRecordClass.NOT_UNIQUE);
    }

    /**
     * Query packets of questions only (QM, class IN), written here rather than through JmDNS: its
     * question objects decode every name with regular expressions on the way, thousands of them at
     * once for a renewal. Names are compressed (RFC 1035 §4.1.4): the type, or {@code local.}, once a
     * packet.
     */
    private static final class Questions {
        private static final int HEADER = 12;
        private static final int MAX_LABEL = 63;
        private final List<byte[]> packets = new ArrayList<>();
        private final byte[] buffer = new byte[DNSConstants.MAX_MSG_TYPICAL + 600];
        /** Where each name suffix (lower case) was written in the packet being filled. */
        private final Map<String, Integer> written = new HashMap<>();
        private int position = HEADER;
        private int count;

        /** Adds a question for the name {@code first} (one label, dots and all) followed by {@code rest}. */
        void add(String first, String rest, DNSRecordType type) {
            byte[] label = first.getBytes(StandardCharsets.UTF_8);
            if (label.length == 0 || label.length > MAX_LABEL) {
                return; // not a name anyone can answer to
            }
            int mark = position;
            List<String> marked = new ArrayList<>(2);
            write(label, rest, type, marked);
            if (position > DNSConstants.MAX_MSG_TYPICAL && count > 0) {
                position = mark;
                marked.forEach(written::remove);
                finish();
                write(label, rest, type, new ArrayList<>(2));
            }
            count++;
        }

        private void write(byte[] label, String rest, DNSRecordType type, List<String> marked) {
            buffer[position++] = (byte) label.length;
            System.arraycopy(label, 0, buffer, position, label.length);
            position += label.length;
            String suffix = rest;
            while (!suffix.isEmpty() && !suffix.equals(".")) {
                String key = suffix.toLowerCase(Locale.ROOT);
                Integer at = written.get(key);
                if (at != null) {
                    u16(0xC000 | at);
                    u16(type.indexValue());
                    u16(DNSRecordClass.CLASS_IN.indexValue());
                    return;
                }
                if (position < 0x3FFF) {
                    written.put(key, position);
                    marked.add(key);
                }
                int dot = suffix.indexOf('.');
                byte[] next = (dot < 0 ? suffix : suffix.substring(0, dot)).getBytes(StandardCharsets.UTF_8);
                buffer[position++] = (byte) next.length; // at most 63: read off the wire
                System.arraycopy(next, 0, buffer, position, next.length);
                position += next.length;
                suffix = dot < 0 ? "" : suffix.substring(dot + 1);
            }
            buffer[position++] = 0;
            u16(type.indexValue());
            u16(DNSRecordClass.CLASS_IN.indexValue());
        }

        private void u16(int value) {
            buffer[position++] = (byte) (value >>> 8);
            buffer[position++] = (byte) value;
        }

        /** Closes the packet being filled: id 0, flags 0 (a query), its question count. */
        private void finish() {
            if (count == 0) {
                return;
            }
            java.util.Arrays.fill(buffer, 0, HEADER, (byte) 0);
            buffer[4] = (byte) (count >>> 8);
            buffer[5] = (byte) count;
            packets.add(java.util.Arrays.copyOf(buffer, position));
            written.clear();
            position = HEADER;
            count = 0;
        }

        List<byte[]> packets() {
            finish();
            return packets;
        }
    }
}
