package chat.pronto.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

import chat.pronto.lab.NetnsLab;

/**
 * Launch → first painted frame with the people list, and the window process's memory, for the app as
 * installed (the jpackage launcher) or run from the class path. Each run starts Pronto in lab host A
 * (a network namespace whose only link is a veth to host B, so mDNS reaches nobody real) on an Xvfb
 * of its own, reads the line {@code PRONTO_STARTUP_REPORT=1} makes it print at its first frame, reads
 * its RSS then, and again once a peer — a second Pronto in host B — has seen it, sent it a message and
 * had it acknowledged (a TLS stream open, a message stored). Needs root; run through
 * {@code .bench/startup} (README, Benchmarks), which puts it in a private network namespace first.
 *
 * <p>Options: {@code --runs N} (10) {@code --warmup N} (1) {@code --app installed|classpath|PATH}
 * {@code --classpath CP} {@code --java-options "…"} (class path runs) {@code --env K=V} (repeatable; e.g.
 * {@code JAVA_TOOL_OPTIONS} for the launcher) {@code --peer false} {@code --fresh} (a new data folder each
 * run: the first start, key and database made) {@code --screenshot FILE.png} (the screen at the first
 * frame of the last variant's first measured run) {@code --label TEXT} {@code --variant LABEL=[@LAUNCHER ]JVM-OPTIONS} (repeatable: the
 * variants take turns run by run; for a launcher the options go in {@code JAVA_TOOL_OPTIONS}; {@code @LAUNCHER}
 * runs that launcher instead of {@code --app}'s, e.g. an older app image).
 */
public final class StartupBenchmark {
    private static final long FRAME_WAIT_MS = 60_000;
    private static final long PEER_WAIT_MS = 60_000;

    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> env = new ArrayList<>();
    /** Label → JVM options; the runs take turns, so a machine that gets busier hurts them all alike. */
    private final Map<String, String> variants = new LinkedHashMap<>();

