package chat.pronto.model;

import java.util.List;
import java.util.Objects;

/**
 * One network interface as discovery sees it.
 *
 * @param ignoredBecause why discovery does not use it (empty when it does): down, loopback, no
 *                       multicast, a tunnel or VPN, a container or VM network, not among those chosen
 * @param ownSeenBack    how many of our own mDNS packets came back to us on it (none: something on this
 *                       computer drops mDNS)
 * @param fromOthers     how many mDNS packets other hosts sent that we heard on it
 * @param peersSeen      how many XEP-0174 peers are resolved through it now
 * @param upSeconds      how long discovery has run on it
 * @param portReachable  whether our stream port answered a connection from its own address (null: not tried)
 * @param error          why discovery could not start on it (empty when it did)
 */
public record InterfaceCheck(String name, List<String> addresses, String ignoredBecause, long ownSeenBack,
                             long fromOthers, int peersSeen, long upSeconds, Boolean portReachable, String error) {
    public InterfaceCheck {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
        ignoredBecause = Objects.requireNonNullElse(ignoredBecause, "");
        error = Objects.requireNonNullElse(error, "");
    }

    public boolean used() {
        return ignoredBecause.isEmpty();
    }

    public InterfaceCheck withPortReachable(boolean reachable) {
        return new InterfaceCheck(name, addresses, ignoredBecause, ownSeenBack, fromOthers, peersSeen, upSeconds,
                reachable, error);
    }
}
