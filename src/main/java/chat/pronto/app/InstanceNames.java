package chat.pronto.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** The default {@code user@machine} instance name (XEP-0174): the login name and the host name. */
final class InstanceNames {
    private InstanceNames() {
    }

    static String defaultName() {
        String user = System.getProperty("user.name", "user").strip();
        return (user.isEmpty() ? "user" : user) + "@" + machine();
    }

    /** The host name cut at the first dot and limited to ASCII letters, digits and hyphens. */
    static String machine() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "machine");
        }
        String cleaned = host.split("\\.", 2)[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
                .replaceAll("^-+|-+$", "");
        return cleaned.isEmpty() ? "machine" : cleaned;
    }
}
