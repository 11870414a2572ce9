package chat.pronto.bench;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import chat.pronto.testing.Scratch;

/**
 * Issue 13's benchmark suite in one run: Pronto's message figures next to their baselines measured in
 * the same run (raw TLS 1.3 with the same keys and framing; Prosody with two Smack clients), then the
 * many-peers, start-up and file-transfer benchmarks where their classes exist; prints every figure with its baseline
 * and the ratio and writes {@code target/bench/results.md}. Run it through {@code .bench/run}, which
 * puts it in a private network namespace. Not a test: it judges nothing in {@code mvn verify}; it
 * exits 1 only when a part could not run (so the smoke in CI notices a suite that rotted).
 *
 * <p>Flags: {@code --smoke} (tiny sizes), {@code --samples N} per latency (10,000), {@code --messages N}
 * per throughput run (20,000), {@code --first N} first messages (100), {@code --handshakes N} and
 * {@code --logins N} (200), {@code --only raw,prosody,pronto,first,peers,startup,files}, {@code --out FILE}.
 */
public final class Suite {
    /** The hook other benchmarks offer: rows (figure, Pronto, baseline, ratio, goal) for the main table. */
    static final String ROWS_HOOK = "suiteRows";
    private static final List<String> OTHERS = List.of("chat.pronto.bench.ManyPeersBenchmark",
            "chat.pronto.bench.StartupBenchmark", "chat.pronto.bench.FileTransferBenchmark");

    private int samples = 10_000;
    private int messages = 20_000;
    private int firsts = 100;
    private int handshakes = 200;
    private int logins = 200;
    private boolean smoke;
    private Set<String> only = Set.of("raw", "prosody", "pronto", "first", "peers", "startup", "files");
    private Path out = Path.of("target", "bench", "results.md");
    private final List<String> failures = new ArrayList<>();

