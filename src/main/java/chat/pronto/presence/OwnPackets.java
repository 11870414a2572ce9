package chat.pronto.presence;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The packets one presence service's responders sent in the last moments. Its responders hear each
 * other: two interfaces on one LAN, or IPv4 and IPv6 on one interface (Linux hands a socket every
 * IPv6 multicast packet for a group any socket joined). JmDNS would take a sibling's records for
 * another host's: a host name with another address, and a rename to {@code user-1}. So every packet
 * a responder receives is first looked up here and, when one of ours sent it, dropped.
 */
final class OwnPackets {
    /** A packet loops back within microseconds; two seconds also covers a loaded machine. */
    private static final long KEEP_NANOS = 2_000_000_000L;
    private static final int MAX_KEPT = 256;

    private record Sent(byte[] data, long at) {
    }

    private final Deque<Sent> recent = new ArrayDeque<>();

    synchronized void sent(byte[] data) {
        long now = System.nanoTime();
        forgetOld(now);
        recent.addLast(new Sent(data.clone(), now));
    }

    /** True when {@code length} bytes of {@code data} from {@code offset} are exactly a packet we sent. */
    synchronized boolean isOurs(byte[] data, int offset, int length) {
        forgetOld(System.nanoTime());
        for (Sent sent : recent) {
            if (sent.data().length == length
                    && Arrays.equals(sent.data(), 0, length, data, offset, offset + length)) {
                return true;
            }
        }
        return false;
    }

    private void forgetOld(long now) {
        while (!recent.isEmpty() && (now - recent.peekFirst().at() > KEEP_NANOS || recent.size() > MAX_KEPT)) {
            recent.removeFirst();
        }
    }
}
