package chat.pronto.bench;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * Whether this JVM sees no network but its own loopback, as inside the private network namespace the
 * suite runs in (src/test/private-network/bin/java): then nothing it starts can reach a real network.
 */
public final class PrivateNetwork {
    private PrivateNetwork() {
    }

    public static boolean inside() {
        try {
            for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!candidate.isLoopback()) {
                    return false;
                }
            }
            return true;
        } catch (SocketException e) {
            return false;
        }
    }
}
