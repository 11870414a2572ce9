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

    /** Files from the terminal: offered by one console, accepted by the other, both told in machine lines. */
    @Test
    void filesAreOfferedListedAcceptedAndReportedInMachineLines(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        alice = ChatCore.on(link, "alice@hosta").start();
        bob = ChatCore.on(link, "bob@hostb").start();
        java.nio.file.Path folder = java.nio.file.Files.createDirectories(dir.resolve("holiday pictures"));
        java.nio.file.Files.writeString(folder.resolve("one.txt"), "first");
        java.nio.file.Files.writeString(folder.resolve("two.txt"), "second");
        ByteArrayOutputStream alicePrinted = new ByteArrayOutputStream();
        TerminalConsole aliceConsole = new TerminalConsole(alice.chat,
                new PrintStream(alicePrinted, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream bobPrinted = new ByteArrayOutputStream();
        TerminalConsole bobConsole = new TerminalConsole(bob.chat, new PrintStream(bobPrinted, true, StandardCharsets.UTF_8),
                true);

        aliceConsole.run(new BufferedReader(new StringReader("send-file bob@hostb \"" + folder + "\"\nquit\n")));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).alias("two offers").until(() ->
                bobPrinted.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("transfer\t")
                        && line.contains("\tin\talice@hosta\t") && line.contains("\toffered\t")).count() == 2);
        java.util.List<String> ids = bobPrinted.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("\toffered\t")).map(line -> line.split("\t")[1]).distinct().toList();
        java.nio.file.Path into = dir.resolve("chosen");
        bobConsole.run(new BufferedReader(new StringReader("accept " + ids.get(0) + " " + into + "\naccept " + ids.get(1)
                + " " + into + "\nfiles\nquit\n")));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                java.nio.file.Files.exists(into.resolve("holiday pictures/one.txt"))
                        && java.nio.file.Files.exists(into.resolve("holiday pictures/two.txt"))
                        && bobPrinted.toString(StandardCharsets.UTF_8).lines()
                                .filter(line -> line.startsWith("transfer\t") && line.contains("\tdone\t")).count() == 2);
        assertTrue(java.nio.file.Files.readString(into.resolve("holiday pictures/two.txt")).equals("second"),
                "the folder's tree is kept");
        assertTrue(java.nio.file.Files.readString(into.resolve("holiday pictures/one.txt")).equals("first"));
        // The sender is done once the receiver's verdict is in; then its `files` lists it (indented lines).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            aliceConsole.run(new BufferedReader(new StringReader("files\nquit\n")));
            return alicePrinted.toString(StandardCharsets.UTF_8).lines()
                    .anyMatch(line -> line.startsWith("  ") && line.contains("holiday pictures/two.txt to bob@hostb: done"));
        });
        String output = alicePrinted.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("* offering holiday pictures/one.txt (5 bytes) to bob@hostb as "), output);
    }
}
