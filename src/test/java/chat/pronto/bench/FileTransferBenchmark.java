package chat.pronto.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;
import chat.pronto.security.Identity;
import chat.pronto.threads.Threads;

/**
 * File transfer throughput (issue 14) next to its floor, measured in the same run and taking turns:
 * <ul>
 * <li><b>Pronto</b>: two Pronto processes ({@code --console --machine}) in two lab namespaces joined by a
 * veth; alice types {@code send-file} for a file of random bytes on the disk, bob types {@code accept ID DIR}
 * as soon as his {@code offered} line comes. Timed from typing {@code accept} to reading bob's {@code done}
 * line (SOCKS5 connect, TLS handshake with the pinned keys, the bytes, bob's SHA-256 and fsync, the rename),
 * and separately from typing {@code send-file} (alice's SHA-256 of the whole file, the offer, then the same).
 * <li><b>Bare TLS</b>: the same bytes between the same two namespaces with JSSE alone, in two JVMs of their
 * own ({@link BareEnd}, started with {@code ip netns exec} as Pronto's are, alive for the whole run as Pronto's
 * are, a new connection per transfer): the sender listens (as Pronto's does), TLS 1.3 with mutual certificates
 * from the very identities Pronto's two processes use and PeerTls's suite order (so AES-128-GCM on both
 * sides), read from the same file through a 256 KiB buffer (FileData's size), written to a file through the
 * same buffer, fsync at the end, a one-byte verdict back; no hashing. Timed from telling the receiver to
 * connect to reading its {@code done} line. Unless turned off, also <b>bare TLS + SHA-256</b>: the same with
 * the receiver hashing on the fly as Pronto's does (context: what the hash costs).
 * </ul>
 * The variants take turns, each round starting with the next one; a first round warms every JVM up and is
 * not counted (none in the smoke). For each transfer: MiB/s, CPU time of both ends during it (from /proc, user
 * + system), their RSS before, peak sampled every 50 ms during it, and VmHWM; the received file's SHA-256 is
 * checked against the source's every time (a run that moved wrong bytes throws). The source is written once
 * (random, not sparse) under {@code target/bench}, fsynced, and deleted at the end, as is every received copy
 * after its check.
 *
 * <p>Run {@code .bench/main chat.pronto.bench.FileTransferBenchmark [SIZE_MIB] [RUNS]} (1024, 3). System
 * properties: {@code pronto.bench.jfr=DIR} records every JVM of the run (Pronto's two, the bare ends) with
 * JFR's profile settings into DIR; {@code pronto.bench.hashVariant=false} leaves the bare TLS + SHA-256 variant
 * out (never in the suite's smoke). The suite takes its rows through {@link #suiteRows(boolean)}: 16 MiB once
 * in a smoke, 1,024 MiB three times otherwise.
 */
