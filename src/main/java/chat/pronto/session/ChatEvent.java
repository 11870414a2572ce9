package chat.pronto.session;

import java.time.Duration;
import java.util.Optional;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.TypingState;

/** What the front ends hear from the chat service, in order, on the service's event thread. */
public sealed interface ChatEvent {
    /** A peer appeared, changed (status, names, addresses) or its stream opened, closed or changed. */
    record ContactChanged(Contact contact) implements ChatEvent {
    }

    /** A peer is gone from the network and no stream to it is open. */
    record ContactGone(PeerId id) implements ChatEvent {
    }

    /** A message entered a conversation: one we are sending (stored, queued) or one that arrived. */
    record MessageAdded(ChatMessage message) implements ChatEvent {
    }

    /** An outgoing message changed state: sent, delivered, failed, queued again. */
    record MessageUpdated(ChatMessage message) implements ChatEvent {
    }

    /** The peer's chat state changed (typing, paused…). */
    record Typing(PeerId peer, TypingState state) implements ChatEvent {
    }

    /**
     * The peer presented another key than the one pinned for its name: the stream was refused and
     * its messages wait. {@link ChatService#acceptNewKey} lets the next stream through.
     */
    record KeyChanged(PeerId peer, String pinned, String presented, boolean wasVerified) implements ChatEvent {
        /** A change of a key nobody had verified. */
        public KeyChanged(PeerId peer, String pinned, String presented) {
            this(peer, pinned, presented, false);
        }
    }

    /**
     * The peer's queued messages could not go out: why, and when the next attempt is (empty: when
     * the peer shows up on the network again).
     */
    record Unreachable(PeerId peer, Problem problem, Optional<Duration> retryIn) implements ChatEvent {
    }

    /** Another host owns our name: we are now known as {@code newName}. */
    record Renamed(PeerId newName) implements ChatEvent {
    }

    /**
     * A file transfer was offered, or its state or progress changed (progress at most five times a
     * second); {@code nanos} is when (System.nanoTime): speeds are worked out from it, since events can
     * reach a front end in bursts.
     */
    record TransferUpdated(chat.pronto.model.Transfer transfer, long nanos) implements ChatEvent {
        public TransferUpdated(chat.pronto.model.Transfer transfer) {
            this(transfer, System.nanoTime());
        }
    }

    /** Something about the network or this machine the user should know. */
    record Notice(Problem problem) implements ChatEvent {
    }
}
