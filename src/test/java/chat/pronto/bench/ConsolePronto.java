package chat.pronto.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import chat.pronto.app.Main;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;
import chat.pronto.threads.Threads;

/**
 * One real Pronto process ({@code --console --machine}) on a lab host, driven as a script drives it:
 * commands typed on its standard input, its tab-separated event lines read as they come, each with
 * the moment it was read (System.nanoTime of this JVM, the clock the typing is timed on).
 */
final class ConsolePronto implements AutoCloseable {
    /** A delivery-state line: which message, and when it was read. */
    record Delivered(String id, long readNanos) {
    }

    private final Process process;
    private final String name;
    private final CompletableFuture<Void> listening = new CompletableFuture<>();
    /** The console's answers to {@code msg}, in typing order: the new message's id. */
    private final BlockingQueue<String> queued = new LinkedBlockingQueue<>();
    private final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
    private final Map<String, String> links = new ConcurrentHashMap<>();
    private final AtomicInteger deliveredCount = new AtomicInteger();
    private final AtomicLong lastDeliveredNanos = new AtomicLong();
    private final List<String> problems = new ArrayList<>();
    private volatile boolean countOnly;
    /** Sees every line as it is read (for tracing a run by hand), or null. */
    volatile java.util.function.BiConsumer<String, Long> trace;
    /** Sees every line as it is read too: a benchmark waiting for lines of its own (transfers), or null. */
    volatile java.util.function.BiConsumer<String, Long> watch;

    private ConsolePronto(Process process, String name) {
        this.process = process;
        this.name = name;
    }

    /** Starts {@code name} (user@machine) on {@code host} with its data in {@code data}; {@code extra} flags after. */
    static ConsolePronto start(NetnsLab lab, NetnsLab.Host host, String name, Path data, List<String> extra)
            throws IOException {
        return start(lab, host, name, data, extra, List.of());
    }

    /** With these options for its JVM (a flight recording, say). */
    static ConsolePronto start(NetnsLab lab, NetnsLab.Host host, String name, Path data, List<String> extra,
                               List<String> jvmOptions) throws IOException {
        List<String> args = new ArrayList<>(List.of("--console", "--machine", "--name", name,
                "--nick", name.substring(0, name.indexOf('@')), "--interface", host.address(), "--bind", host.address(),
                "--data-dir", data.toString()));
        args.addAll(extra);
        List<String> command = new ArrayList<>(ProntoProcess.javaCommand(Main.class, args));
        command.addAll(1, jvmOptions);
        Process process = lab.startPiped(host, name + "-" + System.nanoTime() + ".err", command);
        ConsolePronto pronto = new ConsolePronto(process, name);
        Threads.start("pronto-bench-console-" + name.substring(0, name.indexOf('@')), pronto::read);
        return pronto;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                long now = System.nanoTime();
                var tracer = trace;
                if (tracer != null) {
                    tracer.accept(line, now);
                }
                var watcher = watch;
                if (watcher != null) {
                    watcher.accept(line, now);
                }
                handle(line, now);
            }
        } catch (IOException gone) {
            // the process ended
        }
        listening.completeExceptionally(new IllegalStateException(name + " ended"));
    }

    private void handle(String line, long now) {
        if (line.startsWith("Pronto is listening as ")) {
            listening.complete(null);
            return;
        }
        String[] fields = line.split("\t", -1);
        switch (fields[0]) {
            case "state" -> {
                if (fields.length > 3 && fields[3].equals("delivered")) {
                    deliveredCount.incrementAndGet();
                    lastDeliveredNanos.set(now);
                    if (!countOnly) {
                        delivered.add(new Delivered(fields[2], now));
                    }
                } else if (fields.length > 3 && fields[3].equals("failed")) {
                    problem(line);
                }
            }
            case "info" -> {
                if (fields.length > 1 && fields[1].startsWith("queued ")) {
                    String[] words = fields[1].split(" ");
                    queued.add(words[words.length - 1]);
                } else if (fields.length > 1 && !fields[1].startsWith("queued")) {
                    problem(line);
                }
            }
            case "contact" -> {
                if (fields.length > 5) {
                    links.put(fields[1], fields[5]);
                }
            }
            case "unreachable", "notice" -> problem(line);
            default -> {
                // received, queued (the event), typing: not needed for the figures
            }
        }
    }

    private synchronized void problem(String line) {
        if (problems.size() < 20) {
            problems.add(line);
        }
    }

    /** The process's id: {@code ip netns exec} execs the JVM, so this is the JVM's own (its /proc entry). */
    long pid() {
        return process.pid();
    }

    /** The processor time the process has used so far (user and system, every thread), in nanoseconds. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid()));
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    void awaitListening(long seconds) throws Exception {
        listening.get(seconds, TimeUnit.SECONDS);
    }

    /** Waits until {@code peer} is listed (its advert resolved) with the given link, e.g. NONE or ENCRYPTED. */
    boolean awaitLink(String peer, String link, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (link.equals(links.get(peer))) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        return false;
    }

    /**
     * Waits until both are listening and list each other, then has each write to the other once (no
     * stranger allowance caps what follows, and the chat stream is open); closes both on failure.
     */
    static void meet(NetnsLab lab, ConsolePronto alice, String aliceName, ConsolePronto bob, String bobName)
            throws Exception {
        try {
            alice.awaitListening(120);
            bob.awaitListening(120);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!(alice.listed(bobName) && bob.listed(aliceName))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the two Pronto processes did not list each other within 60 s"
                            + " (lab files: " + lab + ")");
                }
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(10);
            }
            bob.roundTrip(aliceName, "hello", 60);
            alice.roundTrip(bobName, "hello", 60);
        } catch (Exception e) {
            alice.close();
            bob.close();
            throw e;
        }
    }

    boolean listed(String peer) {
        return links.containsKey(peer);
    }

    /** Types {@code msg PEER TEXT}. */
    void type(String peer, String text) throws IOException {
        write("msg " + peer + " " + text);
    }

    void write(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Types one message and waits for its receipt: from typing to reading its {@code delivered} line. */
    long roundTrip(String peer, String text, long timeoutSeconds) throws Exception {
        delivered.clear();
        long start = System.nanoTime();
        type(peer, text);
        String id = queued.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (id == null) {
            throw new IllegalStateException(name + " did not take the message: " + problems());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            Delivered next = delivered.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new IllegalStateException("no receipt for " + id + " within " + timeoutSeconds + " s: " + problems());
            }
            if (next.id().equals(id)) {
                return next.readNanos() - start;
            }
        }
    }

    /** Only counts delivered lines from now on (a burst), instead of keeping each. */
    void countOnly(boolean only) {
        countOnly = only;
        delivered.clear();
        queued.clear();
    }

    int deliveredCount() {
        return deliveredCount.get();
    }

    long lastDeliveredNanos() {
        return lastDeliveredNanos.get();
    }

    int queuedCount() {
        return queued.size();
    }

    /** Types {@code quit} and waits (bounded) for the process to end; kills it otherwise. */
    @Override
    public void close() {
        try {
            write("quit");
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                NetnsLab.kill(process);
            }
        } catch (IOException | InterruptedException e) {
            NetnsLab.kill(process);
        }
    }
}
