package chat.pronto.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.pronto.lab.InstalledJvm;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;
import chat.pronto.lab.ZeroconfPeer;

/**
 * Many peers on one link (issue 13): one python-zeroconf responder in lab host B publishes N
 * {@code _presence._tcp} services with XEP-0174 TXT records; once it has announced them all, Pronto's
 * presence service (a fresh JVM, {@link ManyPeersPronto}) and a python-zeroconf browser start side by
 * side in lab host A. For each N: the time from each one's start (and from the responder having
 * published) until all N are listed with their TXT record; then Pronto's CPU over two windows of 30 s of quiet, and
 * its heap after a full GC and RSS. A first row with no peers gives the memory baseline. Needs root
 * (it makes network namespaces; run it inside {@code unshare --net}). Not a test: README, Benchmarks.
 *
 * <p>Usage: {@code ManyPeersBenchmark [N…]} (default 100 500 1000 2000 5000). System properties:
 * {@code pronto.bench.waitSeconds} (how long to wait for all N, default 120), {@code pronto.bench.idleSeconds}
 * (default 30), {@code pronto.bench.jfr=DIR} (record Pronto's JVM with JFR's profile settings into DIR),
 * {@code pronto.bench.plainJvm=true} (run Pronto on the JVM's defaults instead of the installed app's
 * options, {@link InstalledJvm}: the collector and the compiler's thresholds weigh on the idle figure).
 */
public final class ManyPeersBenchmark {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long WAIT_MS = Long.getLong("pronto.bench.waitSeconds", 120) * 1000;
    private static final int IDLE_S = Integer.getInteger("pronto.bench.idleSeconds", 30);
    private static final String JFR_DIR = System.getProperty("pronto.bench.jfr");
    private static final boolean PLAIN_JVM = Boolean.getBoolean("pronto.bench.plainJvm");

    private record Row(int peers, long publishMs, Listing pronto, Listing python, String idle, String idleLater, long heap,
                       long rss) {
    }

    /** How far a client got: all {@code peers} listed {@code fromStartMs} after its start, or {@code reached} of them. */
    private record Listing(int reached, long fromStartMs, long fromPublishedMs) {
        String describe(int peers) {
            return reached == peers ? fromStartMs + " ms" : "**" + reached + " of " + peers + " after " + WAIT_MS / 1000 + " s**";
        }

        String fromPublished(int peers) {
            return reached == peers ? fromPublishedMs + " ms" : "—";
        }
    }