    private interface Part {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Suite suite = new Suite();
        suite.parse(args);
        System.exit(suite.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> {
                    smoke = true;
                    samples = 200;
                    messages = 500;
                    firsts = 3;
                    handshakes = 20;
                    logins = 10;
                }
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--first" -> firsts = Integer.parseInt(args[++i]);
                case "--handshakes" -> handshakes = Integer.parseInt(args[++i]);
                case "--logins" -> logins = Integer.parseInt(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i] + " (see Suite's javadoc)");
            }
        }
    }

    private int run() throws Exception {
        MachineInfo machine = MachineInfo.current();
        String mode = String.format(Locale.ROOT, "%s: %,d samples per latency, %,d messages per throughput run, "
                        + "%,d first messages, %,d handshakes, %,d logins", smoke ? "smoke run (sizes too small to quote)"
                        : "full run", samples, messages, firsts, handshakes, logins);
        System.out.println("Pronto benchmark suite — " + mode);
        System.out.println(machine.describe());
        if (!PrivateNetwork.inside()) {
            System.err.println("The suite runs only inside a private network namespace: start it with .bench/run");
            return 1;
        }
        SuiteReport report = new SuiteReport(machine, mode);
        comparisons(report);

        String noLab = ProntoPath.unavailable();
        ProntoPath pronto = noLab == null ? ProntoPath.create() : null;
        try {
            if (pronto == null) {
                report.add(Figure.skipped("pronto.rtt", "Pronto: message → receipt", noLab));
            }
            // The same keys as Pronto's two processes when they exist, fresh ones otherwise.
            chat.pronto.security.Identity alice = pronto != null ? pronto.aliceKey()
                    : chat.pronto.security.Identity.generate(ProntoPath.ALICE);
            chat.pronto.security.Identity bob = pronto != null ? pronto.bobKey()
                    : chat.pronto.security.Identity.generate(ProntoPath.BOB);
            part("raw", "raw TLS 1.3 baselines",
                    () -> RawTlsBaseline.measure(report, alice, bob, samples, messages, handshakes));
            part("prosody", "the Prosody server path", () -> {
                ServerPath.measure(report, samples, messages, logins);
            });
            if (pronto != null) {
                part("pronto", "Pronto, open stream (two processes over a veth)",
                        () -> pronto.measureOpenStream(report, samples, messages));
                part("first", "Pronto, first message", () -> pronto.measureFirstMessage(report, firsts));
            }
        } finally {
            if (pronto != null) {
                pronto.close();
            }
        }
        report.note("Pronto's figures: two Pronto processes (the app, --console --machine) in two network namespaces "
                + "joined by a veth, timed from typing `msg` on alice's standard input to reading the message's "
                + "`delivered` line; the baselines run in this JVM on the 127.0.0.1 of the run's private namespace. "
                + "Pronto's JVM options: " + describe(ProntoPath.jvmOptions()) + ".");
        for (String name : OTHERS) {
            String key = name.contains("ManyPeers") ? "peers" : name.contains("FileTransfer") ? "files" : "startup";
            part(key, name, () -> other(report, name));
        }
        report.skipped().forEach(figure -> failures.add(figure.what() + ": " + figure.note()));
        failures.stream().distinct().forEach(failure -> report.note("**did not run**: " + failure));
        Path written = report.write(out);
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("written to " + written.toAbsolutePath());
        return failures.isEmpty() ? 0 : 1;
    }

    /** The lines of the main table, as the goals put them. */
    private static void comparisons(SuiteReport report) {
        report.compare(new SuiteReport.Comparison("message → receipt, open stream", "pronto.rtt", "prosody.rtt",
                "≤ 1× the Prosody path (p50)", (p, b) -> p.percentile(50) <= b.percentile(50)));
        report.compare(new SuiteReport.Comparison("message → receipt, open stream", "pronto.rtt", "tls.echo",
                "the floor: wire + TLS only", null));
        report.compare(new SuiteReport.Comparison("one stream, receipts, all delivered", "pronto.receipts",
                "prosody.receipts", "≥ 50,000 msg/s (about 7× the Prosody path)", (p, b) -> p.perSecond() >= 50_000));
        report.compare(new SuiteReport.Comparison("one stream, receipts, all delivered", "pronto.receipts",
                "tls.oneway", "≥ 0.2× raw TLS (a fifth)", (p, b) -> p.perSecond() >= 0.2 * b.perSecond()));
        report.compare(new SuiteReport.Comparison("one stream, receipts, all delivered", "pronto.receipts",
                "tls.receipts", "context: raw TLS with a receipt per message", null));
        report.compare(new SuiteReport.Comparison("first message to a peer with no stream", "pronto.first",
                "tls.handshake", "≤ 1.3× a bare JSSE handshake (p50)",
                (p, b) -> p.percentile(50) <= 1.3 * b.percentile(50)));
        report.compare(new SuiteReport.Comparison("first message to a peer with no stream", "pronto.first",
                "tls.resumed", "context: the same handshake resumed, as Pronto's second and later streams with a peer are", null));
        report.compare(new SuiteReport.Comparison("first message to a peer with no stream", "pronto.first",
                "prosody.login", "context: what a server-path client pays to log in", null));
    }

    private void part(String key, String what, Part body) {
        if (!only.contains(key)) {
            return;
        }
        System.out.println();
        System.out.println("== " + what);
        long start = System.nanoTime();
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            failures.add(what + ": " + e);
            e.printStackTrace();
            Scratch.keep(what + " failed"); // its labs' logs and the other benchmarks' output are what one reads next
        }
        System.out.printf(Locale.ROOT, "   (%.1f s)%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * Another benchmark of the issue: its rows through {@code public static List<List<String>>
     * suiteRows(boolean smoke)} when it offers that; otherwise, in a full run, its {@code main} in a
     * JVM of its own (bounded) with its output as a section of the results; skipped when absent.
     */
    private void other(SuiteReport report, String name) throws Exception {
        Class<?> type;
        try {
            type = Class.forName(name);
        } catch (ClassNotFoundException absent) {
            report.note(name + " is not on the class path yet: skipped");
            return;
        }
        Method hook = null;
        try {
            hook = type.getMethod(ROWS_HOOK, boolean.class);
        } catch (NoSuchMethodException none) {
            // then its main, below
        }
        if (hook != null) {
            @SuppressWarnings("unchecked")
            List<List<String>> rows = (List<List<String>>) hook.invoke(null, smoke);
            rows.forEach(report::handIn);
            rows.forEach(row -> System.out.println("  " + String.join(" | ", row)));
            return;
        }
        if (smoke) {
            report.note(name + " offers no " + ROWS_HOOK + "(boolean) hook: its main is not run in the smoke");
            return;
        }
        if (name.endsWith("StartupBenchmark") && !Files.isExecutable(Path.of("/opt/pronto/bin/pronto"))) {
            // It measures the installed app: without it there is nothing to launch.
            report.note(name + ": skipped, Pronto is not installed here (packaging/linux/build.sh, dpkg -i the "
                    + ".deb, then .bench/startup; see README, Start-up)");
            return;
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(Scratch.childOptions()); // its labs' files stay with ours when it fails
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), name));
        Path log = Scratch.directory("bench-").resolve(type.getSimpleName() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(45, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException(name + " ran longer than 45 minutes; its output: " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        report.section(type.getSimpleName() + " (its own output)", output);
        System.out.println(output);
        if (process.exitValue() != 0) {
            throw new IOException(name + " exited with " + process.exitValue() + "; its output: " + log);
        }
    }

    private static String describe(List<String> jvmOptions) {
        return jvmOptions.isEmpty() ? "the JVM's defaults"
                : "the installed app's (`packaging/jvm-options`: " + String.join(" ", jvmOptions) + ")";
    }
}
