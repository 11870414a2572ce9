package chat.pronto.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import chat.pronto.lab.InstalledJvm;
import chat.pronto.lab.NetnsLab;
import chat.pronto.security.Identity;
import chat.pronto.session.SessionConfig;

/**
 * Pronto's message figures measured as issue 13 measured them: two Pronto processes (the real app,
 * {@code --console --machine}) in two lab namespaces joined by a veth, alice@hosta typing to
 * bob@hostb. Every figure is timed from typing {@code msg} on alice's standard input to reading the
 * message's {@code delivered} line on her standard output, so it holds the whole app: console,
 * history on both sides, stream, receipt. The identities are made before the processes start, so the
 * raw TLS baseline can use the same keys.
 */
public final class ProntoPath implements AutoCloseable {
    static final String ALICE = "alice@hosta";
    static final String BOB = "bob@hostb";
    private static final String BODY = "x".repeat(100);

    private final NetnsLab lab;
    private final Path aliceData;
    private final Path bobData;
    private final Identity aliceKey;
    private final Identity bobKey;

    private ProntoPath(NetnsLab lab, Path aliceData, Path bobData) throws Exception {
        this.lab = lab;
        this.aliceData = aliceData;
        this.bobData = bobData;
        this.aliceKey = Identity.loadOrCreate(aliceData, ALICE);
        this.bobKey = Identity.loadOrCreate(bobData, BOB);
    }

    /**
     * The JVM options Pronto's processes run with: the installed app's ({@link InstalledJvm}: the serial
     * collector, C2 late, a 256 MiB heap), as people run it; {@code -Dpronto.bench.plainJvm=true} gives
     * the JVM's defaults, as every figure before 2026-12-04 had (the first message was about a quarter
     * slower on them).
     */
    static List<String> jvmOptions() {
        return Boolean.getBoolean("pronto.bench.plainJvm") ? List.of() : InstalledJvm.options();
    }

    /** Why it cannot run here, or null. */
    public static String unavailable() {
        return NetnsLab.available() ? null : "network namespaces cannot be made here (needs root and iproute2)";
    }

    public static ProntoPath create() throws Exception {
        NetnsLab lab = NetnsLab.twoHosts();
        try {
            return new ProntoPath(lab, Files.createDirectories(lab.host(0).directory().resolve("alice-data")),
                    Files.createDirectories(lab.host(1).directory().resolve("bob-data")));
        } catch (Exception e) {
            lab.close();
            throw e;
        }
    }

    public Identity aliceKey() {
        return aliceKey;
    }

    public Identity bobKey() {
        return bobKey;
    }

    /** Both processes started with {@code extra} flags, listening, and each listing the other. */
    private ConsolePronto[] startPair(List<String> extra) throws Exception {
        List<String> jvm = jvmOptions();
        ConsolePronto alice = ConsolePronto.start(lab, lab.host(0), ALICE, aliceData, extra, jvm);
        ConsolePronto bob = ConsolePronto.start(lab, lab.host(1), BOB, bobData, extra, jvm);
        ConsolePronto[] pair = {alice, bob};
        ConsolePronto.meet(lab, alice, ALICE, bob, BOB);
        return pair;
    }

