package chat.pronto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TerminalConsoleTest {
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
}
