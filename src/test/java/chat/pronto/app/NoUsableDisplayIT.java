package chat.pronto.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.lab.ProntoProcess;

/**
 * Pronto started where a display is named but cannot be opened — an SSH session whose X forwarding has
 * ended, a display that is gone — or named as nothing ({@code DISPLAY=}): it runs in the terminal and
 * takes commands, as with no display at all. Before, JavaFX failed to start, the window's failure path
 * waited forever for that toolkit to exit, and the process sat there with no window and no console.
 * Runs the app as its own process in this test's private network namespace (loopback only).
 */
@EnabledOnOs(OS.LINUX) // elsewhere there is always a display (Main.hasDisplay)
class NoUsableDisplayIT {
    @TempDir
    Path data;

    @Test
    void aDisplayThatCannotBeOpenedMeansTheTerminal() throws Exception {
        String output = runWithDisplay(":8791"); // no X server has this number here

        assertTrue(output.contains("(the window could not open: "), output);
        assertTrue(output.contains("Pronto is listening as"), output);
        assertTrue(output.contains("(type help for commands)"), output);
    }

    @Test
    void anEmptyDisplayIsNoDisplay() throws Exception {
        String output = runWithDisplay("");

        assertTrue(output.contains("(no display found, so Pronto runs in the terminal"), output);
        assertTrue(output.contains("Pronto is listening as"), output);
    }

    /** Starts Pronto with {@code DISPLAY} set so, types {@code quit}, and returns all it printed once it ended. */
    private String runWithDisplay(String display) throws IOException, InterruptedException {
        Path log = data.resolve("out.log");
        ProcessBuilder builder = new ProcessBuilder(ProntoProcess.javaCommand(Main.class, List.of("--name", "ann@host",
                "--data-dir", data.resolve("data").toString(), "--port", "0", "--quit-at-end-of-input")))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DISPLAY", display);
        builder.environment().remove("WAYLAND_DISPLAY");
        Process pronto = builder.start();
        try {
            pronto.getOutputStream().write("quit\n".getBytes(StandardCharsets.UTF_8));
            pronto.getOutputStream().close();
            boolean ended = pronto.waitFor(90, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "Pronto ended after quit; it printed: " + output);
            assertEquals(0, pronto.exitValue(), output);
            return output;
        } finally {
            pronto.destroyForcibly();
        }
    }
}
