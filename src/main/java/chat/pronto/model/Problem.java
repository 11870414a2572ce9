package chat.pronto.model;

import java.util.List;
import java.util.Objects;

/**
 * Why something did not work, as data: the kind of problem and the facts that go with it (an
 * address, a port, a system error, the peer's own words). The core never writes sentences for
 * people; the front ends turn a problem into one, in their own words and language.
 *
 * @param facts what the kind says it carries, in that order (see each kind); never null, may be empty
 */
public record Problem(Kind kind, List<String> facts) {
    public enum Kind {
        /** The peer is not seen on the network; its messages wait for it. No facts. */
        NOT_ON_NETWORK,
        /** No TCP connection. Facts: address, port, the system's error. */
        CANNOT_CONNECT,
        /** Connected, but the stream was not ready in time. Facts: address, port, seconds waited. */
        NO_ANSWER,
        /** The connection ended without the stream's close (peer vanished or crashed). Facts: the system's detail. */
        CONNECTION_LOST,
        /** The stream was closed (by either side) while messages were being written. No facts. */
        STREAM_CLOSED,
        /** The peer ended the stream with a stream error. Facts: the condition, the peer's text (may be empty). */
        PEER_ENDED_STREAM,
        /** We ended the stream with a stream error, because of what the peer sent. Facts: the condition, our text. */
        WE_ENDED_STREAM,
        /** The TLS handshake failed (for example, the peer refused our key). Facts: the detail. */
        TLS_FAILED,
        /** The peer presented another key than the one pinned for its name: refused. No facts. */
        KEY_CHANGED,
        /** The peer answered our message with a stanza error. Facts: the condition, the peer's text (may be empty). */
        REFUSED_BY_PEER,
        /** Pronto is shutting down. No facts. */
        SHUTTING_DOWN,
        /** A message could not be stored (a full disk above all). Facts: the storage's error. */
        NOT_SAVED,
        /** A message from the peer could not be stored, so it was not acknowledged. Facts: peer, the storage's error. */
        INCOMING_NOT_SAVED,
        /**
         * A peer the user never wrote to sent more than a stranger may in a while: its messages are
         * refused (the sender is told, with {@code resource-constraint}) until then, or until the user
         * writes to it. Facts: peer, minutes left, messages and bytes stored in the window, the window in minutes.
         */
        PEER_MUTED,
        /** The configured port is held by another program. Facts: the port wanted, the port used instead. */
        PORT_IN_USE,
        /** No network interface can reach people nearby. No facts. */
        NO_USABLE_INTERFACE,
        /** Nobody seen on an address for a while: multicast may be blocked. Facts: address, seconds. */
        NO_PEERS_SEEN,
        /** Discovery could not start on an address. Facts: address, the reason. */
        INTERFACE_FAILED,
        /**
         * The settings file could not be read whole: what could not be read is at its default, and
         * encryption is required until the settings are saved again. Facts: the file, what is damaged.
         */
        SETTINGS_DAMAGED,
        /** Wide-area DNS-SD (unicast DNS) failed: browsing or registering. Facts: what failed and why. */
        WIDE_AREA_FAILED,
        /** A problem recorded by an older Pronto, as the words it stored. Facts: those words. */
        OTHER
    }

    public Problem {
        Objects.requireNonNull(kind, "kind");
        facts = facts.stream().map(fact -> Objects.requireNonNullElse(fact, "")).toList();
    }

    public static Problem of(Kind kind, Object... facts) {
        return new Problem(kind, java.util.Arrays.stream(facts).map(fact -> Objects.toString(fact, "")).toList());
    }

    /** Fact {@code index}, or "" when there is none. */
    public String fact(int index) {
        return index < facts.size() ? facts.get(index) : "";
    }
}
