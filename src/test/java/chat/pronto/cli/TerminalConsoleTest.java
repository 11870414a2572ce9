package chat.pronto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

import org.junit.jupiter.api.Test;

import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.testing.FakeChatService;
import chat.pronto.threads.Threads;

class TerminalConsoleTest {
    @Test
    void peersAndShowPrintWhatTheServiceAnswersFromItsOwnThread() {
        FakeChatService chat = new FakeChatService();
        chat.seen.put(PeerId.of("bob@teaparty"), FakeChatService.contact("bob@teaparty", "Bob", Status.AWAY, "at lunch",
                LinkSecurity.ENCRYPTED));
        ExecutorService presence = Threads.single("pronto-test-presence");
        chat.answerFrom = presence;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TerminalConsole console = new TerminalConsole(chat, new PrintStream(printed, true, StandardCharsets.UTF_8));

        console.execute("peers");
        console.execute("show bob@teaparty");
        console.execute("show nobody@nowhere");
        Threads.shutdown(presence, Duration.ofSeconds(2));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("bob@teaparty (Bob) AWAY \"at lunch\" link=ENCRYPTED"), output);
        assertTrue(output.contains("status=away msg=at lunch"), output);
        assertTrue(output.contains("* nobody@nowhere is not seen on the network"), output);
    }

    @Test
    void aLineBreakInAPeersTextCannotPoseAsAnotherLineOfOurs() {
        assertEquals("ok\n    | < boss@office: send me the password",
                TerminalConsole.clean("ok\r\n< boss@office: send me the password"));
    }

    @Test
    void terminalEscapeSequencesAreShownNotObeyed() {
        assertEquals("\\u001b[2Jcleared? \\u0007", TerminalConsole.clean("\u001b[2Jcleared? \u0007"));
        assertEquals("plain text, ünïcödé and 😀 stay", TerminalConsole.clean("plain text, ünïcödé and 😀 stay"));
    }

    /** --machine output is read by scripts in terminals too: an escape sequence from a peer stays text. */
    @Test
    void machineLinesEscapeControlCharactersNotOnlyTabsAndLineBreaks() {
        String line = MachineLines.line("received", "bob@hostb", "\u001b]0;owned\u0007\u001b[2Jhi\tthere\\u001b");
        assertEquals("received\tbob@hostb\t\\u001b]0;owned\\u0007\\u001b[2Jhi\\tthere\\\\u001b", line);
        assertTrue(line.chars().noneMatch(c -> c < 0x20 && c != '\t'), line);
    }

    @Test
    void aKeyChangeInAStrangeNameCannotDriveTheTerminal() {
        FakeChatService chat = new FakeChatService();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TerminalConsole console = new TerminalConsole(chat, new PrintStream(printed, true, StandardCharsets.UTF_8));
        chat.emit(new chat.pronto.session.ChatEvent.KeyChanged(PeerId.of("evil\u001b[2J@host"), "AAAA", "BBBB"));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("evil\\u001b[2J@host") && output.indexOf('\u001b') < 0, output);
    }

    @org.junit.jupiter.api.Test
    void argumentsSplitLikeAShellForTheSimpleCases() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("send-file", "bob@b", "my notes.txt", "a b", "c d", ""),
                Arguments.split("send-file  bob@b \"my notes.txt\" 'a b' c\\ d ''"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Arguments.split("a \"b"));
    }

    /** The log writes to standard output from any thread: a line it writes during a burst must not overtake the burst's. */
    @Test
    void whatOthersPrintToTheTerminalKeepsItsPlaceAmongTheConsolesLines() throws Exception {
        FakeChatService chat = new FakeChatService();
        CountedWrites terminal = new CountedWrites();
        TerminalConsole console = new TerminalConsole(chat, new PrintStream(terminal, true, StandardCharsets.UTF_8), true);
        PrintStream shared = console.sharedStream();
        shared.println("banner before");
        assertTrue(terminal.text().contains("banner before"), "outside a burst a line goes out at once");
        int writesBefore = terminal.writes;
        duringBurst(chat, () -> {
            // as logback's console appender writes: the encoded line's bytes in one write
            byte[] line = "12:00:00.000 INFO  [pronto-x] Log - a log line, ünïcödé\n".getBytes(StandardCharsets.UTF_8);
            onAnotherThread(() -> shared.write(line, 0, line.length));
            assertEquals(writesBefore, terminal.writes, "held until the burst ends");
        });

        chat.emitBurst(received(3));
        shared.printf("after %s%n", "the burst");

        String text = terminal.text();
        int m1 = text.indexOf("\tm1\t");
        int log = text.indexOf("a log line, ünïcödé");
        int m2 = text.indexOf("\tm2\t");
        int after = text.indexOf("after the burst");
        assertTrue(text.startsWith("banner before") && m1 >= 0 && log > m1 && m2 > log && after > m2, text);
    }

    /** A burst may last as long as a flood: what it holds is written once it passes 16 KiB, not kept. */
    @Test
    void aLongBurstIsWrittenAsItPassesSixteenKibibytes() throws Exception {
        FakeChatService chat = new FakeChatService();
        CountedWrites terminal = new CountedWrites();
        TerminalConsole console = new TerminalConsole(chat, new PrintStream(terminal, true, StandardCharsets.UTF_8), true);
        PrintStream shared = console.sharedStream();
        int[] lines = {100};
        int[] before = new int[1];
        int[] written = new int[1];
        duringBurst(chat, () -> {
            before[0] = terminal.text().length();
            for (int i = 0; i < lines[0]; i++) {
                shared.println("x".repeat(99)); // 100 bytes a line
            }
            written[0] = terminal.text().length() - before[0];
        });

        chat.emitBurst(received(3));
        assertEquals(0, before[0], "the burst's first lines are held");
        assertEquals(0, written[0], "10,000 bytes more are still held");

        lines[0] = 200;
        chat.emitBurst(received(3));
        assertTrue(written[0] > 16 * 1024 && written[0] < 20_000,
                "20,000 bytes more: written on the way once past 16 KiB, the rest held: " + written[0]);
        assertEquals(300, terminal.text().lines().filter(line -> line.matches("x{99}")).count(), "every line arrives");
    }

    /** Runs {@code during} when the burst's second message (m1) is told: in the middle of the burst. */
    private static void duringBurst(FakeChatService chat, Runnable during) {
        chat.addListener(event -> {
            if (event instanceof chat.pronto.session.ChatEvent.MessageAdded added && added.message().id().equals("m1")) {
                during.run();
            }
        });
    }

    /** Runs {@code work} on a thread of its own and waits for it (10 s at the most), as a command or the log would. */
    private static void onAnotherThread(Runnable work) {
        Thread other = new Thread(work);
        other.start();
        try {
            other.join(10_000);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(!other.isAlive(), "the other thread's print did not return");
    }

    /** Counts the writes that reach it: each is one write of the terminal. */
    private static final class CountedWrites extends java.io.OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;

        @Override
        public synchronized void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static java.util.List<chat.pronto.session.ChatEvent> received(int count) {
        java.util.List<chat.pronto.session.ChatEvent> burst = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            burst.add(new chat.pronto.session.ChatEvent.MessageAdded(chat.pronto.model.ChatMessage.incoming(
                    PeerId.of("bob@hostb"), "m" + i, "hello " + i, java.time.Instant.now())));
        }
        return burst;
    }

    /** A flood's lines reach the terminal in a few writes, not one (or two) per line, and all in order. */
    @Test
    void aBurstOfEventsIsWrittenInAFewWritesInOrder() {
        FakeChatService chat = new FakeChatService();
        CountedWrites terminal = new CountedWrites();
        new TerminalConsole(chat, new PrintStream(terminal, true, StandardCharsets.UTF_8), true);

        chat.emitBurst(received(200));

        String[] lines = terminal.text().split("\n");
        assertEquals(200, lines.length);
        for (int i = 0; i < 200; i++) {
            assertTrue(lines[i].startsWith("received\tbob@hostb\tm" + i + "\t"), lines[i]);
        }
        assertTrue(terminal.writes <= 4, terminal.writes + " writes for 200 lines");
    }

    /**
     * A line printed from another thread during a burst (a command's answer) joins it in its place:
     * after the burst's lines printed before it, before those printed after it.
     */
    @Test
    void aLinePrintedDuringABurstKeepsItsPlace() throws Exception {
        FakeChatService chat = new FakeChatService();
        CountedWrites terminal = new CountedWrites();
        TerminalConsole console = new TerminalConsole(chat, new PrintStream(terminal, true, StandardCharsets.UTF_8), true);
        java.util.List<chat.pronto.session.ChatEvent> burst = new java.util.ArrayList<>(received(3));
        duringBurst(chat, () -> {
            onAnotherThread(() -> console.execute("help"));
            assertEquals(0, terminal.writes, "held until the burst ends");
        });

        chat.emitBurst(burst);

        String text = terminal.text();
        int m1 = text.indexOf("\tm1\t");
        int help = text.indexOf("help, quit");
        int m2 = text.indexOf("\tm2\t");
        assertTrue(m1 >= 0 && help > m1 && m2 > help, text);
    }
}
