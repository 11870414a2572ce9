package chat.pronto.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A private D-Bus daemon (system or session type) in a lab host, listening on a socket in the host's folder. */
final class DbusBus {
    private DbusBus() {
    }

    /**
     * Starts a bus of {@code type} ({@code system} or {@code session}) that lets everyone do
     * everything (it is reachable only inside the lab) and returns its address once the socket exists.
     */
    static String start(NetnsLab lab, NetnsLab.Host host, String type) throws IOException, InterruptedException {
        Path socket = host.directory().resolve(type + "-bus");
        Path config = host.directory().resolve(type + "-bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>%s</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow send_type="method_call"/>
                    <allow send_type="signal"/>
                    <allow send_type="method_return"/>
                    <allow send_type="error"/>
                    <allow receive_type="method_call"/>
                    <allow receive_type="signal"/>
                    <allow receive_type="method_return"/>
                    <allow receive_type="error"/>
                  </policy>
                </busconfig>
                """.formatted(type, socket), StandardCharsets.UTF_8);
        lab.start(host, type + "-bus.log", Map.of(),
                List.of("dbus-daemon", "--config-file=" + config, "--nofork", "--nopidfile"));
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(20); // readiness of a daemon we just started, bounded at 2 s
        }
        if (!Files.exists(socket)) {
            throw new IOException("the " + type + " bus did not start: " + Files.readString(
                    host.directory().resolve(type + "-bus.log")));
        }
        return "unix:path=" + socket;
    }
}
