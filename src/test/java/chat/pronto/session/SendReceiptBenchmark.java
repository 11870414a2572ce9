package chat.pronto.session;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import chat.pronto.bench.BareTls;
import chat.pronto.bench.Samples;
import chat.pronto.history.SqliteHistory;
import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.TypingState;
import chat.pronto.security.Identity;
import chat.pronto.stream.XmlStream;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.Scratch;

/**
 * From {@code send} to the peer's XEP-0184 receipt, through the whole stack (history written
 * crash-safe on both sides, TLS stream, events), on 127.0.0.1: on an open stream, and for a
 * first message that must dial and negotiate a new one (also after the user typed for a moment, which opens
 * the stream meanwhile). A bare JSSE echo on an open connection and
 * a bare JSSE handshake are measured in the same rounds. Not a test: run it by hand (README,
 * Benchmarks). Usage: {@code SendReceiptBenchmark [rounds] [warmup]}.
 */
public final class SendReceiptBenchmark {
    /** How long a person types a short first message, here: the stream opens meanwhile. */
    private static final long TYPING_MS = 300;

    private SendReceiptBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        FakeLink link = new FakeLink();
        try (ChatCore alice = ChatCore.on(link, "alice@bench").start();
             ChatCore bob = ChatCore.on(link, "bob@bench").start();
             BareTls bare = new BareTls(Identity.generate("carol@bench"), Identity.generate("dave@bench"));
             SqliteHistory scratch = SqliteHistory.open(Scratch.directory("bench-").resolve("h.db"));
             SqliteHistory synced = SqliteHistory.open(Scratch.directory("bench-").resolve("h.db"),
                     SqliteHistory.Durability.POWER_SAFE)) {
            BlockingQueue<String> delivered = new ArrayBlockingQueue<>(16);
            alice.chat.addListener(event -> {
                if (event instanceof ChatEvent.MessageUpdated updated
                        && updated.message().state() == DeliveryState.DELIVERED) {
                    delivered.add(updated.message().id());
                }
            });
            // Bob writes first, so alice is someone he knows: no stranger's allowance (500 an hour) applies.
            bob.chat.send(alice.id(), "hello").get();
            for (int round = -warmup; round < rounds; round++) {
                Samples.record("bare JSSE: TCP + TLS 1.3 handshake (mutual, EC P-256) + 1-byte echo", round, samples,
                        bare::tls);
                Samples.record("bare JSSE echo round trip on an open TLS connection (254 bytes)", round, samples,
                        bare::echoOpen);
                Samples.record("SQLite: store one message, crash-safe (synchronous=NORMAL, the default)", round,
                        samples, () -> store(scratch));
                Samples.record("SQLite: store one message, power-safe (synchronous=FULL, the setting)", round,
                        samples, () -> store(synced));
                Samples.record("Pronto send -> receipt, open TLS stream", round, samples,
                        () -> sendAndAwaitReceipt(alice, bob, delivered));
                closeStreams(alice, bob);
                Samples.record("Pronto send -> receipt, first message (dial + STARTTLS + SASL + send)", round,
                        samples, () -> sendAndAwaitReceipt(alice, bob, delivered));
                closeStreams(alice, bob);
                Samples.record("Pronto send -> receipt, first message after " + TYPING_MS + " ms of typing (the stream "
                        + "opened meanwhile)", round, samples, () -> typeThenSend(alice, bob, delivered));
            }
        }
        Samples.printTable(samples, rounds, warmup);
        System.exit(0);
    }

    /**
     * The way the window sends a first message: the user starts writing (which opens the stream), types
     * for {@link #TYPING_MS}, then sends; timed from the send, as the person sees it.
     */
    private static long typeThenSend(ChatCore from, ChatCore to, BlockingQueue<String> delivered) throws Exception {
        from.chat.setTyping(to.id(), TypingState.COMPOSING);
        Thread.sleep(TYPING_MS); // the person typing: the time the stream has to open
        return sendAndAwaitReceipt(from, to, delivered);
    }

    private static long sendAndAwaitReceipt(ChatCore from, ChatCore to, BlockingQueue<String> delivered)
            throws Exception {
        long start = System.nanoTime();
        String id = from.chat.send(to.id(), "benchmark message").get().id();
        String acknowledged = delivered.poll(10, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        if (!id.equals(acknowledged)) {
            throw new IllegalStateException("expected a receipt for " + id + ", got " + acknowledged);
        }
        return elapsed;
    }

    private static long store(SqliteHistory history) throws Exception {
        long start = System.nanoTime();
        history.append(ChatMessage.outgoing(PeerId.of("someone@bench"), UUID.randomUUID().toString(), "stored",
                Instant.now()));
        return System.nanoTime() - start;
    }

    /** Closes every stream between the two (with the handshake) and waits until both sides know. */
    private static void closeStreams(ChatCore alice, ChatCore bob) throws InterruptedException {
        alice.chat.engine().streams().forEach(XmlStream::close);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (alice.chat.contact(bob.id()).join().orElseThrow().link() != LinkSecurity.NONE
                || bob.chat.contact(alice.id()).join().orElseThrow().link() != LinkSecurity.NONE
                || !alice.chat.engine().streams().isEmpty() || !bob.chat.engine().streams().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the streams did not close");
            }
            Thread.sleep(1);
        }
    }
}
