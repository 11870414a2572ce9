package chat.pronto.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Linux mDNS responder as a real peer inside one lab host: a private D-Bus system bus and an
 * avahi-daemon restricted to the host's interface, with its own tmpfs on /run (two daemons would
 * otherwise share /run/avahi-daemon).
 */
public final class Avahi {
    private final NetnsLab lab;
    private final NetnsLab.Host host;
    private final Map<String, String> bus;

    private Avahi(NetnsLab lab, NetnsLab.Host host, String busAddress) {
        this.lab = lab;
        this.host = host;
        this.bus = Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
    }

    /** The D-Bus address avahi's clients (avahi-publish, finch) use in this host. */
    public String busAddress() {
        return bus.get("DBUS_SYSTEM_BUS_ADDRESS");
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/avahi-daemon")) && Files.isExecutable(Path.of("/usr/bin/avahi-browse"))
                && Files.isExecutable(Path.of("/usr/bin/dbus-daemon"));
    }

    /** Starts D-Bus and avahi-daemon in {@code host} as {@code hostName}.local and waits until avahi answers. */
    public static Avahi start(NetnsLab lab, NetnsLab.Host host, String hostName)
            throws IOException, InterruptedException {
        Path dir = host.directory();
        String bus = DbusBus.start(lab, host, "system");
        Files.writeString(dir.resolve("avahi.conf"), """
                [server]
                host-name=%s
                use-ipv4=yes
                use-ipv6=yes
                allow-interfaces=%s
                enable-dbus=yes
                ratelimit-interval-usec=0
                [wide-area]
                enable-wide-area=no
                [publish]
                publish-workstation=no
                publish-hinfo=no
                """.formatted(hostName, host.device()), StandardCharsets.UTF_8);
        String script = String.join("\n",
                "mount -t tmpfs tmpfs /run",
                "mkdir -p /run/avahi-daemon",
                "exec avahi-daemon -f " + dir.resolve("avahi.conf") + " --no-chroot --no-drop-root --no-rlimits");
        Avahi avahi = new Avahi(lab, host, bus);
        lab.start(host, "avahi.log", avahi.bus, List.of("sh", "-c", script));
        for (int i = 0; i < 100; i++) {
            if (Files.readString(dir.resolve("avahi.log")).contains("Server startup complete")) {
                return avahi;
            }
            Thread.sleep(50);
        }
        throw new IOException("avahi did not start: " + Files.readString(dir.resolve("avahi.log")));
    }

    /** {@code avahi-publish -s NAME _presence._tcp PORT TXT…}; the returned process keeps the record alive. */
    public Process publish(String name, int port, List<String> txt) throws IOException {
        List<String> command = new ArrayList<>(List.of("avahi-publish", "-s", name, "_presence._tcp",
                Integer.toString(port)));
        command.addAll(txt);
        return lab.start(host, "publish-" + System.nanoTime() + ".log", bus, command);
    }

    /**
     * Publishes {@code name} with {@code picture} as avahi's clients (libpurple, Salut) do, over D-Bus:
     * its SHA-1 as {@code phsh} and its bytes in a NULL record on the instance name. The returned
     * process keeps them alive; its log says {@code published SHA1 LENGTH} once they are committed.
     */
    public Process publishPicture(String name, int port, byte[] picture) throws IOException {
        Path file = host.directory().resolve("picture-" + System.nanoTime() + ".bin");
        Files.write(file, picture);
        return lab.start(host, "publish-picture-" + System.nanoTime() + ".log", bus,
                List.of("/usr/bin/python3", pictureScript().toString(), "publish", name, file.toString(),
                        Integer.toString(port)));
    }

    /**
     * Browses for {@code name}'s NULL record with avahi's record browser, as libpurple fetches a buddy
     * icon; the log (returned) gets {@code picture SHA1 LENGTH} for every record avahi reports.
     */
    public Path fetchPicture(String name) throws IOException {
        String log = "fetch-picture-" + System.nanoTime() + ".log";
        lab.start(host, log, bus, List.of("/usr/bin/python3", pictureScript().toString(), "fetch", name));
        return host.directory().resolve(log);
    }

    private Path pictureScript() throws IOException {
        Path script = host.directory().resolve("avahi-picture.py");
        if (!Files.exists(script)) {
            try (java.io.InputStream in = Avahi.class.getResourceAsStream("/chat/pronto/lab/avahi-picture.py")) {
                Files.copy(in, script);
            }
        }
        return script;
    }

    /** Whether the Python D-Bus and GLib bindings the picture script needs are there. */
    public static boolean canScriptPictures() {
        try {
            Process check = new ProcessBuilder("/usr/bin/python3", "-c",
                    "import dbus, dbus.mainloop.glib; from gi.repository import GLib").start();
            return check.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code avahi-browse -p _presence._tcp} left running: a client browsing, as Pidgin does, until the process is stopped. */
    public Process browseLive() throws IOException {
        return lab.start(host, "browse-" + System.nanoTime() + ".log", bus,
                List.of("avahi-browse", "--parsable", "--no-db-lookup", "_presence._tcp"));
    }

    /** {@code avahi-browse -r -p -t _presence._tcp}: the resolved lines ({@code =;…}) avahi has now. */
    public List<String> browse() throws IOException, InterruptedException {
        String out = lab.run(host, bus, Duration.ofSeconds(5),
                List.of("avahi-browse", "--resolve", "--parsable", "--terminate", "--no-db-lookup", "_presence._tcp"));
        return out.lines().filter(line -> line.startsWith("=;")).toList();
    }
}
