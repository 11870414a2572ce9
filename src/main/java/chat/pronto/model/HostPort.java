package chat.pronto.model;

import java.util.Locale;

/**
 * {@code HOST[:PORT]} as people type it: a host name, an IPv4 address, or an IPv6 address (in
 * brackets when a port follows, {@code [fd00::5]:5298}); the port defaults to XEP-0174's 5298.
 */
public record HostPort(String host, int port) {
    /** The port XEP-0174 suggests, and the one Pronto listens on when it is free. */
    public static final int DEFAULT_PORT = 5298;

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("no host given");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("the port must be between 1 and 65535, not " + port);
        }
    }

    /** Parses what the user typed; the message of the exception says what is wrong with it. */
    public static HostPort parse(String text) {
        return parse(text, DEFAULT_PORT);
    }

    /** As {@link #parse(String)}, with {@code defaultPort} where none is given (53 for a DNS server, say). */
    public static HostPort parse(String text, int defaultPort) {
        String typed = text == null ? "" : text.strip();
        if (typed.isEmpty()) {
            throw new IllegalArgumentException("type an address such as 192.168.1.20 or laptop.local:5298");
        }
        String host;
        String port = null;
        if (typed.startsWith("[")) {
            int close = typed.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("an IPv6 address opened with [ needs its closing ]");
            }
            host = typed.substring(1, close);
            String rest = typed.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("after ] only :PORT may follow, not " + rest);
                }
                port = rest.substring(1);
            }
        } else if (typed.indexOf(':') != typed.lastIndexOf(':')) {
            host = typed; // a bare IPv6 address: no port (it would be ambiguous)
        } else {
            int colon = typed.indexOf(':');
            host = colon < 0 ? typed : typed.substring(0, colon);
            port = colon < 0 ? null : typed.substring(colon + 1);
        }
        checkHost(host);
        return new HostPort(host.toLowerCase(Locale.ROOT), port == null ? defaultPort : parsePort(port));
    }

    private static int parsePort(String port) {
        if (!port.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("the port must be a number, not \"" + port + "\"");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65_535) {
            throw new IllegalArgumentException("the port must be between 1 and 65535, not " + value);
        }
        return value;
    }

    private static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host given");
        }
        if (host.contains(":")) {
            if (!host.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?")) {
                throw new IllegalArgumentException("not an IPv6 address: " + host);
            }
            return;
        }
        if (host.length() > 253 || !host.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?")) {
            throw new IllegalArgumentException("not a host name or address: " + host);
        }
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    public static String format(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return format(host, port);
    }
}
