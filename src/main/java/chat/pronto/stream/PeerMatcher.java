package chat.pronto.stream;

import java.net.InetAddress;

/**
 * Decides who an incoming stream is from, given the {@code from} of its header (null when the peer
 * sent none, as iChat does) and the address it connects from. The session layer supplies one that
 * checks mDNS-resolved addresses (PROTOCOL.md §3); the stream engine only applies the verdict.
 */
@FunctionalInterface
public interface PeerMatcher {
    Verdict match(String claimedFrom, InetAddress source);

    /** Accepts whatever name the header claims; refuses a header without {@code from}. */
    PeerMatcher CLAIMED_NAME = (claimed, source) -> claimed == null
            ? Verdict.refuse("invalid-from", "the stream header names no sender")
            : Verdict.accept(claimed);

    /** Either the peer's instance name, or a stream error condition (RFC 6120 §4.9.3) and a reason. */
    record Verdict(String peer, String refusalCondition, String reason) {
        public static Verdict accept(String peer) {
            return new Verdict(peer, null, null);
        }

        public static Verdict refuse(String condition, String reason) {
            return new Verdict(null, condition, reason);
        }

        public boolean accepted() {
            return peer != null;
        }
    }
}
