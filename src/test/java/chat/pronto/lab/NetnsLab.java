package chat.pronto.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hosts made of network namespaces, joined by a veth pair, that exist only inside the test's own
 * private namespace (../shared/NETWORK.md): real mDNS between real processes, and not one packet on
 * a real network. Needs root (CI runs as root); {@link #available()} says whether it can work here.
 */
public final class NetnsLab implements AutoCloseable {
    private static final AtomicInteger LABS = new AtomicInteger();

    /** One host: a namespace, its interface, its IPv4 and IPv6 (unique local) addresses. */
    public record Host(String namespace, String device, String address, String address6, Path directory) {
    }

    private final List<Host> hosts = new ArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Path directory;

    private NetnsLab(Path directory) {
        this.directory = directory;
    }

    /** True when namespaces can be made here (root, iproute2); the caller skips its test otherwise. */
    public static boolean available() {
        String probe = "pronto-probe-" + ProcessHandle.current().pid();
        try {
            if (run(List.of("ip", "netns", "add", probe)) != 0) {
                return false;
            }
            run(List.of("ip", "netns", "del", probe));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Two hosts, 10.77.0.1 / fd77::1 and 10.77.0.2 / fd77::2, on one link. */
    public static NetnsLab twoHosts() throws IOException {
        int lab = LABS.incrementAndGet();
        String prefix = "pronto-" + ProcessHandle.current().pid() + "-" + lab;
        NetnsLab created = new NetnsLab(Files.createTempDirectory(prefix));
        try {
            for (char side : new char[] {'a', 'b'}) {
                String namespace = prefix + "-" + side;
                Path home = Files.createDirectories(created.directory.resolve(String.valueOf(side)));
                int number = side - 'a' + 1;
                created.hosts.add(new Host(namespace, "lab-" + side, "10.77.0." + number, "fd77::" + number, home));
                must(List.of("ip", "netns", "add", namespace));
            }
            Host a = created.hosts.get(0);
            Host b = created.hosts.get(1);
            must(List.of("ip", "link", "add", a.device(), "netns", a.namespace(), "type", "veth", "peer", "name",
                    b.device(), "netns", b.namespace()));
            for (Host host : created.hosts) {
                must(List.of("ip", "-n", host.namespace(), "addr", "add", host.address() + "/24", "dev", host.device()));
                // nodad: usable at once, instead of after a second of duplicate-address detection
                must(List.of("ip", "-n", host.namespace(), "addr", "add", host.address6() + "/64", "dev", host.device(),
                        "nodad"));
                must(List.of("ip", "-n", host.namespace(), "link", "set", "lo", "up"));
                must(List.of("ip", "-n", host.namespace(), "link", "set", host.device(), "multicast", "on", "up"));
            }
            return created;
        } catch (IOException | RuntimeException e) {
            created.close();
            throw e;
        }
    }

    public Host host(int index) {
        return hosts.get(index);
    }

    /** Starts {@code command} inside {@code host}; output goes to {@code log} in the host's folder. */
    public Process start(Host host, String log, Map<String, String> environment, List<String> command)
            throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(host.directory().resolve(log).toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /**
     * Starts {@code command} inside {@code host} with its standard input and output as pipes for the
     * caller to write and read as it runs; standard error goes to {@code errorLog} in the host's folder.
     */
    public Process startPiped(Host host, String errorLog, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        full.addAll(command);
        Process process = new ProcessBuilder(full)
                .redirectError(host.directory().resolve(errorLog).toFile())
                .start();
        processes.add(process);
        return process;
    }

    /** Takes {@code host}'s end of the link down, or brings it up again: a cable pulled out and plugged back in. */
    public void setLink(Host host, boolean up) throws IOException {
        must(List.of("ip", "-n", host.namespace(), "link", "set", host.device(), up ? "up" : "down"));
    }

    /** Runs {@code command} inside {@code host} to the end (bounded) and returns what it printed. */
    public String run(Host host, Map<String, String> environment, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        String log = "run-" + System.nanoTime() + ".log";
        Process process = start(host, log, environment, command);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill(process);
        }
        return Files.readString(host.directory().resolve(log), StandardCharsets.UTF_8);
    }

    /** Stops a process and everything it started. */
    public static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        processes.forEach(NetnsLab::kill);
        for (Host host : hosts) {
            try {
                run(List.of("ip", "netns", "del", host.namespace()));
            } catch (IOException e) {
                // best effort: the namespace dies with the test's own namespace anyway
            }
        }
    }

    private static void must(List<String> command) throws IOException {
        if (run(command) != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    private static int run(List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
