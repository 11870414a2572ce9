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

import chat.pronto.testing.Scratch;

/**
 * Hosts made of network namespaces, joined by a veth pair or by a bridge, that exist only inside the
 * test's own private namespace (../shared/NETWORK.md): real mDNS between real processes, and not one
 * packet on a real network. Needs root (CI runs as root); {@link #available()} says whether it can
 * work here. Duplicate-address detection is off in every lab namespace, so IPv6 addresses (link-local
 * ones too) are usable at once.
 */
public final class NetnsLab implements AutoCloseable {
    private static final AtomicInteger LABS = new AtomicInteger();

    /** One interface of a host: its name, its IPv4 address (null when it has none) and its IPv6 address. */
    public record Leg(String device, String address, String address6) {
    }

    /** One host: a namespace, its interfaces (legs) and a folder for its files; the first leg is its main one. */
    public record Host(String namespace, Path directory, List<Leg> legs) {
        public Host {
            legs = List.copyOf(legs);
        }

        public String device() {
            return legs.get(0).device();
        }

        public String address() {
            return legs.get(0).address();
        }

        public String address6() {
            return legs.get(0).address6();
        }
    }

    private final List<Host> hosts = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Path directory;
    private final String prefix;

    private NetnsLab(String prefix) throws IOException {
        this.prefix = prefix;
        this.directory = Scratch.directoryNamed(prefix); // a short path: dbus and tmux put their sockets in it
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

    /** Two hosts on one veth link: 10.77.0.1 / fd77::1 (lab-a) and 10.77.0.2 / fd77::2 (lab-b), plus kernel link-local addresses. */
    public static NetnsLab twoHosts() throws IOException {
        return veth(false);
    }

    /**
     * Two hosts on one veth link that speak only IPv6 link-local: fe80::1 on lab-a and fe80::2 on lab-b,
     * no IPv4, no other IPv6 address. A peer is reachable only with the scope id of the interface.
     */
    public static NetnsLab twoHostsLinkLocalOnly() throws IOException {
        return veth(true);
    }

    private static NetnsLab veth(boolean linkLocalOnly) throws IOException {
        NetnsLab lab = new NetnsLab(newPrefix());
        try {
            Host a = lab.addHost('a', List.of(linkLocalOnly ? new Leg("lab-a", null, "fe80::1")
                    : new Leg("lab-a", "10.77.0.1", "fd77::1")));
            Host b = lab.addHost('b', List.of(linkLocalOnly ? new Leg("lab-b", null, "fe80::2")
                    : new Leg("lab-b", "10.77.0.2", "fd77::2")));
            must(List.of("ip", "link", "add", a.device(), "netns", a.namespace(), "type", "veth", "peer", "name",
                    b.device(), "netns", b.namespace()));
            for (Host host : lab.hosts) {
                lab.configure(host, host.legs().get(0), linkLocalOnly);
            }
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Hosts on one bridge (in a namespace of its own, multicast snooping off): host {@code i} gets
     * {@code legsPerHost[i]} veths into it, named {@code lab-a}, {@code lab-a1}…, with addresses
     * 10.77.0.N / fd77::N for its first leg and 10.77.0.(N+100·leg) / fd77::(N+100·leg) for the others,
     * N counting hosts from 1. Two legs of one host are two interfaces of one machine on one LAN
     * (wired and Wi-Fi).
     */
    public static NetnsLab bridged(int... legsPerHost) throws IOException {
        NetnsLab lab = new NetnsLab(newPrefix());
        try {
            String bridge = lab.prefix + "-br";
            lab.addNamespace(bridge);
            must(List.of("ip", "-n", bridge, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"));
            must(List.of("ip", "-n", bridge, "link", "set", "br0", "up"));
            for (int i = 0; i < legsPerHost.length; i++) {
                char side = (char) ('a' + i);
                int number = i + 1;
                List<Leg> legs = new ArrayList<>();
                for (int leg = 0; leg < legsPerHost[i]; leg++) {
                    int host = number + 100 * leg;
                    legs.add(new Leg("lab-" + side + (leg == 0 ? "" : Integer.toString(leg)), "10.77.0." + host,
                            "fd77::" + host));
                }
                Host host = lab.addHost(side, legs);
                for (int leg = 0; leg < legs.size(); leg++) {
                    String port = "br-" + side + leg;
                    must(List.of("ip", "link", "add", legs.get(leg).device(), "netns", host.namespace(), "type", "veth",
                            "peer", "name", port, "netns", bridge));
                    must(List.of("ip", "-n", bridge, "link", "set", port, "master", "br0"));
                    must(List.of("ip", "-n", bridge, "link", "set", port, "up"));
                    lab.configure(host, legs.get(leg), false);
                }
            }
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Two hosts on two subnets joined by a router namespace that forwards unicast but no multicast (as
     * routers do unless told otherwise): lab-a is 10.78.1.2 / fd78:1::2, lab-b is 10.78.2.2 / fd78:2::2,
     * each with its default route through the router (.1 / ::1 on its side). mDNS never crosses it.
     * The router itself is {@code host(2)} (10.78.1.1 and 10.78.2.1), for services of the network.
     */
    public static NetnsLab routed() throws IOException {
        NetnsLab lab = new NetnsLab(newPrefix());
        try {
            String router = lab.prefix + "-r";
            lab.addNamespace(router);
            must(List.of("ip", "-n", router, "link", "set", "lo", "up"));
            must(List.of("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
            must(List.of("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1"));
            for (int i = 0; i < 2; i++) {
                char side = (char) ('a' + i);
                int subnet = i + 1;
                Leg leg = new Leg("lab-" + side, "10.78." + subnet + ".2", "fd78:" + subnet + "::2");
                Host host = lab.addHost(side, List.of(leg));
                String port = "r-" + side;
                must(List.of("ip", "link", "add", leg.device(), "netns", host.namespace(), "type", "veth", "peer",
                        "name", port, "netns", router));
                must(List.of("ip", "-n", router, "addr", "add", "10.78." + subnet + ".1/24", "dev", port));
                must(List.of("ip", "-n", router, "addr", "add", "fd78:" + subnet + "::1/64", "dev", port, "nodad"));
                must(List.of("ip", "-n", router, "link", "set", port, "up"));
                lab.configure(host, leg, false);
                must(List.of("ip", "-n", host.namespace(), "route", "add", "default", "via", "10.78." + subnet + ".1"));
                must(List.of("ip", "-n", host.namespace(), "-6", "route", "add", "default", "via",
                        "fd78:" + subnet + "::1"));
            }
            // The router as host 2, to run the network's own services on (a DNS server, say).
            lab.hosts.add(new Host(router, Files.createDirectories(lab.directory.resolve("r")),
                    List.of(new Leg("r-a", "10.78.1.1", "fd78:1::1"), new Leg("r-b", "10.78.2.1", "fd78:2::1"))));
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private static String newPrefix() {
        return "pronto-" + ProcessHandle.current().pid() + "-" + LABS.incrementAndGet();
    }

    private Host addHost(char side, List<Leg> legs) throws IOException {
        String namespace = prefix + "-" + side;
        Host host = new Host(namespace, Files.createDirectories(directory.resolve(String.valueOf(side))), legs);
        addNamespace(namespace);
        hosts.add(host);
        must(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
        return host;
    }

    private void addNamespace(String namespace) throws IOException {
        must(List.of("ip", "netns", "add", namespace));
        namespaces.add(namespace);
        // No duplicate-address detection: link-local addresses are usable the moment the link is up.
        must(List.of("ip", "netns", "exec", namespace, "sh", "-c",
                "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad && echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad"));
    }

    /** Addresses on one leg, then up. {@code linkLocalOnly}: no kernel-made address, just the given fe80 one. */
    private void configure(Host host, Leg leg, boolean linkLocalOnly) throws IOException {
        String ns = host.namespace();
        if (linkLocalOnly) {
            must(List.of("ip", "-n", ns, "link", "set", leg.device(), "addrgenmode", "none"));
        }
        if (leg.address() != null) {
            must(List.of("ip", "-n", ns, "addr", "add", leg.address() + "/24", "dev", leg.device()));
        }
        must(List.of("ip", "-n", ns, "addr", "add", leg.address6() + "/64", "dev", leg.device(), "nodad"));
        must(List.of("ip", "-n", ns, "link", "set", leg.device(), "multicast", "on", "up"));
    }

    /** Where the hosts' files and logs are, to look at after a failure. */
    @Override
    public String toString() {
        return directory.toString();
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

    /** Runs {@code command} (a root tool such as nft or ip) inside {@code host}'s namespace; fails if it fails. */
    public void inHost(Host host, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        full.addAll(List.of(command));
        must(full);
    }

    /** Runs {@code command} inside the bridge's namespace of a {@link #bridged} lab (the access point, say). */
    public void inBridge(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-br"));
        full.addAll(List.of(command));
        must(full);
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
        for (String namespace : namespaces) {
            try {
                run(List.of("ip", "netns", "del", namespace));
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
