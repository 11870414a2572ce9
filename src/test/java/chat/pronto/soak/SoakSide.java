package chat.pronto.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import chat.pronto.lab.NetnsLab;

/**
 * One side of the soak (alice on host a) across all its restarts: starts, kills and quits its Pronto
 * on the same data folder, types each message into whichever process is alive (at most a window of
 * them unanswered), and knows whether that process sees the peer on the network.
 */
final class SoakSide implements RunningPronto.Output {
    /** What the side's processes say, with which side and generation said it. */
    interface Listener {
        void printed(SoakSide side, int generation, MachineLine line);

        void answered(SoakSide side, int generation, int sequence, String answer);

        void ended(SoakSide side, int generation, List<Integer> unanswered, int exitCode, boolean expected);
    }

    private final String name;
    private final String peer;
    private final NetnsLab lab;
    private final NetnsLab.Host host;
    private final Path dataDir;
    private final int window;
    private final boolean traffic;
    private final Listener listener;
    private final SoakClock clock;

    // Guarded by this.
    private RunningPronto current;
    private int generations;
    private boolean seesPeer;

    SoakSide(String name, String peer, NetnsLab lab, NetnsLab.Host host, int window, boolean traffic,
             Listener listener, SoakClock clock) {
        this.name = name;
        this.peer = peer;
        this.lab = lab;
        this.host = host;
        this.dataDir = host.directory().resolve("pronto");
        this.window = window;
        this.traffic = traffic;
        this.listener = listener;
        this.clock = clock;
    }

    String name() {
        return name;
    }

    String peer() {
        return peer;
    }

    NetnsLab.Host host() {
        return host;
    }

    Path history() {
        return dataDir.resolve("history.db");
    }

    /** Starts the next generation on the same data folder (the last one must have ended). */
    synchronized RunningPronto start() throws IOException {
        seesPeer = false;
        current = RunningPronto.start(lab, host, name, dataDir, ++generations, this, clock, traffic);
        notifyAll();
        return current;
    }

    synchronized RunningPronto current() {
        return current;
    }

    /** Whether the process now running has seen the peer on the network (and not lost it since). */
    synchronized boolean seesPeer() {
        return current != null && current.accepting() && seesPeer;
    }

    /**
     * Types message {@code sequence} into the process that is alive, waiting (at most {@code patience})
     * while none is, or while the window is full. Returns the generation it was typed into.
     */
    synchronized int type(int sequence, String text, Duration patience) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            RunningPronto process = current;
            if (process != null && process.accepting() && process.listening() && process.unansweredCount() < window) {
                try {
                    process.type(sequence, peer, text);
                    return process.generation();
                } catch (IOException gone) {
                    continue; // it just died: wait for the next one
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(name + " took no typing for " + patience.toSeconds() + " s");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * {@code kill -9} of the process now running; returns it once it is gone (bounded wait). Under the
     * side's lock, so that nothing is typed into it after the decision.
     */
    RunningPronto killHard() {
        RunningPronto victim;
        synchronized (this) {
            victim = current;
            victim.killHard();
        }
        victim.awaitExit(Duration.ofSeconds(10));
        return victim;
    }

    /**
     * Types {@code quit} into the process now running, after everything typed before it and before
     * anything else; {@link RunningPronto#awaitExit} then waits for it.
     */
    synchronized RunningPronto quit() {
        current.quit();
        return current;
    }

    /** Waits until every message typed into the running process has its answer. */
    synchronized boolean awaitAnswers(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (current == null || current.unansweredCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    // ---- what the processes say (their reader threads) -------------------------------------------------

    @Override
    public void printed(RunningPronto from, MachineLine line) {
        synchronized (this) {
            if (from == current && line.field(0).equals(peer)) {
                if (line.keyword().equals("contact")) {
                    seesPeer = !line.field(2).equals("offline");
                } else if (line.keyword().equals("gone")) {
                    seesPeer = false;
                }
            }
            notifyAll();
        }
        listener.printed(this, from.generation(), line);
    }

    @Override
    public void answered(RunningPronto from, int sequence, String answer) {
        synchronized (this) {
            notifyAll();
        }
        listener.answered(this, from.generation(), sequence, answer);
    }

    @Override
    public void ended(RunningPronto from, List<Integer> unanswered, int exitCode) {
        boolean expected = from.stoppedOnPurpose();
        synchronized (this) {
            notifyAll();
        }
        listener.ended(this, from.generation(), unanswered, exitCode, expected);
    }
}
