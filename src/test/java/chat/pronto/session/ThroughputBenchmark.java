package chat.pronto.session;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import chat.pronto.model.DeliveryState;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/**
 * One stream, many messages with receipts, in one JVM over 127.0.0.1 with TLS and both histories on
 * disk: {@code count} messages sent as fast as {@code send} takes them, timed until the last receipt.
 * Not a test: run it by hand. Usage: {@code ThroughputBenchmark [count] [rounds]}.
 */
public final class ThroughputBenchmark {
    private ThroughputBenchmark() {
    }

    private static chat.pronto.stream.StreamConfig unlimited(chat.pronto.stream.StreamConfig config) {
        return config.withLimits(config.limits().withRate(Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2));
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        FakeLink link = new FakeLink();
        // The path is measured, not the allowance a peer gets (by default a known peer may send 500
        // messages a second after a burst of 5,000, and a stream 1,000 stanzas a second after 5,000:
        // README, "Deadlines and bounds").
        SessionConfig.Quotas unbounded = SessionConfig.Quotas.defaults()
                .withRates(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4)
                .withStrangers(java.time.Duration.ofHours(1), Integer.MAX_VALUE, Long.MAX_VALUE / 4);
        try (ChatCore alice = ChatCore.on(link, "alice@bench").quotas(unbounded).streams(ThroughputBenchmark::unlimited).start();
             ChatCore bob = ChatCore.on(link, "bob@bench").quotas(unbounded).streams(ThroughputBenchmark::unlimited).start()) {
            // The tests' recorder keeps every event in a copy-on-write list: not what an application does.
            alice.chat.removeListener(alice.events);
            bob.chat.removeListener(bob.events);
            AtomicInteger delivered = new AtomicInteger();
            CountDownLatch[] done = new CountDownLatch[1];
            alice.chat.addListener(event -> {
                if (event instanceof ChatEvent.MessageUpdated updated
                        && updated.message().state() == DeliveryState.DELIVERED) {
                    delivered.incrementAndGet();
                    done[0].countDown();
                }
            });
            // A first message opens the stream.
            done[0] = new CountDownLatch(1);
            alice.chat.send(bob.id(), "hello").get();
            if (!done[0].await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no receipt for the first message");
            }
            for (int round = 0; round < rounds; round++) {
                done[0] = new CountDownLatch(count);
                long start = System.nanoTime();
                long cpuStart = cpu();
                for (int i = 0; i < count; i++) {
                    alice.chat.send(bob.id(), "benchmark message number " + i + " with a body of about 100 bytes "
                            + "........................................");
                }
                if (!done[0].await(300, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + (count - done[0].getCount()) + " of " + count
                            + " acknowledged");
                }
                long elapsed = System.nanoTime() - start;
                long cpu = cpu() - cpuStart;
                System.out.printf("round %d: %,d messages with receipts in %.2f s: %,.0f msg/s; CPU (both ends, one"
                        + " process) %.1f µs a message%n", round, count, elapsed / 1e9, count / (elapsed / 1e9),
                        cpu / 1e3 / count);
            }
        }
        System.exit(0);
    }
}
