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

    /**
     * Either the peer's instance name, or a stream error condition (RFC 6120 §4.9.3) and a reason.
     *
     * @param mustEncrypt accepted only over TLS: nothing but its key can vouch for who it is (a peer
     *                    that mDNS does not show us)
     */
    record Verdict(String peer, String refusalCondition, String reason, boolean mustEncrypt) {
        public static Verdict accept(String peer) {
            return new Verdict(peer, null, null, false);
        }

        /** Accepted on condition that it encrypts (its pinned key, or the key it pins now, is who it is). */
        public static Verdict acceptEncrypted(String peer) {
            return new Verdict(peer, null, null, true);
        }

        public static Verdict refuse(String condition, String reason) {
            return new Verdict(null, condition, reason, false);
        }

        public boolean accepted() {
            return peer != null;
        }
    }
}
