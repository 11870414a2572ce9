package chat.pronto.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.Problem.Kind;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamEndedException;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.XmlStream;

/**
 * Dials with the stream engine: the peer's addresses in the order presence has them (IPv4 first),
 * each bounded by the connect timeout and then by the negotiation timeout. Only the TCP connect
 * holds a thread of the small dialing pool; the negotiation is awaited by callback, so a peer that
 * accepts and then says nothing holds no thread at all.
 */
final class StreamDialer implements Dialer {
    private final StreamEngine engine;
    private final Executor connecting;
    private final Duration negotiation;

    StreamDialer(StreamEngine engine, Executor connecting, Duration negotiation) {
        this.engine = engine;
        this.connecting = connecting;
        this.negotiation = negotiation;
    }

    @Override
    public void dial(PeerId peer, PeerAdvert advert, Consumer<DialOutcome> outcome) {
        attempt(peer, advert, 0, null, outcome);
    }

    private void attempt(PeerId peer, PeerAdvert advert, int index, Problem last, Consumer<DialOutcome> outcome) {
        if (index >= advert.addresses().size()) {
            outcome.accept(new DialOutcome.Failed(last != null ? last : Problem.of(Kind.NOT_ON_NETWORK)));
            return;
        }
        try {
            connecting.execute(() -> connect(peer, advert, index, outcome));
        } catch (RejectedExecutionException closing) {
            outcome.accept(new DialOutcome.Failed(Problem.of(Kind.SHUTTING_DOWN)));
        }
    }

    private void connect(PeerId peer, PeerAdvert advert, int index, Consumer<DialOutcome> outcome) {
        InetAddress address = advert.addresses().get(index);
        XmlStream stream;
        try {
            stream = engine.open(new InetSocketAddress(address, advert.port()), peer.name());
        } catch (IOException e) {
            attempt(peer, advert, index + 1, Problem.of(Kind.CANNOT_CONNECT, address.getHostAddress(), advert.port(),
                    e.getMessage()), outcome);
            return;
        }
        stream.established().orTimeout(negotiation.toMillis(), TimeUnit.MILLISECONDS).whenComplete((info, error) -> {
            if (error == null) {
                outcome.accept(new DialOutcome.Connected(stream, info));
                return;
            }
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                stream.close();
                attempt(peer, advert, index + 1, Problem.of(Kind.NO_ANSWER, address.getHostAddress(), advert.port(),
                        negotiation.toSeconds()), outcome);
                return;
            }
            StreamEnd end = cause instanceof StreamEndedException ended ? ended.end()
                    : new StreamEnd.Aborted(String.valueOf(cause));
            if (isPermanent(end)) {
                outcome.accept(new DialOutcome.Refused(end));
            } else {
                attempt(peer, advert, index + 1, Problems.of(end), outcome);
            }
        });
    }

    /**
     * A changed key, or a peer that cannot encrypt while our settings require it: another try will not
     * help. (A pinned peer answering in plain text is refused too, but tried again later: it may be an
     * impersonator who leaves, or its stream broke oddly — found by the soak test.)
     */
    private static boolean isPermanent(StreamEnd end) {
        return end instanceof StreamEnd.KeyChanged
                || end instanceof StreamEnd.ErrorSent sent
                && sent.refusal() == StreamEnd.Refusal.UNENCRYPTED_WHILE_REQUIRED;
    }
}
