package chat.pronto.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/** The terminal console driven through its input, against a second real core on 127.0.0.1. */
class TerminalConsoleIT {
    private final FakeLink link = new FakeLink();
    private ChatCore alice;
    private ChatCore bob;

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    @Test
    void aScriptChatsSendsAHandTypedStanzaOverSeveralLinesAndRefusesBrokenOnes() throws Exception {
        alice = ChatCore.on(link, "alice@hosta").start();
        bob = ChatCore.on(link, "bob@hostb").start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TerminalConsole console = new TerminalConsole(alice.chat, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String script = String.join("\n",
                "tail on",
                "msg bob@hostb a normal message",
                "send bob@hostb <message type='chat' id='raw-1'>",
                "  <body>typed by hand</body>",
                "</message>",
                "send bob@hostb <message><body>broken</message>",
                "send bob@hostb <presence/><presence/>",
                "send bob@hostb <!DOCTYPE x [<!ENTITY e 'boom'>]><message><body>&e;</body></message>",
                "show bob@hostb",
                "quit") + "\n";

        assertTrue(console.run(new BufferedReader(new StringReader(script))), "quit ends the run");

        bob.events.awaitReceived("a normal message");
        bob.events.awaitReceived("typed by hand");
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("* sent to bob@hostb"), output);
        assertTrue(output.contains("* not sent: not well-formed") && output.contains("(line 1, column"), output);
        assertTrue(output.contains("* not sent: one stanza at a time"), output);
        assertTrue(output.contains("* not sent: a DTD is not allowed"), output);
        assertTrue(output.contains(">> bob@hostb <message") && output.contains("<< bob@hostb"), output);
        assertTrue(output.contains("  stream: ENCRYPTED") && output.contains("  addresses: 127.0.0.1"), output);
        assertTrue(bob.events.received().stream().noneMatch(m -> m.body().contains("boom") || m.body().contains("broken")));
    }

    @Test
    void machineLinesAreKeywordsAndTabSeparatedFieldsWithTabsAndLineBreaksEscaped() throws Exception {
        alice = ChatCore.on(link, "alice@hosta").start();
        bob = ChatCore.on(link, "bob@hostb").start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TerminalConsole console = new TerminalConsole(alice.chat, new PrintStream(printed, true, StandardCharsets.UTF_8),
                true);
        console.run(new BufferedReader(new StringReader("msg bob@hostb a\tb\nquit\n")));
        bob.events.awaitReceived("a\tb");
        bob.chat.send(alice.id(), "two\nlines").get();
        alice.events.awaitReceived("two\nlines");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            String output = printed.toString(StandardCharsets.UTF_8);
            return output.lines().anyMatch(line -> line.startsWith("state\tbob@hostb\tpronto-") && line.contains("\tdelivered"))
                    && output.lines().anyMatch(line -> line.startsWith("received\tbob@hostb\t") && line.endsWith("\ttwo\\nlines"));
        });
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.lines().anyMatch(line -> line.startsWith("queued\tbob@hostb\t") && line.endsWith("\ta\\tb")),
                output);
        assertTrue(output.lines().noneMatch(line -> line.startsWith("* ") || line.startsWith("> ")), output);
    }
}
