package chat.pronto.transfer;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A streamhost's address as the peer wrote it, read as an IP literal and never as a name: a peer
 * must not make us ask DNS anything, nor reach whatever a name of its choosing points to.
 * {@link InetAddress#getByName} looks up anything that is not exactly a literal ({@code 127.0.0.1.}
 * and {@code 1.2.3.4.5} go to the resolver), so IPv4 is parsed here and IPv6 is handed to the JDK
 * only in a form it reads as a literal or refuses.
 */
public final class IpLiterals {
    /** Four decimal parts of at most three digits each (their values are checked below). */
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Starts with a hex digit or a colon and holds a colon: the JDK parses it as IPv6 or throws, never looks it up. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]{1,64})?");

    private IpLiterals() {
    }

    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.length() > 128) {
            return Optional.empty();
        }
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int value = Integer.parseInt(parts[i]);
                    if (value > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) value;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            if (IPV6.matcher(text).matches()) {
                return Optional.of(InetAddress.getByName(text));
            }
        } catch (UnknownHostException notALiteral) {
            // an unknown zone, or not a valid IPv6 literal
        }
        return Optional.empty();
    }

    /**
     * A link-local IPv6 address without a zone (libpurple sends them so; a zone would be the sender's
     * interface name, meaningless here) gets the zone of {@code link}, the address our side
     * of the chat stream has on that link; anything else is returned as it is.
     */
    public static InetAddress onLink(InetAddress address, InetAddress link) {
        if (address instanceof Inet6Address v6 && v6.isLinkLocalAddress() && v6.getScopeId() == 0
                && link instanceof Inet6Address local && local.isLinkLocalAddress() && local.getScopeId() != 0) {
            try {
                return Inet6Address.getByAddress(null, v6.getAddress(), local.getScopeId());
            } catch (UnknownHostException cannot) {
                return address;
            }
        }
        return address;
    }

    /** How to name {@code address} to a peer: a link-local one without our zone (it is ours alone). */
    public static String forPeer(InetAddress address) {
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        return address instanceof Inet6Address v6 && v6.isLinkLocalAddress() && zone >= 0 ? text.substring(0, zone) : text;
    }
}
