package chat.pronto.stream;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Which host a connection comes from, for sharing out incoming streams: an IPv4 address, or an
 * IPv6 /64 — one machine has many IPv6 addresses in its network (privacy addresses, one per
 * connection if it likes), so counting exact addresses would let it take every slot.
 */
record SourceHost(byte[] prefix) {
    static SourceHost of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && !isIpv4Mapped(bytes)) {
            return new SourceHost(Arrays.copyOf(bytes, 8));
        }
        return new SourceHost(isIpv4Mapped(bytes) ? Arrays.copyOfRange(bytes, 12, 16) : bytes);
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SourceHost host && Arrays.equals(prefix, host.prefix);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(prefix);
    }

    @Override
    public String toString() {
        return "SourceHost" + Arrays.toString(prefix);
    }
}
