package chat.pronto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.Problem.Kind;
import chat.pronto.model.SavedPeer;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamEndedException;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.XmlStream;

/**
 * Reaches a peer at an address rather than through mDNS: by hand ({@code HOST[:PORT]}, name
 * unknown until its stream header says it) or from an invite link (name and key known). Tries each
 * address in turn, as the dialer does; a stream that negotiates is taken by the peer's session like
 * any other (the stream router hands it over), and the peer is saved. A changed key ends the attempt
 * at once, and the user is told as for any changed key.
 */
final class AddressReach {
    private final StreamEngine engine;
    private final Executor connecting;
    private final Duration negotiation;
    private final DirectPeers direct;
    private final SessionEvents events;

    AddressReach(StreamEngine engine, Executor connecting, Duration negotiation, DirectPeers direct,
                 SessionEvents events) {
        this.engine = engine;
        this.connecting = connecting;
        this.negotiation = negotiation;
        this.direct = direct;
        this.events = events;
    }

    /**
     * Dials {@code hosts} at {@code port} and saves the peer that answers.
     *
     * @param expected the name to dial (an invite link's); null: learn it from the answer
     * @param savedAs  the host to save; null: the address that answered
     */
    CompletableFuture<PeerId> reach(List<String> hosts, int port, PeerId expected, SavedPeer.Origin origin,
                                    String savedAs) {
        CompletableFuture<PeerId> result = new CompletableFuture<>();
        try {
            connecting.execute(() -> {
                List<InetAddress> addresses = new ArrayList<>();
                Problem unresolved = null;
                for (String host : hosts) {
                    try {
                        addresses.addAll(List.of(InetAddress.getAllByName(host)));
                    } catch (UnknownHostException e) {
                        unresolved = Problem.of(Kind.CANNOT_CONNECT, host, port, "unknown host");
                    }
                }
                if (addresses.isEmpty()) {
                    result.completeExceptionally(new NotSentException(unresolved != null ? unresolved
                            : Problem.of(Kind.NOT_ON_NETWORK)));
                    return;
                }
                attempt(new Attempt(AddressOrder.sorted(addresses), port, expected, origin, savedAs, result), 0, null);
            });
        } catch (RejectedExecutionException closing) {
            result.completeExceptionally(new NotSentException(Problem.of(Kind.SHUTTING_DOWN), closing));
        }
        return result;
    }

    private record Attempt(List<InetAddress> addresses, int port, PeerId expected, SavedPeer.Origin origin,
                           String savedAs, CompletableFuture<PeerId> result) {
    }

    /** Tries address {@code index} (on a connecting thread: the TCP connect blocks). */
    private void attempt(Attempt attempt, int index, Problem last) {
        if (index >= attempt.addresses().size()) {
            attempt.result().completeExceptionally(new NotSentException(last));
            return;
        }
        InetAddress address = attempt.addresses().get(index);
        XmlStream stream;
        try {
            InetSocketAddress target = new InetSocketAddress(address, attempt.port());
            stream = attempt.expected() == null ? engine.openUnnamed(target)
                    : engine.open(target, attempt.expected().name());
        } catch (IOException e) {
            next(attempt, index, Problem.of(Kind.CANNOT_CONNECT, address.getHostAddress(), attempt.port(),
                    e.getMessage()));
            return;
        }
        stream.established().orTimeout(negotiation.toMillis(), TimeUnit.MILLISECONDS).whenComplete((info, error) -> {
            if (error == null) {
                reached(attempt, address, info);
                return;
            }
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                stream.close();
                next(attempt, index, Problem.of(Kind.NO_ANSWER, address.getHostAddress(), attempt.port(),
                        negotiation.toSeconds()));
                return;
            }
            StreamEnd end = cause instanceof StreamEndedException ended ? ended.end()
                    : new StreamEnd.Aborted(String.valueOf(cause));
            if (end instanceof StreamEnd.KeyChanged changed) {
                events.keyChanged(PeerId.of(changed.peer()), changed);
                attempt.result().completeExceptionally(new NotSentException(Problem.of(Kind.KEY_CHANGED)));
                return;
            }
            next(attempt, index, Problems.of(end));
        });
    }

    private void next(Attempt attempt, int index, Problem problem) {
        try {
            connecting.execute(() -> attempt(attempt, index + 1, problem));
        } catch (RejectedExecutionException closing) {
            attempt.result().completeExceptionally(new NotSentException(Problem.of(Kind.SHUTTING_DOWN), closing));
        }
    }

    private void reached(Attempt attempt, InetAddress address, StreamInfo info) {
        PeerId peer = PeerId.of(info.peer());
        String host = attempt.savedAs() != null ? attempt.savedAs() : address.getHostAddress();
        try {
            direct.save(new SavedPeer(peer, host, attempt.port(), attempt.origin()));
            attempt.result().complete(peer);
        } catch (IOException e) {
            attempt.result().completeExceptionally(new NotSentException(Problem.of(Kind.NOT_SAVED, e.getMessage()), e));
        }
    }
}
