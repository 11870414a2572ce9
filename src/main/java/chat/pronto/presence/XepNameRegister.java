package chat.pronto.presence;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.jmdns.impl.NameRegister;

import chat.pronto.model.PeerId;

/**
 * Makes JmDNS rename a conflicting service the XEP-0174 way ({@code user-1@machine}, {@code -2}…)
 * instead of DNS-SD's {@code user@machine (2)}, which is no valid address. Host names keep JmDNS's
 * own rule. JmDNS renames a service object in place; the presence service notices by reading it.
 */
final class XepNameRegister implements NameRegister {
    private final NameRegister standard = new NameRegister.UniqueNamePerInterface();
    /** For a name we produced: its original name and how many renames it took. */
    private final Map<String, Map.Entry<PeerId, Integer>> renamed = new ConcurrentHashMap<>();
    @Override
    public void register(InetAddress networkInterface, String name, NameType type) {
        standard.register(networkInterface, name, type);
    }

    @Override
    public boolean checkName(InetAddress networkInterface, String name, NameType type) {
        return standard.checkName(networkInterface, name, type);
    }

    @Override
    public String incrementName(InetAddress networkInterface, String name, NameType type) {
        if (type != NameType.SERVICE) {
            return standard.incrementName(networkInterface, name, type);
        }
        Map.Entry<PeerId, Integer> origin = renamed.getOrDefault(name, Map.entry(PeerId.of(name), 0));
        int attempt = origin.getValue() + 1;
        String next = InstanceNames.afterConflict(origin.getKey(), attempt).name();
        renamed.put(next, Map.entry(origin.getKey(), attempt));
        return next;
    }
}