    private StartupBenchmark(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String key = args[i].substring(2);
            if (key.equals("fresh")) {
                options.put(key, "true");
            } else if (key.equals("env")) {
                env.add(args[++i]);
            } else if (key.equals("variant")) {
                String variant = args[++i];
                variants.put(variant.substring(0, variant.indexOf('=')), variant.substring(variant.indexOf('=') + 1));
            } else {
                options.put(key, args[++i]);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        new StartupBenchmark(args).run();
        System.exit(0);
    }

    private String option(String key, String otherwise) {
        return options.getOrDefault(key, otherwise);
    }

    private void run() throws Exception {
        int runs = Integer.parseInt(option("runs", "10"));
        int warmup = Integer.parseInt(option("warmup", "1"));
        boolean withPeer = Boolean.parseBoolean(option("peer", "true"));
        boolean fresh = options.containsKey("fresh");
        if (variants.isEmpty()) {
            variants.put(option("label", option("app", "installed")), option("java-options", ""));
        }
        Map<String, Map<String, List<Long>>> samples = new LinkedHashMap<>();
        variants.keySet().forEach(label -> samples.put(label, new LinkedHashMap<>()));
        try (NetnsLab lab = NetnsLab.twoHosts()) {
            NetnsLab.Host a = lab.host(0);
            NetnsLab.Host b = lab.host(1);
            Path frames = Files.createDirectories(a.directory().resolve("xvfb"));
            Process xvfb = lab.startPiped(a, "xvfb.log", List.of("Xvfb", "-displayfd", "1", "-screen", "0",
                    "1280x800x24", "-nolisten", "tcp", "-fbdir", frames.toString()));
            String display = ":" + new BufferedReader(new InputStreamReader(xvfb.getInputStream(),
                    StandardCharsets.UTF_8)).readLine().strip();
            Lines peer = null;
            if (withPeer) {
                Process process = lab.startPiped(b, "peer.log", appCommand("classpath", "", List.of("--console",
                        "--machine", "--name", "bob@hostb", "--data-dir", b.directory().resolve("data").toString())));
                peer = new Lines(process);
                peer.await("Pronto is listening", PEER_WAIT_MS);
            }
            System.out.printf("app: %s; display %s; lab %s%n", String.join(" ", appCommand(option("app", "installed"), "",
                    List.of())), display, lab);
            for (int run = -warmup; run < runs; run++) {
              for (Map.Entry<String, String> variant : variants.entrySet()) {
                String label = variant.getKey();
                int index = variants.size() * (run + warmup) + new ArrayList<>(variants.keySet()).indexOf(label);
                String name = fresh ? "alice" + index + "@hosta" : "alice@hosta";
                // Each variant keeps its own data folder (an older build may refuse a history a newer one
                // migrated), with one key for all: the peer pins the first it sees and refuses any other.
                Path data = fresh ? a.directory().resolve("data-" + index) : variantData(a.directory(), label);
                if (!fresh) {
                    shareIdentity(a.directory(), label);
                }
                List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + a.namespace()));
                String app = option("app", "installed");
                String javaOptions = variant.getValue();
                if (javaOptions.startsWith("@")) { // @LAUNCHER OPTIONS: this variant runs another launcher
                    String[] parts = javaOptions.substring(1).split(" ", 2);
                    app = parts[0];
                    javaOptions = parts.length > 1 ? parts[1] : "";
                }
                // As from the desktop, without flags (the name is then login@host); --fresh needs a new name each run.
                command.addAll(appCommand(app, javaOptions, fresh ? List.of("--name", name) : List.of()));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                builder.environment().put("DISPLAY", display);
                builder.environment().put("XDG_DATA_HOME", data.toString());
                builder.environment().put("PRONTO_STARTUP_REPORT", "1");
                if (!app.equals("classpath") && !javaOptions.isBlank()) {
                    builder.environment().put("JAVA_TOOL_OPTIONS", javaOptions);
                }
                for (String pair : env) {
                    builder.environment().put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
                Xwd.ContentWatch screen = new Xwd.ContentWatch(frames.resolve("Xvfb_screen0"));
                if (peer != null) {
                    peer.drain(); // the last run's lines (its goodbye) must not pass for this run's
                }
                long launched = System.currentTimeMillis();
                Process pronto = builder.start();
                Lines out = new Lines(pronto);
                String[] line = out.await("startup\tfirst-frame\t", FRAME_WAIT_MS).split("\t");
                long read = System.currentTimeMillis();
                long frame = Long.parseLong(line[2]) - launched;
                long rssAtFrame = status(pronto.pid(), "VmRSS");
                long cpu = cpuMillis(pronto.pid());
                // What the first frame waited for (packages since 2026-12-04 print it right after the frame;
                // read after the figures at the frame, which an older package's wait here would skew).
                Optional<String> moments = out.nextIf("startup\tmoments", 2000);
                if (run >= 0 && moments.isPresent()) {
                    for (String moment : moments.get().split("\t")) {
                        int equals = moment.indexOf('=');
                        if (equals > 0) {
                            add(samples.get(label), "launch -> " + moment.substring(0, equals) + " (ms)",
                                    Long.parseLong(moment.substring(equals + 1)) - launched);
                        }
                    }
                }
                // The report says the frame is painted; the screen says when it shows (it can be later:
                // the report has been seen up to 170 ms before the window's white gave way to content).
                long shownDeadline = System.currentTimeMillis() + 10_000;
                while (screen.seenAt() < 0 && System.currentTimeMillis() < shownDeadline) {
                    Thread.sleep(5); // waiting for the watcher thread's sighting
                }
                screen.close();
                long shown = screen.seenAt() < 0 ? -1 : screen.seenAt() - launched;
                String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                if (run == 0 && options.containsKey("screenshot") && index % variants.size() == variants.size() - 1) {
                    Xwd.toPng(frames.resolve("Xvfb_screen0"), Path.of(options.get("screenshot")));
                }
                String peerPart = "";
                if (peer != null) {
                  try {
                    // The name it took: "Pronto is listening as NAME on port …" (login@host without --name).
                    String taken = out.await("Pronto is listening as ", PEER_WAIT_MS).split(" ")[4];
                    long listening = out.lastArrival();
                    // contact NAME DISPLAY-NAME STATUS …: the peer lists us once our advert reached it. A line
                    // from before we listened is about the last run's instance of the same name (its records
                    // still in the peer's cache), not about this one.
                    peer.await(seen -> seen.startsWith("contact\t" + taken + "\t")
                            && !seen.split("\t", -1)[3].equals("offline"), listening, PEER_WAIT_MS);
                    long listed = peer.lastArrival() - launched;
                    peer.tell("msg " + taken + " hello " + run);
                    String queued = peer.await("queued\t" + taken + "\t", PEER_WAIT_MS);
                    peer.await("state\t" + taken + "\t" + queued.split("\t")[2] + "\tdelivered", PEER_WAIT_MS);
                    long delivered = peer.lastArrival() - launched;
                    Thread.sleep(1000); // the message shown, the stream idle again
                    long rssPeer = status(pronto.pid(), "VmRSS");
                    long hwm = status(pronto.pid(), "VmHWM");
                    peerPart = String.format(Locale.ROOT, ", listed by the peer after %d ms, its message delivered"
                            + " after %d ms, with a peer %d MB (peak %d MB)", listed, delivered, rssPeer / 1024, hwm / 1024);
                    if (run >= 0) {
                        add(samples.get(label), "launch -> the peer lists us (ms)", listed);
                        add(samples.get(label), "launch -> the peer's first message delivered to us (ms)", delivered);
                        add(samples.get(label), "RSS with one peer, message received (MB)", rssPeer / 1024);
                        add(samples.get(label), "peak RSS (VmHWM) (MB)", hwm / 1024);
                    }
                  } catch (IllegalStateException e) {
                    peerPart = ", the peer's message was not delivered: " + e.getMessage();
                  }
                }
                System.out.printf(Locale.ROOT, "%s %s %d: first frame %d ms after launch (%s ms by the process's own"
                                + " clock; line read after %d ms; content on screen after %d ms), %d ms of CPU by then,"
                                + " load %s, RSS %d MB%s%n", label,
                        run < 0 ? "warm-up" : "run", run, frame, line[3], read - launched, shown, cpu, load, rssAtFrame / 1024,
                        peerPart);
                if (run >= 0) {
                    add(samples.get(label), "launch -> first frame with the people list (ms)", frame);
                    add(samples.get(label), "launch -> window content on screen (Xvfb's framebuffer) (ms)", shown);
                    add(samples.get(label), "CPU time (user + system) until then (ms)", cpu);
                    add(samples.get(label), "RSS at the first frame (MB)", rssAtFrame / 1024);
                }
                stop(pronto);
              }
            }
            if (peer != null) {
                peer.tell("quit");
            }
            NetnsLab.kill(xvfb);
        }
        samples.forEach((label, values) -> print(label, values, runs));
    }

