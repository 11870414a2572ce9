package chat.pronto.lab;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import chat.pronto.testing.Scratch;

/** A Java main of this project run as its own process inside a lab host, with its output in a log file. */
public final class ProntoProcess {
    /** {@code -Dpronto.lab.jmdnsDebug=true} on the test command: lab processes log every record JmDNS handles. */
    public static final String JMDNS_DEBUG = "pronto.lab.jmdnsDebug";
    private final Process process;
    private final Path log;

    private ProntoProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ProntoProcess start(NetnsLab lab, NetnsLab.Host host, Class<?> main, List<String> args)
            throws IOException {
        return start(lab, host, main, args, List.of());
    }

    /** With these options for the new JVM (a flight recording, a heap size). */
    public static ProntoProcess start(NetnsLab lab, NetnsLab.Host host, Class<?> main, List<String> args,
                                      List<String> jvmOptions) throws IOException {
        List<String> command = javaCommand(main, args);
        command.addAll(1, jvmOptions);
        String name = main.getSimpleName() + "-" + System.nanoTime() + ".log";
        return new ProntoProcess(lab.start(host, name, Map.of(), command), host.directory().resolve(name));
    }

    /** The command line that runs {@code main} with {@code args} in a new JVM on this test's class path. */
    public static List<String> javaCommand(Class<?> main, List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-D" + JMDNS_DEBUG + "=" + Boolean.getBoolean(JMDNS_DEBUG)));
        // What it puts in the temporary folder (SQLite's native library, which a killed JVM leaves) goes with ours.
        command.addAll(Scratch.childOptions());
        // Extra JVM options for the lab's processes, for looking into one by hand (a JFR recording, say).
        String extra = System.getProperty("pronto.lab.javaOptions", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath(main), main.getName()));
        command.addAll(args);
        return command;
    }

    /** Surefire puts the test class path in java.class.path; exec:java keeps it in its class loader. */
    private static String classPath(Class<?> main) {
        if (main.getClassLoader() instanceof URLClassLoader loader) {
            List<String> paths = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    paths.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return String.join(File.pathSeparator, paths);
        }
        return System.getProperty("java.class.path");
    }

    /** The file its output goes to. */
    public Path log() {
        return log;
    }

    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    public List<String> lines() throws IOException {
        return output().lines().toList();
    }

    /** Sends one command line to its standard input. */
    public void tell(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    public Process process() {
        return process;
    }
}
