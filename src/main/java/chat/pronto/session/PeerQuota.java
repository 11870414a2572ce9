package chat.pronto.session;

import java.io.IOException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;

/**
 * How much one peer may make us store (issue 16): a rate for everyone, and an allowance for strangers.
 *
 * <ul>
 *   <li><b>Rate</b>, two token buckets (messages, and UTF-8 bytes of text): a burst at full speed (a
 *   reconnect that flushes a queue of hundreds), then a sustained rate. A peer faster than that is
 *   <em>slowed, never refused</em>: its stream's reader thread pauses before the next stanza, TCP keeps
 *   what follows in the peer's own buffers, and everything it sent is still stored and acknowledged,
 *   only later.</li>
 *   <li><b>Strangers</b> (peers the user never wrote to, as the history says) may have a number of
 *   messages and bytes stored per window. Past either the stranger is muted until the window ends:
 *   its messages are refused with a stanza error, so the sender knows; the user hears it once. Writing
 *   to the stranger makes it someone the user knows, for good.</li>
 * </ul>
 * Thread-safe: the readers of the peer's streams call it; the store thread says when the user wrote.
 */
final class PeerQuota {
    private static final Logger LOG = LoggerFactory.getLogger(PeerQuota.class);
    /** The longest one pause lasts (a huge message over the byte rate); the next stanza waits for the rest. */
    private static final long MAX_PAUSE_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    /** What becomes of a message from a stranger. */
    enum Admission {
        /** Store it. */
        TAKE,
        /** Refuse it: the stranger is muted. */
        REFUSE,
        /** Refuse it: this message muted the stranger, the user is told now (once per mute). */
        REFUSE_AND_TELL
    }

    private final PeerId peer;
    private final SessionContext context;
    private final SessionConfig.Quotas limits;
    private final TokenBucket messages;
    private final TokenBucket bytes;

    // Guarded by this.
    private Boolean knownToUser;
    private boolean windowOpen;
    private long windowStart;
    private int windowMessages;
    private long windowBytes;
    private boolean muted;

    PeerQuota(PeerId peer, SessionContext context) {
        this.peer = peer;
        this.context = context;
        this.limits = context.config().quotas();
        long now = context.ticker().getAsLong();
        this.messages = new TokenBucket(limits.messagesPerSecond(), limits.messageBurst(), now);
        this.bytes = new TokenBucket(limits.bytesPerSecond(), limits.byteBurst(), now);
    }

    /**
     * Reader thread, before a message or a request is taken in: pauses while the peer is over its
     * rate (whole milliseconds, at most a few seconds at a time).
     */
    void awaitTurn() {
        long wait;
        synchronized (this) {
            long now = context.ticker().getAsLong();
            wait = Math.max(messages.waitNanos(now), bytes.waitNanos(now));
        }
        if (wait > 0) {
            long millis = (Math.min(wait, MAX_PAUSE_NANOS) + 999_999) / 1_000_000;
            context.pause().pause(Duration.ofMillis(millis));
        }
    }

    /** A message or request was taken in: one message, and {@code textBytes} of text written to the history. */
    synchronized void charge(long textBytes) {
        long now = context.ticker().getAsLong();
        messages.take(1, now);
        bytes.take(textBytes, now);
    }

    /** Whether a new message with {@code textBytes} of text may be stored (always, from someone the user knows). */
    synchronized Admission admit(long textBytes) {
        if (knownToUser()) {
            return Admission.TAKE;
        }
        long now = context.ticker().getAsLong();
        if (!windowOpen || now - windowStart >= limits.strangerWindow().toNanos()) {
            windowOpen = true;
            windowStart = now;
            windowMessages = 0;
            windowBytes = 0;
            muted = false;
        }
        if (muted) {
            return Admission.REFUSE;
        }
        if (windowMessages + 1 > limits.strangerMessages() || windowBytes + textBytes > limits.strangerBytes()) {
            muted = true;
            LOG.info("{} (a stranger) sent more than {} messages or {} bytes within {}: muted for {} min", peer,
                    limits.strangerMessages(), limits.strangerBytes(), limits.strangerWindow(), minutesLeft(now));
            return Admission.REFUSE_AND_TELL;
        }
        // Counted now, before it is stored (stores are grouped and finish later): a stranger's burst
        // cannot slip past the allowance while its messages wait for their commit.
        windowMessages++;
        windowBytes += textBytes;
        return Admission.TAKE;
    }

    /** A message admitted with {@code textBytes} of text was not stored after all (a duplicate, a failure). */
    synchronized void notStored(long textBytes) {
        if (windowOpen && !knownToUser() && windowMessages > 0) {
            windowMessages--;
            windowBytes = Math.max(0, windowBytes - textBytes);
        }
    }

    /** The user wrote to the peer: it is someone the user knows now, never muted again. */
    synchronized void userWrote() {
        knownToUser = Boolean.TRUE;
        muted = false;
    }

    /** Minutes until a muted stranger is heard again (rounded up). */
    synchronized long minutesLeft() {
        return minutesLeft(context.ticker().getAsLong());
    }

    /** What the user is told when this peer is muted. */
    synchronized Problem mutedProblem() {
        return Problem.of(Problem.Kind.PEER_MUTED, peer.name(), minutesLeft(context.ticker().getAsLong()),
                windowMessages, windowBytes, limits.strangerWindow().toMinutes());
    }

    private long minutesLeft(long now) {
        long left = windowStart + limits.strangerWindow().toNanos() - now;
        return Math.max(1, (left + MINUTE_NANOS - 1) / MINUTE_NANOS);
    }

    private boolean knownToUser() {
        if (knownToUser == null) {
            try {
                knownToUser = context.history().wroteTo(peer);
            } catch (IOException e) {
                // Cannot tell: the peer is not held back for our own trouble (storing will tell the user).
                LOG.warn("cannot tell whether the user ever wrote to {}: {}", peer, e.getMessage());
                return true;
            }
        }
        return knownToUser;
    }
}
