package chat.pronto.cli;

import java.io.PrintStream;

/**
 * The terminal's lines, in the order they are printed. While a burst of events is being told (a flood
 * of messages brings three event lines each, and the answer to each {@code msg}), every line printed joins
 * it and they are written together when it ends: a write of the terminal per line cost 2–5 µs here
 * and woke whatever reads it, every time. Outside a burst a line is written at once.
 */
final class TerminalOutput {
    /** Held text is written when it grows past this, burst or not (a burst may last as long as a flood). */
    private static final int MOST_HELD = 16 * 1024;

    private final PrintStream out;
    // Guarded by this.
    private final StringBuilder held = new StringBuilder();
    private boolean inBurst;

    TerminalOutput(PrintStream out) {
        this.out = out;
    }

    /** An event is being told: from now until {@link #endBurst}, lines are held. */
    synchronized void beginBurst() {
        inBurst = true;
    }

    /** The burst's last event was told: what was held is written. */
    synchronized void endBurst() {
        inBurst = false;
        writeHeld();
        out.flush();
    }

    synchronized void println(String line) {
        print(line + System.lineSeparator());
    }

    synchronized void printf(String format, Object... args) {
        print(String.format(format, args));
    }

    synchronized void print(String text) {
        held.append(text);
        if (!inBurst || held.length() > MOST_HELD) {
            writeHeld();
            out.flush();
        }
    }

    private void writeHeld() {
        if (held.length() > 0) {
            out.print(held);
            held.setLength(0);
        }
    }
}