    /**
     * Message → receipt on an open stream ({@code samples} after a tenth as many to warm up), then
     * {@code messages} typed as fast as alice's console takes them, until the last is delivered.
     */
    public void measureOpenStream(SuiteReport report, int samples, int messages) throws Exception {
        ConsolePronto[] pair = startPair(List.of());
        ConsolePronto alice = pair[0];
        try (ConsolePronto bob = pair[1]; alice) {
            List<Long> trips = new ArrayList<>();
            for (int i = -Math.max(100, samples / 10); i < samples; i++) {
                long nanos = alice.roundTrip(BOB, BODY, 30);
                if (i >= 0) {
                    trips.add(nanos);
                }
            }
            report.add(Figure.latency("pronto.rtt",
                    "Pronto (two processes over a veth, --console --machine): message → receipt, open stream", trips));

            alice.countOnly(true);
            SessionConfig.Quotas quotas = SessionConfig.Quotas.defaults();
            // As the baselines: a flood to warm up first, then the median of three. It is as long as a
            // measured one: the installed app's JVM brings C2 in late (packaging/jvm-options), and a quarter
            // as long left the first measured run at little more than half the later ones' speed.
            List<Flood> runs = new ArrayList<>();
            for (int run = 0; run < 4; run++) { // the first warms up
                Flood flood = flood(alice, bob, messages, quotas);
                if (flood.stalled() != null) {
                    report.add(Figure.skipped("pronto.receipts", "Pronto: one stream, messages until all delivered",
                            (run == 0 ? "the warm-up flood stalled: " : "") + flood.stalled()));
                    return;
                }
                if (run > 0) {
                    runs.add(flood);
                }
            }
            List<Flood> sorted = new ArrayList<>(runs);
            sorted.sort(java.util.Comparator.comparingLong(Flood::nanos));
            Flood median = sorted.get(1);
            StringBuilder all = new StringBuilder();
            for (Flood flood : runs) {
                all.append(all.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%,.0f",
                        messages * 1e9 / flood.nanos()));
            }
            report.add(Figure.rate("pronto.receipts",
                    "Pronto: one stream, messages typed as fast as the console takes them, until all delivered",
                    messages, median.nanos())
                    .withNote(String.format(java.util.Locale.ROOT, "runs: %s msg/s after a warm-up flood of %,d, "
                                    + "median shown; typing its %,d lines took %.2f s; processor time per message "
                                    + "(every thread, the JIT's and the collector's too), median of the runs: alice %.0f µs, "
                                    + "bob %.0f µs", all, messages, messages, median.typingNanos() / 1e9,
                            medianOf(runs, Flood::aliceCpuNanos) / 1e3 / messages,
                            medianOf(runs, Flood::bobCpuNanos) / 1e3 / messages)));
            report.note(String.format(java.util.Locale.ROOT, "Pronto's per-peer quota (issue 16, "
                            + "SessionConfig.Quotas.defaults) lets a peer send a burst of %,d messages, then %,d a "
                            + "second: a run longer than the burst measures the quota as much as the path (the "
                            + "suite waits between runs until the burst is whole again).",
                    quotas.messageBurst(), quotas.messagesPerSecond()));
        }
    }

    /**
     * One flood: how long until the last was delivered, how long the typing took, the processor time
     * each process used meanwhile, or why it stalled.
     */
    private record Flood(long nanos, long typingNanos, long aliceCpuNanos, long bobCpuNanos, String stalled) {
    }

    private static double medianOf(List<Flood> runs, java.util.function.ToLongFunction<Flood> figure) {
        long[] values = runs.stream().mapToLong(figure).sorted().toArray();
        return values[values.length / 2];
    }

    /**
     * Types {@code messages} as fast as alice's console takes them and waits until all are delivered,
     * then until bob's quota for alice has its whole burst again, so the next flood meets the same.
     */
    private static Flood flood(ConsolePronto alice, ConsolePronto bob, int messages, SessionConfig.Quotas quotas)
            throws Exception {
        int before = alice.deliveredCount();
        long aliceCpu = alice.cpuNanos();
        long bobCpu = bob.cpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            alice.type(BOB, BODY);
        }
        long typed = System.nanoTime();
        long bound = TimeUnit.SECONDS.toNanos(Math.max(60, messages / 50));
        int lastCount = before;
        long lastProgress = System.nanoTime();
        while (alice.deliveredCount() - before < messages) {
            TimeUnit.MILLISECONDS.sleep(5);
            int now = alice.deliveredCount();
            if (now != lastCount) {
                lastCount = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(60)
                    || System.nanoTime() - start > bound) {
                break;
            }
        }
        int got = alice.deliveredCount() - before;
        if (got < messages) {
            return new Flood(0, typed - start, 0, 0, got + " of " + messages + " delivered before it stalled; "
                    + "first problem: " + alice.problems().stream().findFirst().orElse("none printed"));
        }
        long elapsed = alice.lastDeliveredNanos() - start;
        // Bob's last receipt went out before alice printed `delivered`: both are done with this flood.
        long aliceUsed = alice.cpuNanos() - aliceCpu;
        long bobUsed = bob.cpuNanos() - bobCpu;
        long refill = TimeUnit.SECONDS.toMillis(messages) / quotas.messagesPerSecond();
        TimeUnit.MILLISECONDS.sleep(refill + 500);
        return new Flood(elapsed, typed - start, aliceUsed, bobUsed, null);
    }

    /**
     * First message to a peer with no stream: dial + STARTTLS + TLS 1.3 + SASL EXTERNAL + send →
     * receipt, {@code samples} times. The processes run with {@code --idle-timeout 1}, and every sample
     * waits until both sides show no stream before typing.
     */
    public void measureFirstMessage(SuiteReport report, int samples) throws Exception {
        ConsolePronto[] pair = startPair(List.of("--idle-timeout", "1"));
        ConsolePronto alice = pair[0];
        try (ConsolePronto bob = pair[1]; alice) {
            List<Long> firsts = new ArrayList<>();
            for (int i = -Math.max(3, samples / 10); i < samples; i++) {
                if (!alice.awaitLink(BOB, "NONE", 10_000) || !bob.awaitLink(ALICE, "NONE", 10_000)) {
                    throw new IllegalStateException("the idle stream did not close within 10 s");
                }
                long nanos = alice.roundTrip(BOB, BODY, 30);
                if (i >= 0) {
                    firsts.add(nanos);
                }
                if (!alice.awaitLink(BOB, "ENCRYPTED", 5_000)) {
                    throw new IllegalStateException("the first message did not go over an encrypted stream");
                }
            }
            report.add(Figure.latency("pronto.first",
                    "Pronto: first message to a peer with no stream (dial + STARTTLS + SASL EXTERNAL + send → receipt)",
                    firsts));
        }
    }

    /** First messages as {@link #measureFirstMessage} sends them, each console line printed as it comes. */
    void trace(int samples) throws Exception {
        ConsolePronto[] pair = startPair(List.of("--idle-timeout", "1"));
        ConsolePronto alice = pair[0];
        try (ConsolePronto bob = pair[1]; alice) {
            long[] start = new long[1];
            alice.trace = (line, at) -> System.out.printf("%8.2f A %s%n", (at - start[0]) / 1e6, line.length() > 150 ? line.substring(0, 150) : line);
            bob.trace = (line, at) -> System.out.printf("%8.2f B %s%n", (at - start[0]) / 1e6, line.length() > 150 ? line.substring(0, 150) : line);
            if (Boolean.getBoolean("pronto.bench.tail")) {
                alice.write("tail on");
                bob.write("tail on");
            }
            for (int i = 0; i < samples; i++) {
                if (!alice.awaitLink(BOB, "NONE", 10_000) || !bob.awaitLink(ALICE, "NONE", 10_000)) {
                    throw new IllegalStateException("the idle stream did not close within 10 s");
                }
                Thread.sleep(300);
                System.out.println("---- sample " + i + " at " + java.time.Instant.now());
                start[0] = System.nanoTime();
                long nanos = alice.roundTrip(BOB, BODY, 30);
                System.out.printf("==== %.2f ms%n", nanos / 1e6);
                alice.awaitLink(BOB, "ENCRYPTED", 5_000);
            }
        }
    }

    /**
     * Where an open stream's round trip goes, as the consoles show it: for {@code samples} round trips
     * (after as many to warm up), the median time from typing to the first line of each kind that
     * alice and bob print ({@code queued}, {@code received}, {@code state … sent}, {@code state …
     * delivered}), read by this process from their standard output.
     */
    void traceOpenStream(int samples) throws Exception {
        ConsolePronto[] pair = startPair(List.of());
        ConsolePronto alice = pair[0];
        try (ConsolePronto bob = pair[1]; alice) {
            java.util.Map<String, List<Long>> marks = new java.util.TreeMap<>();
            long[] start = new long[1];
            java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            alice.trace = (line, at) -> mark("A " + kind(line), at, start, seen, marks);
            bob.trace = (line, at) -> mark("B " + kind(line), at, start, seen, marks);
            for (int i = -samples; i < samples; i++) {
                if (i == 0) {
                    synchronized (marks) {
                        marks.clear();
                    }
                }
                seen.clear();
                start[0] = System.nanoTime();
                long nanos = alice.roundTrip(BOB, BODY, 30);
                synchronized (marks) {
                    marks.computeIfAbsent("= round trip", key -> new ArrayList<>()).add(nanos);
                }
            }
            alice.trace = null;
            bob.trace = null;
            synchronized (marks) {
                marks.forEach((what, values) -> System.out.printf(java.util.Locale.ROOT, "%-24s median %8.1f µs  p90 %8.1f µs  (n=%d)%n",
                        what, Samples.percentile(values, 50) / 1e3, Samples.percentile(values, 90) / 1e3, values.size()));
            }
        }
    }

    private static String kind(String line) {
        String[] fields = line.split("\t");
        if (fields[0].equals("state") && fields.length > 3) {
            return "state " + fields[3];
        }
        return fields[0];
    }

    private static void mark(String what, long at, long[] start, java.util.Set<String> seen,
                             java.util.Map<String, List<Long>> marks) {
        if (seen.add(what)) {
            synchronized (marks) {
                marks.computeIfAbsent(what, key -> new ArrayList<>()).add(at - start[0]);
            }
        }
    }

    @Override
    public void close() {
        lab.close();
    }
}