public final class FileTransferBenchmark {
    static final String ALICE = "alice@hosta";
    static final String BOB = "bob@hostb";
    /** FileData.BUFFER: the baseline copies through a buffer of the same size. */
    static final int BUFFER = 256 * 1024;
    /** The suites PeerTls enables, in its order (TLS 1.3 ones): both ends of the baseline negotiate as Pronto does. */
    static final String[] SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};
    private static final String JFR_DIR = System.getProperty("pronto.bench.jfr");
    private static final long MIB = 1024 * 1024;

    /** CPU and memory of one process over one transfer, in ms and KiB. */
    record Usage(long cpuMillis, long rssBeforeKb, long rssPeakKb, long hwmKb) {
    }

    /** One transfer: how long it took (from accept / from offer; 0 when not measured), and what each end used. */
    record Run(String variant, int round, long bytes, long nanos, long fromOfferNanos, long hashNanos, Usage sender,
               Usage receiver, String load, String note) {
        double mibPerSecond() {
            return bytes / (double) MIB / (nanos / 1e9);
        }

        double fromOfferMibPerSecond() {
            return fromOfferNanos <= 0 ? 0 : bytes / (double) MIB / (fromOfferNanos / 1e9);
        }
    }

    private final int sizeMib;
    private final int runs;
    private final boolean hashVariant;
    private final int warmups;
    private final List<Run> results = new ArrayList<>();

    private FileTransferBenchmark(int sizeMib, int runs, boolean hashVariant, int warmups) {
        this.sizeMib = sizeMib;
        this.runs = runs;
        this.hashVariant = hashVariant;
        this.warmups = warmups;
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        if (!PrivateNetwork.inside()) {
            System.err.println("Runs only inside a private network namespace: start it with .bench/main");
            System.exit(1);
        }
        System.out.println(MachineInfo.current().describe());
        FileTransferBenchmark bench = new FileTransferBenchmark(size, runs,
                Boolean.parseBoolean(System.getProperty("pronto.bench.hashVariant", "true")), 1);
        bench.measure();
        System.out.println();
        System.out.println(bench.table());
        rows(bench).forEach(row -> System.out.println("| " + String.join(" | ", row) + " |"));
    }

    /** The suite's rows (figure, Pronto, baseline, ratio, goal): 16 MiB once in a smoke, 1 GiB three times otherwise. */
    public static List<List<String>> suiteRows(boolean smoke) throws Exception {
        if (!NetnsLab.available()) {
            throw new IllegalStateException("network namespaces cannot be made here (needs root and iproute2)");
        }
        FileTransferBenchmark bench = smoke ? new FileTransferBenchmark(16, 1, false, 0)
                : new FileTransferBenchmark(1024, 3,
                        Boolean.parseBoolean(System.getProperty("pronto.bench.hashVariant", "true")), 1);
        bench.measure();
        System.out.println(bench.table());
        return rows(bench);
    }

    // ---- the run ------------------------------------------------------------------------------------------

    private void measure() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "bench").toAbsolutePath())
                .resolve("files-" + ProcessHandle.current().pid());
        Files.createDirectories(work);
        Path source = work.resolve("random-" + sizeMib + "MiB.bin");
        try (NetnsLab lab = NetnsLab.twoHosts()) {
            long made = System.nanoTime();
            String sourceHash = writeRandom(source, sizeMib * MIB);
            System.out.printf(Locale.ROOT, "source: %s, %,d MiB of random bytes written and fsynced in %.1f s%n",
                    source, sizeMib, (System.nanoTime() - made) / 1e9);
            Path aliceData = Files.createDirectories(lab.host(0).directory().resolve("alice-data"));
            Path bobData = Files.createDirectories(lab.host(1).directory().resolve("bob-data"));
            // Made here so the bare ends load the very keys Pronto's two processes use.
            Identity.loadOrCreate(aliceData, ALICE);
            Identity.loadOrCreate(bobData, BOB);
            long phase = System.nanoTime();
            // The bare ends start while Pronto's two processes find each other (mostly mDNS waiting).
            BarePair bare = BarePair.launch(lab, aliceData, bobData, source, sizeMib * MIB);
            Pair pair = null;
            try {
                pair = Pair.start(lab, aliceData, bobData);
                bare.awaitReady(lab);
                System.out.printf(Locale.ROOT, "Pronto's two processes up, listing each other, hello both ways, and the"
                        + " bare ends ready: %.1f s%n", (System.nanoTime() - phase) / 1e9);
                List<String> variants = new ArrayList<>(List.of("pronto", "bare"));
                if (hashVariant) {
                    variants.add("bare+sha");
                }
                // Round -1 warms every JVM up (JIT, TLS, page cache) and is not counted: Pronto's processes and
                // the bare ends live through all rounds, as an app that has already sent something does. (None in
                // the smoke: its figures are not for quoting, its time is precious.)
                for (int round = -warmups; round < runs; round++) {
                    // Take turns: each round starts with the next variant, so a machine getting busier hurts all alike.
                    for (int i = 0; i < variants.size(); i++) {
                        String variant = variants.get(Math.floorMod(i + round, variants.size()));
                        Path into = Files.createDirectories(work.resolve("received-" + variant.replace('+', '-') + "-"
                                + (round + 1)));
                        Run run = variant.equals("pronto") ? pair.transfer(source, sizeMib * MIB, into, round)
                                : bare.transfer(into.resolve(source.getFileName()), round, variant.equals("bare+sha"));
                        Path received = Path.of(run.note());
                        String got = sha256(received);
                        if (!got.equals(sourceHash) || Files.size(received) != sizeMib * MIB) {
                            throw new IllegalStateException(variant + " moved wrong bytes: SHA-256 " + got + " ("
                                    + Files.size(received) + " bytes), sent " + sourceHash);
                        }
                        deleteTree(into);
                        Run checked = new Run(run.variant(), run.round(), run.bytes(), run.nanos(), run.fromOfferNanos(),
                                run.hashNanos(), run.sender(), run.receiver(), run.load(), "SHA-256 matches");
                        if (round >= 0) {
                            results.add(checked);
                        }
                        System.out.println("  " + (round < 0 ? "(warm-up) " : "") + describe(checked));
                    }
                }
            } finally {
                phase = System.nanoTime();
                bare.close();
                if (pair != null) {
                    pair.close();
                }
                System.out.printf(Locale.ROOT, "all stopped: %.1f s%n", (System.nanoTime() - phase) / 1e9);
            }
        } finally {
            deleteTree(work);
        }
    }

    private static String describe(Run run) {
        return String.format(Locale.ROOT, "%-8s round %d: %,.0f MiB/s (%.2f s)%s; CPU sender %.2f s, receiver %.2f s;"
                        + " RSS sender %d→%d MB (HWM %d), receiver %d→%d MB (HWM %d); load %s; %s",
                run.variant(), run.round(), run.mibPerSecond(), run.nanos() / 1e9,
                run.fromOfferNanos() > 0 ? String.format(Locale.ROOT, "; from the offer %,.0f MiB/s (%.2f s, hashing %.2f s)",
                        run.fromOfferMibPerSecond(), run.fromOfferNanos() / 1e9, run.hashNanos() / 1e9) : "",
                run.sender().cpuMillis() / 1e3, run.receiver().cpuMillis() / 1e3,
                run.sender().rssBeforeKb() / 1024, run.sender().rssPeakKb() / 1024, run.sender().hwmKb() / 1024,
                run.receiver().rssBeforeKb() / 1024, run.receiver().rssPeakKb() / 1024, run.receiver().hwmKb() / 1024,
                run.load(), run.note());
    }

    /** How long one transfer may take: 5 MiB/s would be a broken one; never less than two minutes. */
    private static long timeoutNanos(long bytes) {
        return TimeUnit.SECONDS.toNanos(Math.max(120, bytes / (5 * MIB)));
    }

    // ---- Pronto ---------------------------------------------------------------------------------------------

    /** Alice and bob, each with its console lines in a queue. */
    private static final class Pair implements AutoCloseable {
        private final ConsolePronto alice;
        private final ConsolePronto bob;
        private final BlockingQueue<String[]> aliceLines = new LinkedBlockingQueue<>();
        private final BlockingQueue<String[]> bobLines = new LinkedBlockingQueue<>();
        private final long alicePid;
        private final long bobPid;

        private Pair(ConsolePronto alice, ConsolePronto bob) throws IOException {
            this.alice = alice;
            this.bob = bob;
            alicePid = jvmPid(alice.pid());
            bobPid = jvmPid(bob.pid());
            alice.watch = (line, at) -> aliceLines.add(withTime(line, at));
            bob.watch = (line, at) -> bobLines.add(withTime(line, at));
        }

        static Pair start(NetnsLab lab, Path aliceData, Path bobData) throws Exception {
            ConsolePronto alice = ConsolePronto.start(lab, lab.host(0), ALICE, aliceData, List.of(), jfr("pronto-alice"));
            ConsolePronto bob = ConsolePronto.start(lab, lab.host(1), BOB, bobData, List.of(), jfr("pronto-bob"));
            ConsolePronto.meet(lab, alice, ALICE, bob, BOB);
            return new Pair(alice, bob);
        }

        /** The line's fields with the moment it was read appended as the last one. */
        private static String[] withTime(String line, long at) {
            String[] fields = line.split("\t", -1);
            String[] timed = Arrays.copyOf(fields, fields.length + 1);
            timed[fields.length] = Long.toString(at);
            return timed;
        }

        Run transfer(Path source, long size, Path into, int round) throws Exception {
            aliceLines.clear();
            bobLines.clear();
            String load = load();
            String name = source.getFileName().toString();
            long timeout = timeoutNanos(size);
            try (Sampler sampler = new Sampler(alicePid, bobPid)) {
                long offered = System.nanoTime();
                alice.write("send-file " + BOB + " " + source);
                String[] out = await(aliceLines, f -> f[0].equals("transfer") && f[2].equals("out")
                        && f[6].equals("offered"), timeout, "alice's offer");
                String outId = out[1];
                String[] in = await(bobLines, f -> f[0].equals("transfer") && f[2].equals("in") && f[4].equals(name)
                        && f[6].equals("offered"), timeout, "bob's offered line");
                String inId = in[1];
                long cpuAlice = cpuMillis(alicePid);
                long cpuBob = cpuMillis(bobPid);
                sampler.reset();
                long accepted = System.nanoTime();
                bob.write("accept " + inId + " " + into);
                String[] done = await(bobLines, f -> f[0].equals("transfer") && f[1].equals(inId)
                        && isFinal(f[6]), timeout, "bob's done line");
                if (!done[6].equals("done")) {
                    throw new IllegalStateException("the transfer ended " + done[6] + ": " + String.join(" | ", done));
                }
                if (!done[8].equals("tls")) {
                    throw new IllegalStateException("the transfer was not encrypted: " + String.join(" | ", done));
                }
                long doneAt = Long.parseLong(done[done.length - 1]);
                Usage sender = sampler.usage(alicePid, cpuMillis(alicePid) - cpuAlice);
                Usage receiver = sampler.usage(bobPid, cpuMillis(bobPid) - cpuBob);
                await(aliceLines, f -> f[0].equals("transfer") && f[1].equals(outId) && isFinal(f[6]),
                        TimeUnit.SECONDS.toNanos(30), "alice's done line");
                long hashed = Long.parseLong(out[out.length - 1]) - offered;
                return new Run("pronto", round, size, doneAt - accepted, doneAt - offered, hashed, sender, receiver, load,
                        unescape(done[9]));
            }
        }

        /** Both at once: each takes a while to say goodbye on mDNS. */
        @Override
        public void close() {
            Thread aliceClosing = Threads.start("pronto-bench-close-alice", alice::close);
            bob.close();
            try {
                aliceClosing.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The final states a transfer line can show. */
    private static boolean isFinal(String state) {
        return state.equals("done") || state.equals("declined") || state.equals("cancelled") || state.equals("failed");
    }

    /** Undoes MachineLines' escapes in one field (a path). */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String[] await(BlockingQueue<String[]> lines, Predicate<String[]> wanted, long timeoutNanos,
                                  String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        List<String> seen = new ArrayList<>();
        while (true) {
            String[] line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("no " + what + " within " + timeoutNanos / 1_000_000_000 + " s; last lines: "
                        + seen.subList(Math.max(0, seen.size() - 10), seen.size()));
            }
            if (line.length > 7 && wanted.test(line)) {
                return line;
            }
            if (line.length > 0 && (line[0].equals("transfer") || line[0].equals("info") || line[0].equals("notice"))) {
                seen.add(String.join(" | ", line));
            }
        }
    }

    // ---- bare TLS -----------------------------------------------------------------------------------------------

    /**
     * The same bytes with JSSE alone: {@link BareEnd} as sender in host A and as receiver in host B, two JVMs
     * started once (as Pronto's are) that move the file once per round, a new TLS connection each time.
     */
    private static final class BarePair implements AutoCloseable {
        private final Process sender;
        private final Process receiver;
        private final BlockingQueue<String[]> senderLines;
        private final BlockingQueue<String[]> receiverLines;
        private final long size;
        private long senderPid;
        private long receiverPid;
        private String port;
        private boolean suiteShown;

        private BarePair(Process sender, Process receiver, long size) {
            this.sender = sender;
            this.receiver = receiver;
            this.senderLines = lines(sender, "pronto-bench-bare-sender");
            this.receiverLines = lines(receiver, "pronto-bench-bare-receiver");
            this.size = size;
        }

        /** Starts both ends; {@link #awaitReady} waits until they can move the file. */
        static BarePair launch(NetnsLab lab, Path aliceData, Path bobData, Path source, long size) throws IOException {
            Process sender = lab.startPiped(lab.host(0), "bare-sender.err", bareCommand(jfr("bare-sender"), "send",
                    aliceData.toString(), ALICE, lab.host(0).address(), source.toString(), Long.toString(size)));
            try {
                Process receiver = lab.startPiped(lab.host(1), "bare-receiver.err", bareCommand(jfr("bare-receiver"),
                        "receive", bobData.toString(), BOB, lab.host(0).address(), Long.toString(size)));
                return new BarePair(sender, receiver, size);
            } catch (IOException e) {
                NetnsLab.kill(sender);
                throw e;
            }
        }

        void awaitReady(NetnsLab lab) throws Exception {
            port = await(senderLines, f -> f[0].equals("listening"), TimeUnit.SECONDS.toNanos(60),
                    "bare sender's port (" + lab + ")")[1];
            await(receiverLines, f -> f[0].equals("ready"), TimeUnit.SECONDS.toNanos(60),
                    "bare receiver ready (" + lab + ")");
            senderPid = jvmPid(sender.pid());
            receiverPid = jvmPid(receiver.pid());
        }

        Run transfer(Path target, int round, boolean hash) throws Exception {
            String load = load();
            senderLines.clear();
            receiverLines.clear();
            try (Sampler sampler = new Sampler(senderPid, receiverPid)) {
                long cpuSender = cpuMillis(senderPid);
                long cpuReceiver = cpuMillis(receiverPid);
                long start = System.nanoTime();
                tell(receiver, "go " + port + " " + hash + " " + target);
                String[] done = await(receiverLines, f -> f[0].equals("done") || f[0].equals("failed"),
                        timeoutNanos(size), "bare receiver's done");
                long doneAt = Long.parseLong(done[done.length - 1]);
                if (!done[0].equals("done") || Long.parseLong(done[1]) != size) {
                    throw new IllegalStateException("bare receiver: " + String.join(" ", done));
                }
                Usage receiverUsage = sampler.usage(receiverPid, cpuMillis(receiverPid) - cpuReceiver);
                String[] sent = await(senderLines, f -> f[0].equals("sent") || f[0].equals("failed"),
                        TimeUnit.SECONDS.toNanos(30), "bare sender's end");
                Usage senderUsage = sampler.usage(senderPid, cpuMillis(senderPid) - cpuSender);
                if (!sent[0].equals("sent")) {
                    throw new IllegalStateException("bare sender: " + String.join(" ", sent));
                }
                if (!suiteShown) {
                    suiteShown = true;
                    System.out.println("  bare TLS negotiated " + sent[1] + " " + sent[2]);
                }
                return new Run(hash ? "bare+sha" : "bare", round, size, doneAt - start, 0, 0, senderUsage,
                        receiverUsage, load, target.toString());
            }
        }

        private static void stop(Process process) throws IOException, InterruptedException {
            try {
                tell(process, "quit");
            } catch (IOException gone) {
                // ended already
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                NetnsLab.kill(process);
            }
        }

        @Override
        public void close() throws Exception {
            stop(receiver);
            stop(sender);
        }
    }

    private static List<String> bareCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(ProntoProcess.javaCommand(BareEnd.class, List.of(args)));
        command.addAll(1, jvmOptions);
        return command;
    }

    private static BlockingQueue<String[]> lines(Process process, String thread) {
        BlockingQueue<String[]> queue = new LinkedBlockingQueue<>();
        Threads.start(thread, () -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    long now = System.nanoTime();
                    String[] fields = line.split(" ", -1);
                    String[] timed = Arrays.copyOf(fields, Math.max(fields.length, 7) + 1);
                    Arrays.fill(timed, fields.length, timed.length - 1, "");
                    timed[timed.length - 1] = Long.toString(now);
                    queue.add(timed);
                }
            } catch (IOException ended) {
                // the process ended
            }
        });
        return queue;
    }

    private static void tell(Process process, String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * One end of the bare JSSE transfer, a JVM of its own in a lab host, alive for the whole run:
     * {@code send DATA_DIR NAME ADDRESS FILE SIZE} listens on ADDRESS, prints {@code listening PORT}, and sends
     * FILE to each connection it takes, printing {@code sent PROTOCOL SUITE VERDICT}; {@code receive DATA_DIR
     * NAME HOST SIZE} prints {@code ready}, and for each {@code go PORT HASH FILE} it reads connects, writes
     * what comes to FILE (fsync at the end, SHA-256 on the fly when HASH is true), answers one byte and prints
     * {@code done BYTES SHA256|-}. Both end at {@code quit} or the end of their input.
     */
    public static final class BareEnd {
        private BareEnd() {
        }

        public static void main(String[] args) throws Exception {
            Identity identity = Identity.loadOrCreate(Path.of(args[1]), args[2]);
            SSLContext context = BareTls.context(BareTls.keyManagers(identity));
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (args[0].equals("send")) {
                SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                        .createServerSocket(0, 4, java.net.InetAddress.getByName(args[3]));
                Path file = Path.of(args[4]);
                long size = Long.parseLong(args[5]);
                System.out.println("listening " + server.getLocalPort());
                System.out.flush();
                Threads.start("pronto-bench-bare-acceptor", () -> {
                    while (!server.isClosed()) {
                        try (SSLSocket socket = (SSLSocket) server.accept()) {
                            send(socket, file, size);
                        } catch (Exception e) {
                            if (!server.isClosed()) {
                                System.out.println("failed " + e);
                                System.out.flush();
                            }
                        }
                    }
                });
                for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
                    // serving until quit
                }
                server.close();
                return;
            }
            String host = args[3];
            long size = Long.parseLong(args[4]);
            System.out.println("ready");
            System.out.flush();
            for (String line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
                String[] words = line.split(" ", 4);
                try {
                    receive(context, host, Integer.parseInt(words[1]), Path.of(words[3]), size,
                            Boolean.parseBoolean(words[2]));
                } catch (Exception e) {
                    System.out.println("failed " + e);
                }
                System.out.flush();
            }
        }

        private static void parameters(SSLSocket socket) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.3"});
            parameters.setCipherSuites(SUITES);
            parameters.setEndpointIdentificationAlgorithm(null);
            socket.setSSLParameters(parameters);
        }

        private static void send(SSLSocket socket, Path file, long size) throws Exception {
            socket.setTcpNoDelay(true);
            socket.setNeedClientAuth(true);
            parameters(socket);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                byte[] bytes = new byte[BUFFER];
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                long done = 0;
                while (done < size) {
                    buffer.clear();
                    buffer.limit((int) Math.min(BUFFER, size - done));
                    int read = channel.read(buffer);
                    if (read < 0) {
                        throw new IOException("the file got shorter");
                    }
                    out.write(bytes, 0, read);
                    done += read;
                }
                out.flush();
            }
            socket.shutdownOutput();
            int verdict = socket.getInputStream().read();
            System.out.println("sent " + socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite()
                    + " " + (char) verdict);
            System.out.flush();
        }

        private static void receive(SSLContext context, String host, int port, Path file, long size, boolean hash)
                throws Exception {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new java.net.InetSocketAddress(host, port), 5000);
                parameters(socket);
                socket.startHandshake();
                InputStream in = socket.getInputStream();
                long done = 0;
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    byte[] bytes = new byte[BUFFER];
                    while (done < size) {
                        int read = in.read(bytes, 0, (int) Math.min(BUFFER, size - done));
                        if (read < 0) {
                            throw new IOException("the connection ended after " + done + " of " + size + " bytes");
                        }
                        if (hash) {
                            digest.update(bytes, 0, read);
                        }
                        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, read);
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                        done += read;
                    }
                    channel.force(false);
                }
                if (in.read() >= 0) {
                    throw new IOException("more bytes than the size");
                }
                String got = HexFormat.of().formatHex(digest.digest());
                socket.getOutputStream().write('K');
                socket.getOutputStream().flush();
                System.out.println("done " + done + " " + (hash ? got : "-"));
            }
        }
    }

    // ---- measuring processes -------------------------------------------------------------------------------------

    /** RSS of some processes every 50 ms, the peak kept per process since the last reset. */
    private static final class Sampler implements AutoCloseable {
        private final Map<Long, long[]> seen = new LinkedHashMap<>(); // pid → {before, peak}
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(long... pids) {
            for (long pid : pids) {
                long rss = status(pid, "VmRSS");
                seen.put(pid, new long[] {rss, rss});
            }
            thread = Threads.start("pronto-bench-rss-sampler", () -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(50); // a sampling period, not a wait for a condition
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private synchronized void sample() {
            seen.forEach((pid, values) -> values[1] = Math.max(values[1], status(pid, "VmRSS")));
        }

        /** From now on: the RSS now is the "before", the peak starts again. */
        synchronized void reset() {
            seen.forEach((pid, values) -> {
                long rss = status(pid, "VmRSS");
                values[0] = rss;
                values[1] = rss;
            });
        }

        synchronized Usage usage(long pid, long cpuMillis) {
            sample();
            long[] values = seen.get(pid);
            return new Usage(cpuMillis, values[0], values[1], status(pid, "VmHWM"));
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(1000);
        }
    }

    /** {@code ip netns exec} execs the command, so its pid is the JVM's; should it fork, the JVM is its child. */
    static long jvmPid(long pid) throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        String command = Files.readString(cmdline).split("\0", 2)[0];
        if (command.endsWith("java")) {
            return pid;
        }
        return ProcessHandle.of(pid).flatMap(handle -> handle.children().findFirst()).map(ProcessHandle::pid)
                .orElseThrow(() -> new IOException("no JVM under process " + pid + " (" + command + ")"));
    }

    /** User + system CPU time of a process in ms (clock ticks of 1/100 s). */
    static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    /** A field of /proc/PID/status in KiB (VmRSS, VmHWM); -1 when the process is gone. */
    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
        return -1;
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<String> jfr(String name) {
        if (JFR_DIR == null) {
            return List.of();
        }
        return List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                + Path.of(JFR_DIR).toAbsolutePath().resolve(name + ".jfr"));
    }

    // ---- files --------------------------------------------------------------------------------------------------

    /** Writes {@code size} random bytes (not sparse: every block written) and fsyncs them; returns their SHA-256. */
    static String writeRandom(Path file, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(size ^ System.nanoTime());
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long written = 0;
            while (written < size) {
                buffer.clear();
                while (buffer.remaining() >= Long.BYTES) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip();
                buffer.limit((int) Math.min(buffer.limit(), size - written));
                digest.update(buffer.array(), 0, buffer.limit());
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer);
                }
            }
            channel.force(true);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    // ---- reporting ----------------------------------------------------------------------------------------------

    private List<Run> of(String variant) {
        return results.stream().filter(run -> run.variant().equals(variant)).toList();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String rates(List<Run> runs, boolean fromOffer) {
        List<Double> values = runs.stream().map(run -> fromOffer ? run.fromOfferMibPerSecond() : run.mibPerSecond())
                .toList();
        return String.format(Locale.ROOT, "%,.0f MiB/s (runs: %s)", median(values), String.join(", ",
                values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList()));
    }

    private static String memory(List<Run> runs) {
        long sender = runs.stream().mapToLong(run -> run.sender().rssPeakKb()).max().orElse(0);
        long receiver = runs.stream().mapToLong(run -> run.receiver().rssPeakKb()).max().orElse(0);
        long senderBefore = runs.stream().mapToLong(run -> run.sender().rssBeforeKb()).min().orElse(0);
        long receiverBefore = runs.stream().mapToLong(run -> run.receiver().rssBeforeKb()).min().orElse(0);
        return String.format(Locale.ROOT, "sender %d MB (%d before), receiver %d MB (%d before)", sender / 1024,
                senderBefore / 1024, receiver / 1024, receiverBefore / 1024);
    }

    private static String cpu(List<Run> runs) {
        double gib = runs.get(0).bytes() / (1024.0 * MIB);
        double sender = median(runs.stream().map(run -> run.sender().cpuMillis() / 1e3 / gib).toList());
        double receiver = median(runs.stream().map(run -> run.receiver().cpuMillis() / 1e3 / gib).toList());
        return String.format(Locale.ROOT, "sender %.2f s, receiver %.2f s", sender, receiver);
    }

    /** Every run, one line each, as Markdown. */
    private String table() {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "%nfile transfer, %,d MiB, %d rounds taking turns (JDK %s, %d cores)%n%n", sizeMib, runs,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
        md.append("| variant | round | MiB/s (accept → done) | from the offer (hash included) | sender CPU | receiver CPU"
                + " | sender RSS before → peak (HWM) | receiver RSS before → peak (HWM) | load |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Run run : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %,.0f (%.2f s) | %s | %.2f s | %.2f s | %d → %d MB (%d) | %d → %d MB (%d) | %s |%n",
                    run.variant(), run.round(), run.mibPerSecond(), run.nanos() / 1e9,
                    run.fromOfferNanos() > 0 ? String.format(Locale.ROOT, "%,.0f (%.2f s; hashing %.2f s)",
                            run.fromOfferMibPerSecond(), run.fromOfferNanos() / 1e9, run.hashNanos() / 1e9) : "—",
                    run.sender().cpuMillis() / 1e3, run.receiver().cpuMillis() / 1e3,
                    run.sender().rssBeforeKb() / 1024, run.sender().rssPeakKb() / 1024, run.sender().hwmKb() / 1024,
                    run.receiver().rssBeforeKb() / 1024, run.receiver().rssPeakKb() / 1024, run.receiver().hwmKb() / 1024,
                    run.load()));
        }
        return md.toString();
    }

    /** The suite's rows: figure, Pronto, baseline, ratio, goal. */
    static List<List<String>> rows(FileTransferBenchmark bench) {
        List<Run> pronto = bench.of("pronto");
        List<Run> bare = bench.of("bare");
        List<Run> hashed = bench.of("bare+sha");
        String size = String.format(Locale.ROOT, "%,d MiB", bench.sizeMib);
        double p = median(pronto.stream().map(Run::mibPerSecond).toList());
        double b = median(bare.stream().map(Run::mibPerSecond).toList());
        double ratio = p / b;
        String baseline = "bare JSSE TLS 1.3, same keys and suite, disk to disk, 256 KiB buffer, fsync: " + rates(bare, false);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("file transfer, " + size + " over a veth, accept → done (median of " + pronto.size() + ")",
                rates(pronto, false), baseline, String.format(Locale.ROOT, "%.2f×", ratio),
                "≥ 0.5× bare TLS" + (ratio >= 0.5 ? " — **met**" : " — not met")));
        rows.add(List.of("file transfer, " + size + ", offer (sender's SHA-256 first) → done", rates(pronto, true),
                baseline, String.format(Locale.ROOT, "%.2f×",
                        median(pronto.stream().map(Run::fromOfferMibPerSecond).toList()) / b), "context"));
        if (!hashed.isEmpty()) {
            double h = median(hashed.stream().map(Run::mibPerSecond).toList());
            rows.add(List.of("file transfer, " + size + ", accept → done", rates(pronto, false),
                    "bare TLS + SHA-256 on the fly at the receiver: " + rates(hashed, false),
                    String.format(Locale.ROOT, "%.2f×", p / h), "context: the floor with the hash Pronto checks"));
        }
        rows.add(List.of("file transfer, " + size + ": peak RSS during the transfers", memory(pronto),
                "bare: " + memory(bare), "—", "flat (a 256 KiB buffer whatever the size)"));
        rows.add(List.of("file transfer: CPU per GiB (median)", cpu(pronto), "bare: " + cpu(bare), "—", "context"));
        return rows;
    }
}
