package chat.pronto.presence;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.jmdns.impl.NameRegister;

import chat.pronto.model.PeerId;

/**
 * The one rule by which a taken instance name becomes the next one, the XEP-0174 way
 * ({@code user-1@machine}, {@code -2}…) instead of DNS-SD's {@code user@machine (2)}, which is no
 * valid address. Pronto renames through {@link #next}; JmDNS, when it renames by itself (a name its
 * cache knows another owner of, at registration), through this name register. Both give the same
 * name for the same name, so every responder of one service ends up with the same one. Host names
 * keep JmDNS's own rule.
 */
final class XepNameRegister implements NameRegister {
    /** For a name we produced: its original name and how many renames it took. */
    private static final Map<String, Map.Entry<PeerId, Integer>> RENAMED = new ConcurrentHashMap<>();

    private final NameRegister standard = new NameRegister.UniqueNamePerInterface();

    /** The name to try when {@code name} is taken: {@code user-1@machine}, then {@code user-2@machine}… */
    static PeerId next(PeerId name) {
        Map.Entry<PeerId, Integer> origin = RENAMED.getOrDefault(name.name(), Map.entry(name, 0));
        int attempt = origin.getValue() + 1;
        PeerId next = InstanceNames.afterConflict(origin.getKey(), attempt);
        RENAMED.put(next.name(), Map.entry(origin.getKey(), attempt));
        return next;
    }

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
        return type == NameType.SERVICE ? next(PeerId.of(name)).name() : standard.incrementName(networkInterface, name, type);
    }
}
