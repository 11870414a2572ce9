package chat.pronto.stream;

import chat.pronto.security.Fingerprint;

/** Why a stream ended. Each kind is its own record so that the UI can say what happened in plain words. */
public sealed interface StreamEnd {
    /** A short explanation for logs and status lines. */
    String describe();

    /** Both sides sent {@code </stream:stream>}. */
    record Closed(boolean closedByUs) implements StreamEnd {
        @Override
        public String describe() {
            return closedByUs ? "closed" : "closed by the peer";
        }
    }

    /** We closed and the peer did not answer with its own end tag in time. */
    record CloseUnanswered() implements StreamEnd {
        @Override
        public String describe() {
            return "the peer did not answer our close in time";
        }
    }

    /** The TCP connection ended without {@code </stream:stream>} (peer vanished, crashed, network gone). */
    record ConnectionLost(String detail) implements StreamEnd {
        @Override
        public String describe() {
            return "connection lost: " + detail;
        }
    }

    /** Why we refused a peer for what it is, rather than for something it sent. */
    enum Refusal {
        /** Not a refusal of that kind. */
        NONE,
        /** It does not encrypt, and our settings require encryption: another try cannot help. */
        UNENCRYPTED_WHILE_REQUIRED,
        /**
         * It does not encrypt, but its key is pinned: an impersonator on its address, or its
         * stream broke oddly (an error answered in plain text). Worth another try later.
         */
        UNENCRYPTED_WHILE_PINNED
    }

    /** We ended the stream with a stream error, because of something the peer sent or did not send. */
    record ErrorSent(String condition, String text, Refusal refusal) implements StreamEnd {
        public ErrorSent(String condition, String text) {
            this(condition, text, Refusal.NONE);
        }

        @Override
        public String describe() {
            return "we sent <" + condition + "/>: " + text;
        }
    }

    /** The peer ended the stream with a stream error. */
    record ErrorReceived(String condition, String text) implements StreamEnd {
        @Override
        public String describe() {
            return "the peer sent <" + condition + "/>" + (text == null || text.isEmpty() ? "" : ": " + text);
        }
    }

    /**
     * The peer presented another key than the one pinned for its name: refused. The user may compare
     * the fingerprints and accept the new key ({@code KnownPeers.pin}) to let the next stream through.
     */
    record KeyChanged(String peer, Fingerprint pinned, Fingerprint presented) implements StreamEnd {
        @Override
        public String describe() {
            return "the key of " + peer + " changed (pinned " + pinned + ", presented " + presented + "): refused";
        }
    }

    /** The TLS handshake failed for another reason (for example, the peer refused our key). */
    record TlsFailed(String detail) implements StreamEnd {
        @Override
        public String describe() {
            return "TLS failed: " + detail;
        }
    }

    /** We shut the stream down without a handshake (engine closing, or the caller gave up). */
    record Aborted(String detail) implements StreamEnd {
        @Override
        public String describe() {
            return "aborted: " + detail;
        }
    }
}
