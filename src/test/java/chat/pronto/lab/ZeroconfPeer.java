package chat.pronto.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * python-zeroconf (Debian's python3-zeroconf), an mDNS implementation independent of JmDNS and avahi,
 * as a peer in a lab host: it publishes one {@code _presence._tcp} service on the host's IPv4 address
 * and keeps it until the lab ends.
 */
public final class ZeroconfPeer {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String PUBLISH = String.join("\n",
            "import sys, time",
            "from zeroconf import Zeroconf, ServiceInfo, IPVersion",
            "name, port, address, txt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]",
            "zc = Zeroconf(interfaces=[address], ip_version=IPVersion.V4Only)",
            "properties = dict(entry.split('=', 1) for entry in txt) if txt else b''",
            "zc.register_service(ServiceInfo('_presence._tcp.local.', name + '._presence._tcp.local.', port=port,",
            "    properties=properties, server='zeroconf-peer.local.', parsed_addresses=[address]))",
            "print('registered', flush=True)",
            "while True:",
            "    time.sleep(60)");

    private ZeroconfPeer() {
    }

    public static boolean installed() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            return new ProcessBuilder(PYTHON.toString(), "-c", "import zeroconf").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * One responder publishing {@code count} peers, {@code userI@machineI}, each with a host name of its
     * own on the host's address and a XEP-0174 TXT record (names, status, message, port, caps). Its
     * output goes to {@code log} in the host's folder: {@code published COUNT} (with wall-clock
     * milliseconds in front) once all are announced.
     */
    public static Process publishMany(NetnsLab lab, NetnsLab.Host host, int count, String log) throws IOException {
        return publishMany(lab, host, count, 120, log);
    }

    /** As above, with the SRV and address records living {@code hostTtl} seconds (PTR and TXT 75 minutes). */
    public static Process publishMany(NetnsLab lab, NetnsLab.Host host, int count, int hostTtl, String log)
            throws IOException {
        return lab.start(host, log, Map.of(), List.of(PYTHON.toString(), script(host, "many_publish.py").toString(),
                host.address(), Integer.toString(count), Integer.toString(hostTtl)));
    }

    /**
     * A listener beside the host's other mDNS sockets that writes a line per packet on the link to
     * {@code log}: query or response, sender, counts by type, and the SRV names a response carried
     * ({@code mdns_tally.py}). It writes {@code listening} first.
     */
    public static Process tally(NetnsLab lab, NetnsLab.Host host, String log) throws IOException {
        return lab.start(host, log, Map.of(), List.of(PYTHON.toString(), script(host, "mdns_tally.py").toString(),
                host.address()));
    }

    private static Path script(NetnsLab.Host host, String name) throws IOException {
        Path script = host.directory().resolve(name);
        if (!Files.exists(script)) {
            try (java.io.InputStream in = ZeroconfPeer.class.getResourceAsStream("/chat/pronto/lab/" + name)) {
                Files.copy(in, script);
            }
        }
        return script;
    }

    /** Publishes {@code name} on {@code port} with these {@code key=value} TXT strings; none at all when empty. */
    public static Process publish(NetnsLab lab, NetnsLab.Host host, String name, int port, List<String> txt)
            throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(PYTHON.toString(), "-c", PUBLISH, name,
                Integer.toString(port), host.address()));
        command.addAll(txt);
        return lab.start(host, "zeroconf-" + System.nanoTime() + ".log", Map.of(), command);
    }
}
