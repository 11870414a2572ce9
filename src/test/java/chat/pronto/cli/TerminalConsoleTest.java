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
}