    private ManyPeersBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String arg : args) {
            counts.add(Integer.parseInt(arg));
        }
        if (counts.isEmpty()) {
            counts.addAll(List.of(100, 500, 1000, 2000, 5000));
        }
        long baseline = heapWithNobody();
        List<Row> rows = new ArrayList<>();
        for (int peers : counts) {
            Row row = run(peers);
            rows.add(row);
            System.err.println(row);
        }
        System.out.printf(Locale.ROOT, "%nmany peers on one link, %s, JDK %s, %d cores, Pronto's JVM: %s; heap with nobody listed: %.1f MB%n%n",
                java.time.LocalDate.now(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                PLAIN_JVM ? "the JVM's defaults" : "the installed app's options", baseline / 1e6);
        System.out.println("| peers | responder: publish | Pronto: start → all listed | published → all listed"
                + " | python-zeroconf: start → all listed | Pronto CPU, first " + IDLE_S + " s after | next " + IDLE_S
                + " s | heap after GC (per peer) | RSS |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %d | %d ms | %s | %s | %s | %s | %s | %.1f MB (%.1f KB) | %.0f MB |%n", row.peers(),
                    row.publishMs(), row.pronto().describe(row.peers()), row.pronto().fromPublished(row.peers()),
                    row.python().describe(row.peers()), row.idle(), row.idleLater(), row.heap() / 1e6,
                    (row.heap() - baseline) / 1e3 / row.peers(), row.rss() / 1e6);
        }
    }

    /** Pronto's heap after a full GC with its service started and nobody on the link. */
    private static long heapWithNobody() throws Exception {
        try (NetnsLab lab = NetnsLab.twoHosts()) {
            ProntoProcess pronto = startPronto(lab, 0);
            awaitLine(pronto.process(), logOf(pronto), "started", WAIT_MS);
            Thread.sleep(5000); // let the start settle: probing, announcing, the first queries
            tell(pronto.process(), "memory");
            Matcher memory = awaitLine(pronto.process(), logOf(pronto), "memory heap (\\d+) rss (\\d+)", WAIT_MS);
            return Long.parseLong(memory.group(1));
        }
    }

    private static Row run(int peers) throws Exception {
        try (NetnsLab lab = NetnsLab.twoHosts()) {
            NetnsLab.Host a = lab.host(0);
            NetnsLab.Host b = lab.host(1);
            Process responder = ZeroconfPeer.publishMany(lab, b, peers, "responder.log");
            Path responderLog = b.directory().resolve("responder.log");
            long publishing = time(awaitLine(responder, responderLog, "publishing", WAIT_MS));
            long published = time(awaitLine(responder, responderLog, "published " + peers, WAIT_MS));

            Process browser = lab.start(a, "browser.log", Map.of(), List.of(PYTHON.toString(),
                    script(a, "many_browse.py").toString(), a.address(), Integer.toString(peers)));
            ProntoProcess pronto = startPronto(lab, peers);
            Path browserLog = a.directory().resolve("browser.log");

            Listing prontoListing = listing(pronto.process(), logOf(pronto), "listed", peers, published);
            Listing pythonListing = listing(browser, browserLog, "resolved", peers, published);
            System.err.println(peers + " peers: host A's UDP counters: " + udpCounters(lab, a));
            // Per socket: skmem's d field counts what the kernel dropped for that socket (its buffer full).
            System.err.println(lab.run(a, Map.of(), java.time.Duration.ofSeconds(10), List.of("ss", "-uanmp")));
            Files.readString(logOf(pronto)).lines().filter(line -> line.contains(" listed ") || line.contains(" started")).forEach(line ->
                    System.err.println(peers + " peers: " + line));
            NetnsLab.kill(browser);

            String idle = idle(pronto, 1);
            String idleLater = idle(pronto, 2);
            tell(pronto.process(), "memory");
            Matcher memory = awaitLine(pronto.process(), logOf(pronto), "memory heap (\\d+) rss (\\d+)", WAIT_MS);
            Files.readString(logOf(pronto)).lines().filter(line -> line.contains(" idle ")).forEach(line ->
                    System.err.println(peers + " peers: " + line));
            tell(pronto.process(), "quit");
            pronto.process().waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
            return new Row(peers, published - publishing, prontoListing, pythonListing, idle + " %", idleLater + " %",
                    Long.parseLong(memory.group(1)), Long.parseLong(memory.group(2)));
        }
    }

    /** Pronto's CPU over the {@code nth} window of {@link #IDLE_S} after all were listed, as a share of one core. */
    private static String idle(ProntoProcess pronto, int nth) throws Exception {
        tell(pronto.process(), "idle " + IDLE_S);
        long deadline = System.currentTimeMillis() + WAIT_MS + IDLE_S * 1000L;
        Pattern idle = Pattern.compile("^\\d+ idle (\\S+)", Pattern.MULTILINE);
        while (System.currentTimeMillis() < deadline) {
            List<String> found = idle.matcher(Files.readString(logOf(pronto))).results().map(m -> m.group(1)).toList();
            if (found.size() >= nth) {
                return found.get(nth - 1);
            }
            Thread.sleep(100); // polling a log file written by another process
        }
        throw new IOException("no idle figure from Pronto: " + logOf(pronto));
    }

    private static ProntoProcess startPronto(NetnsLab lab, int peers) throws IOException {
        NetnsLab.Host a = lab.host(0);
        List<String> jvm = new ArrayList<>(PLAIN_JVM ? List.of() : InstalledJvm.options());
        if (JFR_DIR != null) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(JFR_DIR).toAbsolutePath()
                    .resolve("pronto-" + peers + ".jfr"));
        }
        return ProntoProcess.start(lab, a, ManyPeersPronto.class, List.of(a.address(), Integer.toString(peers)), jvm);
    }

    /** Waits for a client to list all {@code peers} (or for the time to run out): how far it got, and when. */
    private static Listing listing(Process process, Path log, String word, int peers, long published) throws Exception {
        long started = time(awaitLine(process, log, "started", WAIT_MS));
        long deadline = started + WAIT_MS;
        Pattern pattern = Pattern.compile("^(\\d+) " + word + " (\\d+)$", Pattern.MULTILINE);
        int reached = 0;
        long at = 0;
        while (true) {
            Matcher matcher = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
            while (matcher.find()) {
                reached = Math.max(reached, Integer.parseInt(matcher.group(2)));
                at = Long.parseLong(matcher.group(1));
            }
            if (reached >= peers || System.currentTimeMillis() > deadline || !process.isAlive()) {
                return new Listing(reached, at - started, at - published);
            }
            Thread.sleep(20); // polling a log file written by another process
        }
    }

    /** Host A's UDP counters from /proc/net/snmp (datagrams in, receive-buffer drops…): lost answers show here. */
    private static String udpCounters(NetnsLab lab, NetnsLab.Host host) throws Exception {
        List<String> udp = lab.run(host, Map.of(), java.time.Duration.ofSeconds(10), List.of("cat", "/proc/net/snmp"))
                .lines().filter(line -> line.startsWith("Udp:")).toList();
        if (udp.size() < 2) {
            return "unreadable";
        }
        String[] names = udp.get(0).split("\\s+");
        String[] values = udp.get(1).split("\\s+");
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < Math.min(names.length, values.length); i++) {
            out.append(names[i]).append('=').append(values[i]).append(' ');
        }
        return out.toString().trim();
    }

    private static Path script(NetnsLab.Host host, String name) throws IOException {
        Path script = host.directory().resolve(name);
        if (!Files.exists(script)) {
            try (InputStream in = ManyPeersBenchmark.class.getResourceAsStream("/chat/pronto/bench/" + name)) {
                Files.copy(in, script);
            }
        }
        return script;
    }

    private static Path logOf(ProntoProcess pronto) {
        return pronto.log();
    }

    private static long time(Matcher matcher) {
        return Long.parseLong(matcher.group().split(" ", 2)[0]);
    }

    private static void tell(Process process, String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The first line of {@code log} matching {@code regex} after the wall-clock time, as a matcher on that line. */
    private static Matcher awaitLine(Process process, Path log, String regex, long waitMs) throws Exception {
        Pattern pattern = Pattern.compile("^\\d+ " + regex);
        long deadline = System.currentTimeMillis() + waitMs;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log)) {
                Optional<Matcher> found = Files.readString(log).lines().map(pattern::matcher).filter(Matcher::find)
                        .findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            if (!process.isAlive()) {
                throw new IOException("ended without '" + regex + "': " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(20); // polling a log file written by another process
        }
        throw new IOException("no '" + regex + "' within " + waitMs + " ms in " + log);
    }
}
