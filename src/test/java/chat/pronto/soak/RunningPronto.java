package chat.pronto.soak;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import chat.pronto.app.Main;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;
import chat.pronto.threads.Threads;

/**
 * One Pronto process ({@code --console --machine}) of a soak side, from start to exit: the
 * messages typed into it that it has not answered yet, and every line it prints, handed on as it
 * comes (and kept in a log with the soak's time).
 */
final class RunningPronto {
    /** What a process says, on its reader thread. */
    interface Output {
        void printed(RunningPronto from, MachineLine line);

        /** The console's answer to typed message {@code sequence}: {@code queued …} or why not. */
        void answered(RunningPronto from, int sequence, String answer);

        /** It exited (by itself or killed); {@code unanswered} were typed into it and never answered. */
        void ended(RunningPronto from, List<Integer> unanswered, int exitCode);
    }

    static final String LISTENING = "Pronto is listening as ";
    /** The console's answer to {@code tail on}: no answer to a typed message. */
    private static final String TAILING = "showing raw traffic";

    private final Process process;
    private final int generation;
    private final Output output;
    private final SoakClock clock;
    private final boolean traffic;
    private final CompletableFuture<String> listening = new CompletableFuture<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    /** Sequence numbers typed and not answered yet, in the order typed (the console answers in order). */
    private final Deque<Integer> unanswered = new ArrayDeque<>();
    private volatile boolean accepting = true;
    private volatile boolean stopped;
    private final long startedNanos = System.nanoTime();
    private volatile long listeningNanos;

    private RunningPronto(Process process, int generation, Output output, SoakClock clock, boolean traffic) {
        this.process = process;
        this.traffic = traffic;
        this.generation = generation;
        this.output = output;
        this.clock = clock;
    }

    /**
     * Starts generation {@code generation} of the side called {@code name}; its log is {@code name-gN.log}.
     * With {@code traffic}, the log also holds every stream's raw XML ({@code tail on}).
     */
    static RunningPronto start(NetnsLab lab, NetnsLab.Host host, String name, Path dataDir, int generation,
                               Output output, SoakClock clock, boolean traffic) throws IOException {
        String user = name.substring(0, name.indexOf('@'));
        List<String> command = ProntoProcess.javaCommand(Main.class, List.of("--console", "--machine", "--name", name,
                "--nick", user, "--interface", host.address(), "--bind", host.address(),
                "--data-dir", dataDir.toString()));
        String log = user + "-g" + generation;
        Process process = lab.startPiped(host, log + ".err", command);
        RunningPronto running = new RunningPronto(process, generation, output, clock, traffic);
        Path out = host.directory().resolve(log + ".log");
        Threads.start("pronto-soak-" + log, () -> running.read(out));
        return running;
    }

    int generation() {
        return generation;
    }

    long pid() {
        return process.pid();
    }

    /** Started, and said it listens (so it reads what is typed). */
    boolean listening() {
        return listening.isDone();
    }

    /** From the start of the process until it said it listens (JVM start, identity, history, mDNS). */
    Duration startToListening() {
        return Duration.ofNanos(listeningNanos - startedNanos);
    }

    /** Waits (bounded) until it listens; false if it did not in time or ended first. */
    boolean awaitListening(Duration bound) {
        try {
            listening.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception notInTime) {
            return false;
        }
    }

    /** Still takes typing: not killed, not told to quit, its input not broken. */
    boolean accepting() {
        return accepting && !exited.isDone();
    }

    /** Killed or told to quit by the soak (as opposed to ending by itself). */
    boolean stoppedOnPurpose() {
        return stopped;
    }

    synchronized int unansweredCount() {
        return unanswered.size();
    }

    /** Types {@code msg PEER TEXT} as message {@code sequence}; an IOException means the process is gone. */
    void type(int sequence, String peer, String text) throws IOException {
        synchronized (this) {
            unanswered.addLast(sequence);
        }
        try {
            write("msg " + peer + " " + text);
        } catch (IOException gone) {
            synchronized (this) {
                unanswered.removeLastOccurrence(sequence);
            }
            accepting = false;
            throw gone;
        }
    }

    /** Types {@code quit}: the ordinary way out (streams closed with the handshake, mDNS goodbyes). */
    void quit() {
        stopped = true;
        accepting = false;
        try {
            write("quit");
        } catch (IOException alreadyGone) {
            // then it has quit already
        }
    }

    /** {@code kill -9}. */
    void killHard() {
        stopped = true;
        accepting = false;
        process.destroyForcibly();
    }

    /** Waits (bounded) for the process to end and its last line to be read; false if it still runs. */
    boolean awaitExit(Duration bound) {
        try {
            exited.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception notInTime) {
            return false;
        }
    }

    /** Types {@code tail on} before anything else is typed (the console answers in order). */
    private void tail() {
        try {
            write("tail on");
        } catch (IOException gone) {
            // then it is gone before anything was typed
        }
    }

    private void write(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        synchronized (in) {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    private void read(Path log) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); BufferedWriter kept = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                kept.write(clock.now() + "\t" + line + "\n");
                kept.flush();
                handle(line);
            }
        } catch (IOException e) {
            // the pipe broke with the process: what was read is handled
        }
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        List<Integer> lost;
        synchronized (this) {
            lost = List.copyOf(unanswered);
            unanswered.clear();
        }
        accepting = false;
        listening.completeExceptionally(new IllegalStateException("ended with " + code + " before it listened"));
        output.ended(this, lost, code);
        exited.complete(code);
    }

    private void handle(String text) {
        if (text.startsWith(LISTENING)) {
            listeningNanos = System.nanoTime();
            if (traffic) {
                tail();
            }
            listening.complete(text);
        }
        MachineLine line = MachineLine.read(text);
        if (line.keyword().equals("info") && !line.field(0).equals(TAILING)) {
            Integer sequence;
            synchronized (this) {
                sequence = unanswered.pollFirst();
            }
            if (sequence != null) {
                output.answered(this, sequence, line.field(0));
                return;
            }
        }
        output.printed(this, line);
    }
}