    /** The command that starts Pronto: the installed launcher, this build on the class path, or a given launcher. */
    private List<String> appCommand(String app, String javaOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        if (app.equals("classpath")) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (!javaOptions.isBlank()) {
                command.addAll(Arrays.asList(javaOptions.strip().split("\\s+")));
            }
            command.addAll(List.of("-cp", option("classpath", System.getProperty("java.class.path")),
                    "chat.pronto.app.Main"));
        } else {
            command.add(app.equals("installed") ? "/opt/pronto/bin/pronto" : app);
        }
        command.addAll(args);
        return command;
    }

    /** Ends the app as a desktop session ends it (SIGTERM), then for sure. */
    private static void stop(Process app) throws InterruptedException {
        app.destroy();
        if (!app.waitFor(10, TimeUnit.SECONDS)) {
            app.destroyForcibly();
            app.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The processor time a process has used (user + system, all its threads), in ms: on a machine that
     * others keep busy, the wall time swings with them, this much less.
     */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // utime, stime in 1/100 s
    }

    /** A field of /proc/PID/status in KiB (VmRSS, VmHWM). */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** A variant's data folder (its XDG_DATA_HOME) in the lab host's folder. */
    private static Path variantData(Path lab, String label) {
        return lab.resolve("data-" + label);
    }

    /** Copies the key another variant made into {@code label}'s data folder, if it has none yet. */
    private void shareIdentity(Path lab, String label) throws IOException {
        Path mine = variantData(lab, label).resolve("pronto").resolve("identity.pem");
        if (Files.exists(mine)) {
            return;
        }
        for (String other : variants.keySet()) {
            Path theirs = variantData(lab, other).resolve("pronto").resolve("identity.pem");
            if (Files.exists(theirs)) {
                Files.createDirectories(mine.getParent());
                Files.copy(theirs, mine, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                return;
            }
        }
    }

    private static void add(Map<String, List<Long>> samples, String what, long value) {
        samples.computeIfAbsent(what, key -> new ArrayList<>()).add(value);
    }

    private void print(String label, Map<String, List<Long>> samples, int runs) {
        System.out.printf("%n%s (%s): %d runs (Java %s here, %d cores)%n%n", label, variants.get(label), runs, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("| what | median | p90 | min | max |");
        System.out.println("|---|---|---|---|---|");
        samples.forEach((what, values) -> System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", what,
                Samples.percentile(values, 50), Samples.percentile(values, 90),
                values.stream().mapToLong(Long::longValue).min().orElse(0),
                values.stream().mapToLong(Long::longValue).max().orElse(0)));
    }

    /** A process's output lines as they come, to wait for one. */
    private static final class Lines {
        private final Process process;
        /** A line and when it was read (ms since the epoch). */
        private record Read(String text, long at) {
        }

        private final BlockingDeque<Read> lines = new LinkedBlockingDeque<>();
        private volatile long lastArrival;

        Lines(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(new Read(line, System.currentTimeMillis()));
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "bench-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String await(String start, long millis) throws InterruptedException {
            return await(line -> line.startsWith(start), millis, "starting with '" + start + "'", 0);
        }

        /** The first wanted line read at or after {@code notBefore} (ms since the epoch). */
        String await(java.util.function.Predicate<String> wanted, long notBefore, long millis) throws InterruptedException {
            return await(wanted, millis, "as wanted, read after " + notBefore, notBefore);
        }

        /** When the line the last {@code await} returned was read (ms since the epoch). */
        long lastArrival() {
            return lastArrival;
        }

        /**
         * The next line if it comes within {@code millis} and starts with {@code start}; any other line
         * stays first in line for the next {@code await}.
         */
        Optional<String> nextIf(String start, long millis) throws InterruptedException {
            Read line = lines.poll(millis, TimeUnit.MILLISECONDS);
            if (line == null) {
                return Optional.empty();
            }
            if (line.text().startsWith(start)) {
                return Optional.of(line.text());
            }
            lines.offerFirst(line);
            return Optional.empty();
        }

        void drain() {
            lines.clear();
        }

        private String await(java.util.function.Predicate<String> wanted, long millis, String what, long notBefore)
                throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            List<String> seen = new ArrayList<>();
            while (System.currentTimeMillis() < deadline) {
                Read line = lines.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                if (line.at() >= notBefore && wanted.test(line.text())) {
                    lastArrival = line.at();
                    return line.text();
                }
                seen.add(line.text());
            }
            throw new IllegalStateException("no line " + what + " within " + millis + " ms; saw " + seen);
        }

        void tell(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }
    }
}
