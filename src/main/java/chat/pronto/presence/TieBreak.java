package chat.pronto.presence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * RFC 6762 §8.2: two hosts probing for the same name at the same moment compare the records each
 * proposes for it. Records compare by class (without the cache-flush bit), then type, then raw
 * uncompressed rdata byte by byte (a shorter rdata that runs out first is earlier); both lists are
 * sorted and compared pairwise, and the list that still has records when the other runs out wins.
 * The host whose records are lexicographically later wins and keeps probing; the other waits a
 * second and probes again, by when the winner owns the name. Identical lists are no conflict.
 */
final class TieBreak {
    enum Outcome { WON, LOST, IDENTICAL }

    /** One proposed record, as §8.2 compares it. */
    record Proposed(int rrClass, int type, byte[] rdata) {
        static Proposed of(MdnsMessage.Record record) {
            return new Proposed(record.rrClass(), record.type(), record.rdata());
        }
    }

    private static final Comparator<Proposed> ORDER = Comparator.comparingInt(Proposed::rrClass)
            .thenComparingInt(Proposed::type)
            .thenComparing(Proposed::rdata, TieBreak::compareBytes);

    private TieBreak() {
    }

    static Outcome compare(List<Proposed> ours, List<Proposed> theirs) {
        List<Proposed> mine = sorted(ours);
        List<Proposed> other = sorted(theirs);
        for (int i = 0; i < Math.max(mine.size(), other.size()); i++) {
            if (i >= other.size()) {
                return Outcome.WON;
            }
            if (i >= mine.size()) {
                return Outcome.LOST;
            }
            int difference = ORDER.compare(mine.get(i), other.get(i));
            if (difference != 0) {
                return difference > 0 ? Outcome.WON : Outcome.LOST;
            }
        }
        return Outcome.IDENTICAL;
    }

    private static List<Proposed> sorted(List<Proposed> records) {
        List<Proposed> copy = new ArrayList<>(records);
        copy.sort(ORDER);
        return copy;
    }

    /** Unsigned, byte by byte; the one that runs out first is earlier. */
    private static int compareBytes(byte[] a, byte[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int difference = (a[i] & 0xff) - (b[i] & 0xff);
            if (difference != 0) {
                return difference;
            }
        }
        return a.length - b.length;
    }
}
