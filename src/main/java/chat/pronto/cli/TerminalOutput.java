package chat.pronto.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

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

    /**
     * A stream whose text joins these lines in order, held during a burst like them: for what others
     * print to standard output (the log, the launcher's own lines), which would otherwise overtake lines
     * held before them. Text is passed on a line at a time (or at a flush), decoded with {@code charset}.
     */
    PrintStream asStream(Charset charset) {
        return new PrintStream(new LineDecoder(charset), true, charset);
    }

    private void writeHeld() {
        if (held.length() > 0) {
            out.print(held);
            held.setLength(0);
        }
    }

    /** Bytes to text, whole lines at a time, so a character is never cut in two between writes. */
    private final class LineDecoder extends OutputStream {
        private final Charset charset;
        // Guarded by this.
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineDecoder(Charset charset) {
            this.charset = charset;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                pass();
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            line.write(bytes, offset, length);
            for (int i = offset + length - 1; i >= offset; i--) {
                if (bytes[i] == '\n') {
                    pass();
                    return;
                }
            }
        }

        @Override
        public synchronized void flush() {
            pass();
        }

        private void pass() {
            if (line.size() > 0) {
                String text = line.toString(charset);
                line.reset();
                print(text);
            }
        }
    }
}
