package chat.pronto.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import chat.pronto.model.PeerId;

/**
 * Peers the session layer reported gone (their stream died without a close) that may still be on
 * the link: the stream can die while the peer lives (a restart, a broken TLS session). Their cached
 * records prove nothing, and an answer identical to the cache makes JmDNS report nothing; so each is
 * asked for again, and a fresh answer from it, seen in the packet itself, brings it back. A peer that
 * does not answer within the watch stays gone.
 */
final class Comebacks {
    /** Long enough for three queries (0, 1 and 2 s) and their answers. */
    static final long WATCH_MS = 4000;

    private record Watched(PeerId id, long until) {
    }

    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    /** Each peer's host name, from the SRV records that went by: what to ask addresses for. */
    private final Map<String, String> hosts = new ConcurrentHashMap<>();

    void watch(PeerId id) {
        watched.put(NameKeeper.qualified(id), new Watched(id, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WATCH_MS)));
    }

    boolean isWatched(PeerId id) {
        Watched watch = watched.get(NameKeeper.qualified(id));
        return watch != null && watch.until() - System.nanoTime() > 0;
    }

    /** The host name {@code id}'s SRV record last named, or null. */
    String hostOf(PeerId id) {
        return hosts.get(NameKeeper.qualified(id));
    }

    /**
     * Notes the SRV targets in {@code message}, and returns the watched peers it shows alive (a
     * response with their SRV or TXT, not a goodbye), which are then no longer watched.
     */
    List<PeerId> answered(MdnsMessage message) {
        if (!message.response()) {
            return List.of();
        }
        for (MdnsMessage.Record record : message.asserted()) {
            if (record.isSrv() && record.ttl() > 0) {
                hosts.put(record.name(), record.target());
            } else if (record.isSrv()) {
                hosts.remove(record.name()); // a goodbye
            }
        }
        if (watched.isEmpty()) {
            return List.of();
        }
        long now = System.nanoTime();
        List<PeerId> back = new ArrayList<>();
        for (MdnsMessage.Record record : message.asserted()) {
            boolean serviceRecord = record.type() == MdnsMessage.TYPE_SRV || record.type() == MdnsMessage.TYPE_TXT;
            Watched watch = serviceRecord && record.ttl() > 0 ? watched.get(record.name()) : null;
            if (watch != null && watched.remove(record.name(), watch) && watch.until() - now > 0) {
                back.add(watch.id());
            }
        }
        return back;
    }
}
