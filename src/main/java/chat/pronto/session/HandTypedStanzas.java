package chat.pronto.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jivesoftware.smack.packet.Stanza;

import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.stream.StanzaStream;

/**
 * The debug console's path: stanzas typed by hand (checked by {@link RawStanza}) waiting for a
 * stream to the peer, then sent with {@code to}/{@code from} filled in where the user left them out.
 * Lane only.
 */
final class HandTypedStanzas {
    private record Pending(Stanza stanza, CompletableFuture<Void> sent) {
    }

    private final PeerId peer;
    private final PeerStreams streams;
    private final List<Pending> pending = new ArrayList<>();

    HandTypedStanzas(PeerId peer, PeerStreams streams) {
        this.peer = peer;
        this.streams = streams;
    }

    void add(Stanza stanza, CompletableFuture<Void> sent) {
        pending.add(new Pending(stanza, sent));
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Sends what waits over {@code stream}. */
    void sendAll(StanzaStream stream) {
        for (Pending entry : List.copyOf(pending)) {
            Stanza stanza = entry.stanza();
            if (stanza.getTo() == null) {
                stanza.setTo(ChatStanzas.jid(peer));
            }
            if (stanza.getFrom() == null) {
                stanza.setFrom(ChatStanzas.jid(PeerId.of(stream.localName())));
            }
            if (streams.send(stream, stanza)) {
                entry.sent().complete(null);
            } else {
                entry.sent().completeExceptionally(new NotSentException(Problem.of(Problem.Kind.STREAM_CLOSED)));
            }
        }
        pending.clear();
    }

    /** No stream could be had: what waits fails, with why. */
    void failAll(Problem why) {
        IOException failure = new NotSentException(why);
        pending.forEach(entry -> entry.sent().completeExceptionally(failure));
        pending.clear();
    }
}
