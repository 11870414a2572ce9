package chat.pronto.presence;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSQuestion;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.ServiceInfoImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.PeerId;

/**
 * One JmDNS responder, bound to one interface address: it advertises our one record there, browses
 * {@code _presence._tcp}, and reports what it resolves. What it hears passes the service's
 * {@link GatedJmdns.Gate} first. JmDNS calls back on its own threads: reports are quick, and
 * anything that waits runs on the given executor.
 */
final class Responder implements ServiceListener {
    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);
    private static final String TYPE = PresenceService.SERVICE_TYPE;
    private static final long FIRST_RETRY_MS = 1000;
    private static final long MAX_RETRY_MS = 30_000;

    /** What a responder reports, on JmDNS's threads. */
    interface Events {
        void resolved(Responder responder, PeerId id, TxtRecord txt, List<InetAddress> addresses, int port);

        void removed(Responder responder, PeerId id);
    }

    /** Sees each packet before JmDNS does, knowing which responder heard it. */
    interface Inspector {
        boolean admit(Responder responder, DatagramPacket packet);
    }

    final InetAddress address;
    final String via;
    /** The interface's index: the scope of the link-local addresses this responder resolves. */
    private final OptionalInt scope;
    private final Predicate<String> isSelf;
    private final Events events;
    private final Executor slowWork;
    private final long startedAt = System.nanoTime();
    /** Names announced to us but not yet resolved with addresses and a port. */
    private final Map<String, Retry> unresolved = new ConcurrentHashMap<>();
    private volatile boolean sawSomeone;
    private volatile ServiceInfoImpl registered;
    /** Whether peers may hold our current record: then withdrawing it takes a goodbye. */
    private volatile boolean mayBeCached;
    private volatile boolean closed;
    private volatile long lastDefence = Long.MIN_VALUE / 2;
    private final GatedJmdns jmdns;

    /** Opens the responder; everything the gate may read is set before JmDNS can call it. */
    Responder(InetAddress address, String hostName, OwnPackets own, Inspector inspector, Predicate<String> isSelf,
              Events events, Executor slowWork, Function<Responder, List<InetAddress>> alsoHere) throws IOException {
        this.address = address;
        this.via = address.getHostAddress();
        this.scope = LinkScope.of(address);
        this.isSelf = isSelf;
        this.events = events;
        this.slowWork = slowWork;
        this.jmdns = GatedJmdns.open(address, hostName, packet -> inspector.admit(this, packet), own,
                () -> alsoHere.apply(this));
    }

    /** The index of the interface this responder is on, if it is still there. */
    OptionalInt interfaceIndex() {
        return scope;
    }

    /** Our host name as JmDNS writes it in SRV records: {@code name.local.} */
    String hostName() {
        return jmdns.getLocalHost().getName();
    }

    /**
     * Starts browsing. JmDNS reports a service only when its PTR record is added to the cache after
     * a listener is there, and a new listener is told of cached SRV records only: a PTR that came in
     * while the responder was being set up, before its SRV (a peer still probing, whose PTR another
     * host's browsing had already drawn out), was never reported, and every later announcement of
     * that PTR only refreshed the cached copy. So the cached PTRs are read out as well.
     */
    void browse() {
        jmdns.addServiceListener(TYPE, this);
        long now = System.currentTimeMillis();
        for (DNSEntry entry : jmdns.getCache().getDNSEntryList(TYPE, DNSRecordType.TYPE_PTR, DNSRecordClass.CLASS_IN)) {
            if (entry instanceof DNSRecord.Pointer pointer && !pointer.isExpired(now)) {
                named(pointer.getServiceInfo().getName());
            }
        }
    }

    // ---- our own record ------------------------------------------------------------------------

    PeerId registeredName() {
        ServiceInfoImpl info = registered;
        return info == null ? null : PeerId.of(info.getName());
    }

    /** Where our record stands here; null when none is registered. */
    ClaimRules.State state() {
        ServiceInfoImpl info = registered;
        if (info == null) {
            return null;
        }
        return info.isAnnounced() ? ClaimRules.State.ANNOUNCED
                : info.isAnnouncing() ? ClaimRules.State.ANNOUNCING : ClaimRules.State.PROBING;
    }

    boolean isAnnounced() {
        ServiceInfoImpl info = registered;
        return info != null && info.isAnnounced();
    }

    /** Registers {@code name}; JmDNS probes it. Returns the name JmDNS took (another if its cache knew an owner). */
    PeerId register(PeerId name, byte[] txt, int port) throws IOException {
        ServiceInfoImpl info = (ServiceInfoImpl) ServiceInfo.create(TYPE, name.name(), port, 0, 0, txt);
        mayBeCached = false;
        jmdns.registerService(info);
        registered = info;
        return PeerId.of(info.getName());
    }

    /**
     * Takes our record back. A record that never left probing is in nobody's cache and is simply
     * dropped: a goodbye for it would also take the name's PTR out of peers' caches, and that PTR
     * may be its real owner's. One that was announced gets its goodbye (blocks ~0.1 s).
     */
    void withdraw() {
        ServiceInfoImpl info = registered;
        if (info == null) {
            return;
        }
        registered = null;
        if (info.isProbing() && !mayBeCached) {
            info.cancelState();
            jmdns.getServices().remove(info.getKey(), info);
        } else {
            jmdns.unregisterService(info);
        }
    }

    /** Back to probing our record (RFC 6762 §9); {@link #probe()} starts the probes. */
    void revertToProbing() {
        ServiceInfoImpl info = registered;
        if (info != null) {
            mayBeCached |= !info.isProbing();
            info.revertState();
        }
    }

    void probe() {
        if (!closed) {
            jmdns.startProber();
        }
    }

    /** Announces our record again at once: the answer to a host that claims our established name. */
    void defend() {
        ServiceInfoImpl info = registered;
        long now = System.nanoTime();
        if (info == null || !info.isAnnounced() || now - lastDefence < TimeUnit.SECONDS.toNanos(1)) {
            return; // RFC 6762 §6: a record at most once a second
        }
        lastDefence = now;
        try {
            DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_RESPONSE | DNSConstants.FLAGS_AA);
            for (DNSRecord record : info.answers(DNSRecordClass.CLASS_ANY, DNSRecordClass.UNIQUE, DNSConstants.DNS_TTL,
                    jmdns.getLocalHost())) {
                out.addAnswer(record, 0);
            }
            for (DNSRecord record : jmdns.getLocalHost().answers(DNSRecordClass.CLASS_ANY, DNSRecordClass.UNIQUE,
                    DNSConstants.DNS_TTL)) {
                out.addAnswer(record, 0);
            }
            jmdns.send(out);
        } catch (IOException e) {
            LOG.debug("defending our name on {}: {}", via, e.getMessage());
        }
    }

    void setText(byte[] txt) {
        ServiceInfoImpl info = registered;
        if (info != null) {
            info.setText(txt);
        }
    }

    /** Asks the link for {@code name}'s SRV and TXT records (and {@code host}'s addresses when given): one query, now. */
    void ask(String name, String host) {
        try {
            DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_QUERY);
            String qualified = name + "." + TYPE;
            out.addQuestion(DNSQuestion.newQuestion(qualified, DNSRecordType.TYPE_SRV, DNSRecordClass.CLASS_IN,
                    DNSRecordClass.NOT_UNIQUE));
            out.addQuestion(DNSQuestion.newQuestion(qualified, DNSRecordType.TYPE_TXT, DNSRecordClass.CLASS_IN,
                    DNSRecordClass.NOT_UNIQUE));
            if (host != null && !host.isEmpty()) {
                out.addQuestion(DNSQuestion.newQuestion(host, DNSRecordType.TYPE_A, DNSRecordClass.CLASS_IN,
                        DNSRecordClass.NOT_UNIQUE));
                out.addQuestion(DNSQuestion.newQuestion(host, DNSRecordType.TYPE_AAAA, DNSRecordClass.CLASS_IN,
                        DNSRecordClass.NOT_UNIQUE));
            }
            jmdns.send(out);
        } catch (IOException e) {
            LOG.debug("asking for {} on {}: {}", name, via, e.getMessage());
        }
    }

    /**
     * Reports what JmDNS has cached for {@code name} as a resolution. Waits up to 0.2 s: not on
     * JmDNS's threads. (JmDNS also tells every listener again: reading its cache this way is not
     * without effect, so only for a peer that has just answered.)
     */
    boolean reportCached(String name) {
        ServiceInfo info = jmdns.getServiceInfo(TYPE, name, false, 0);
        if (info == null) {
            return false;
        }
        report(name, info);
        return true;
    }

    // ---- browsing ------------------------------------------------------------------------------

    @Override
    public void serviceAdded(ServiceEvent event) {
        named(event.getName());
    }

    /** Resolves {@code name} as a peer (one that was skipped as ours until a rename). */
    void lookFor(String name) {
        named(name);
    }

    private void named(String name) {
        if (closed || isSelf.test(name)) {
            return;
        }
        LOG.debug("{} appeared on {}", name, via);
        unresolved.putIfAbsent(name, Retry.first(System.nanoTime()));
        request(name);
    }

    /** Persistent: keeps listening for TXT changes (status) after the first resolution. JmDNS's call waits. */
    private void request(String name) {
        try {
            slowWork.execute(() -> {
                if (!closed) {
                    jmdns.requestServiceInfo(TYPE, name, true, 0);
                }
            });
        } catch (RejectedExecutionException closing) {
            // Shutting down.
        }
    }

    @Override
    public void serviceResolved(ServiceEvent event) {
        ServiceInfo info = event.getInfo();
        if (info != null && !isSelf.test(event.getName())) {
            report(event.getName(), info);
        }
    }

    private void report(String name, ServiceInfo info) {
        sawSomeone = true;
        List<InetAddress> found = new ArrayList<>();
        found.addAll(Arrays.<Inet4Address>asList(info.getInet4Addresses()));
        found.addAll(LinkScope.apply(Arrays.<InetAddress>asList(info.getInet6Addresses()), scope));
        int port = info.getPort();
        LOG.debug("resolved {} on {}: port {}, addresses {}, {} TXT bytes", name, via, port, found,
                info.getTextBytes().length);
        if (!found.isEmpty() && port > 0) {
            // Resolved, with or without TXT (every key is optional); asking again would not bring a
            // missing TXT record either: JmDNS sends no query once it knows the SRV and addresses.
            unresolved.remove(name);
        }
        events.resolved(this, PeerId.of(name), TxtRecord.decode(info.getTextBytes()), found, port);
    }

    @Override
    public void serviceRemoved(ServiceEvent event) {
        if (!isSelf.test(event.getName())) {
            unresolved.remove(event.getName());
            events.removed(this, PeerId.of(event.getName()));
        }
    }

    /**
     * JmDNS gives up resolving a name after three queries and never tries again by itself: a peer
     * whose records were still being announced when we asked would stay unknown. Ask again, 1 s,
     * 2 s, 4 s… (up to 30 s) apart, until a resolution brings addresses and a port.
     */
    void askAgainForUnresolved(long now) {
        unresolved.forEach((name, retry) -> {
            if (now >= retry.due() && unresolved.replace(name, retry, retry.next(now))) {
                request(name);
            }
        });
    }

    /** When to ask again for a name, and how long to wait after that. */
    private record Retry(long due, long waitMillis) {
        static Retry first(long now) {
            return new Retry(now + TimeUnit.MILLISECONDS.toNanos(FIRST_RETRY_MS), FIRST_RETRY_MS);
        }

        Retry next(long now) {
            long longer = Math.min(waitMillis * 2, MAX_RETRY_MS);
            return new Retry(now + TimeUnit.MILLISECONDS.toNanos(longer), longer);
        }
    }

    /** Nobody seen here for {@code quiet}: multicast may be blocked. */
    boolean quietFor(long quietNanos) {
        return !sawSomeone && System.nanoTime() - startedAt > quietNanos;
    }

    long upNanos() {
        return System.nanoTime() - startedAt;
    }

    /** Sends the goodbyes and stops (about half a second). */
    void close() {
        closed = true;
        try {
            jmdns.close();
        } catch (RuntimeException e) {
            LOG.debug("closing mDNS on {}: {}", via, e.getMessage());
        }
    }
}
