package chat.pronto.presence;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
     * The packets that ask for {@code type}'s due records in {@code cache} at {@code now}.
     * {@code hostOf} gives the host (lower case) of a service instance (key: the lower-case instance
     * name without the type), null when not known; address records are asked for only for those hosts.
     */
    static List<DNSOutgoing> due(DNSCache cache, String type, Function<String, String> hostOf, long now)
            throws IOException {
        String lowerType = type.toLowerCase(Locale.ROOT);
        String suffix = "." + lowerType;
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> covered = new LinkedHashSet<>();
        List<DNSQuestion> questions = new ArrayList<>();
        Map<String, DNSRecordType> dueAddresses = new LinkedHashMap<>();
        boolean pointerDue = false;
        for (DNSEntry entry : cache.allValues()) {
            if (!(entry instanceof DNSRecord record) || record.getTTL() <= 1 || record.isExpired(now)) {
                continue;
            }
            String name = record.getName().toLowerCase(Locale.ROOT);
            DNSRecordType recordType = record.getRecordType();
            if (recordType == DNSRecordType.TYPE_SRV || recordType == DNSRecordType.TYPE_TXT) {
                if (!name.endsWith(suffix) || name.length() == suffix.length()) {
                    continue;
                }
                String host = hostOf.apply(name.substring(0, name.length() - suffix.length()));
                if (host != null) {
                    hosts.add(host);
                }
                if (isDue(record, now)) {
                    questions.add(question(record.getName(), recordType));
                    if (recordType == DNSRecordType.TYPE_SRV && host != null) {
                        covered.add(host);
                    }
                }
            } else if (recordType == DNSRecordType.TYPE_PTR) {
                pointerDue |= name.equals(lowerType) && isDue(record, now);
            } else if ((recordType == DNSRecordType.TYPE_A || recordType == DNSRecordType.TYPE_AAAA) && isDue(record, now)) {
                dueAddresses.merge(name, recordType, (one, other) -> one == other ? one : DNSRecordType.TYPE_ANY);
            }
        }
        dueAddresses.forEach((host, recordType) -> {
            if (hosts.contains(host) && !covered.contains(host)) {
                if (recordType == DNSRecordType.TYPE_ANY) {
                    questions.add(question(host, DNSRecordType.TYPE_A));
                    questions.add(question(host, DNSRecordType.TYPE_AAAA));
                } else {
                    questions.add(question(host, recordType));
                }
            }
        });
        List<DNSOutgoing> packets = new ArrayList<>();
        DNSOutgoing out = query();
        for (DNSQuestion question : questions) {
            out = withRoom(out, packets, next -> next.addQuestion(question), false);
        }
        if (!out.isEmpty()) {
            packets.add(out);
        }
        if (pointerDue) {
            packets.addAll(pointerQuery(cache, type, now));
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
            out = withRoom(out, packets, next -> next.addAnswer(pointer, now), true);
        }
        packets.add(out);
        return packets;
    }

    private interface Adding {
        void to(DNSOutgoing out) throws IOException;
    }

    /** Adds to {@code out}, or, when it is full, closes it (truncated, if asked) and adds to a fresh one. */
    private static DNSOutgoing withRoom(DNSOutgoing out, List<DNSOutgoing> packets, Adding adding,
                                        boolean truncated) throws IOException {
        try {
            adding.to(out);
            return out;
        } catch (IOException full) {
            if (out.isEmpty()) {
                throw full; // larger than a packet: nothing to be done
            }
            if (truncated) {
                out.setFlags(out.getFlags() | DNSConstants.FLAGS_TC);
            }
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
}
