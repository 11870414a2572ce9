package chat.pronto.presence;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSCache;
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
 * {@link GatedJmdns.Gate} first. JmDNS calls back on its own threads, and nothing here waits there.
 *
 * <p>Resolving is bounded, so that a flood of made-up names cannot hide real peers (issue 16,
 * finding 3): a name gets a JmDNS resolver only once a response carried its records, or they are all
 * cached; names that were only announced are tracked and asked for, a few a second, in
 * {@link UnresolvedNames}, which holds the limits. A real peer announces its SRV, TXT and address
 * records unasked: it is resolved from them at once, whatever the backlog of names that never answer.
 */
final class Responder implements ServiceListener {
    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);
    private static final String TYPE = PresenceService.SERVICE_TYPE;
    /** How an instance name of our type ends in the records MdnsMessage reads (lower case). */
    private static final String SUFFIX = "." + TYPE.toLowerCase(Locale.ROOT);
    /** At most this many names asked for in one query packet. */
    private static final int NAMES_PER_QUERY = 10;
    /** At most this many answering names are looked up in the cache per tick (a quarter second). */
    private static final int WATCH_TRIES_PER_TICK = 8;
    private static final int TYPE_NSEC = 47;
    /**
     * The most records JmDNS may cache here (it caches every record it hears, of every type): room for
     * {@link PeerTable#MAX_PEERS} peers of four or five records each and the rest of the link.
     * Beyond it, answers that name anything new are dropped before JmDNS sees them (issue 16: made-up
     * peers must not grow memory without bound); what is cached is still refreshed and ended.
     */
    static final int MAX_CACHED_RECORDS = 6 * PeerTable.MAX_PEERS;

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
    private final long startedAt = System.nanoTime();
    /** Names announced to us but not yet resolved with addresses and a port, and what may be done about them. */
    private final UnresolvedNames unresolved;
    /**
     * The peers resolved from the cache (keys), by the host their SRV record names (lower case): a
     * new or changed address record of that host resolves them again.
     */
    private final Map<String, Set<String>> peersOnHost = new ConcurrentHashMap<>();
    /** The other way round: each such peer's host (lower case). */
    private final Map<String, String> hostOfPeer = new ConcurrentHashMap<>();
    /** The one service object JmDNS keeps resolving per watched name (key: lower-case name). */
    private final Map<String, ServiceInfoImpl> watchers = new ConcurrentHashMap<>();
    private volatile boolean sawSomeone;
    /** Our own packets that came back here, and packets from other hosts: what the diagnostics show. */
    private final java.util.concurrent.atomic.AtomicLong ownSeenBack = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong fromOthers = new java.util.concurrent.atomic.AtomicLong();
    /** Packets dropped because they only announced yet more names (only the listener thread counts). */
    private long droppedPackets;
    private long lastDropNote = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
    private volatile ServiceInfoImpl registered;
    /** Whether peers may hold our current record: then withdrawing it takes a goodbye. */
    private volatile boolean mayBeCached;
    private volatile boolean closed;
    private volatile long lastDefence = Long.MIN_VALUE / 2;
    private final GatedJmdns jmdns;

    /** Opens the responder; everything the gate may read is set before JmDNS can call it. */
    Responder(InetAddress address, String hostName, OwnPackets own, Inspector inspector, Predicate<String> isSelf,
              Events events, Function<Responder, List<InetAddress>> alsoHere) throws IOException {
        this(address, hostName, own, inspector, isSelf, events, alsoHere, UnresolvedNames.DEFAULT);
    }

    Responder(InetAddress address, String hostName, OwnPackets own, Inspector inspector, Predicate<String> isSelf,
              Events events, Function<Responder, List<InetAddress>> alsoHere, UnresolvedNames.Limits limits)
            throws IOException {
        this.address = address;
        this.via = address.getHostAddress();
        this.scope = LinkScope.of(address);
        this.isSelf = isSelf;
        this.events = events;
        this.unresolved = new UnresolvedNames(limits, System.nanoTime());
        this.jmdns = GatedJmdns.open(address, hostName, packet -> inspector.admit(this, packet), own,
                () -> alsoHere.apply(this), this::mayResolve);
        jmdns.watchRecords(this::recordChanged);
        jmdns.renewWith(this::renewDue);
    }

    /**
     * Asks for the records of {@code type} that near their end, one question each (RFC 6762 §5.2),
     * instead of JmDNS's browsing the type anew, which had every responder send everything again.
     */
    private void renewDue(String type, java.util.Collection<DNSEntry> records) {
        if (closed) {
            return;
        }
        try {
            List<byte[]> packets = RefreshQuestions.due(records, jmdns.getCache(), type, hostOfPeer::get,
                    System.currentTimeMillis());
            for (byte[] packet : packets) {
                jmdns.sendRaw(packet, null);
            }
            LOG.debug("renewing {} records on {}: {} packets", type, via, packets.size());
        } catch (IOException e) {
            LOG.debug("renewing {} records on {}: {}", type, via, e.getMessage());
        }
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

    // ---- pictures (NULL records, which JmDNS knows nothing of) -----------------------------------

    /** Our instance name here once it is ours (announcing or announced); null while probing or unregistered. */
    String establishedName() {
        ServiceInfoImpl info = registered;
        return info != null && !info.isProbing() ? info.getName() : null;
    }

    /** Sends a packet of our own making ({@link AvatarRecords}): to {@code to}, or to the mDNS group when null. */
    void sendRaw(byte[] packet, java.net.InetSocketAddress to) {
        if (closed) {
            return;
        }
        try {
            jmdns.sendRaw(packet, to);
        } catch (IOException e) {
            LOG.debug("a packet of {} bytes was not sent on {}: {}", packet.length, via, e.getMessage());
        }
    }

    /** Asks the link for {@code instance}'s picture: one query, now. */
    void askForPicture(String instance) {
        sendRaw(AvatarRecords.query(instance), null);
    }

    /**
     * Multicasts our picture's record with {@code ttl} (0: its goodbye) under the name established here;
     * returns whether it went (not while our name is still being probed).
     */
    boolean announcePicture(byte[] picture, int ttl) {
        String name = establishedName();
        if (name == null) {
            return false;
        }
        sendRaw(AvatarRecords.response(name, picture, ttl), null);
        return true;
    }

    /** Asks the link for {@code name}'s SRV and TXT records (and {@code host}'s addresses when given): one query, now. */
    void ask(String name, String host) {
        try {
            DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_QUERY);
            askForService(out, name);
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

    /** Asks the link for the SRV and TXT records of {@code names}, in as few packets as they fit. */
    private void askFor(List<String> names) {
        for (int from = 0; from < names.size(); from += NAMES_PER_QUERY) {
            try {
                DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_QUERY);
                for (String name : names.subList(from, Math.min(names.size(), from + NAMES_PER_QUERY))) {
                    askForService(out, name);
                }
                jmdns.send(out);
            } catch (IOException e) {
                LOG.debug("asking for {} names on {}: {}", names.size(), via, e.getMessage());
            }
        }
    }

    /** Adds the questions for {@code name}'s SRV and TXT records. */
    private static void askForService(DNSOutgoing out, String name) throws IOException {
        String qualified = name + "." + TYPE;
        out.addQuestion(DNSQuestion.newQuestion(qualified, DNSRecordType.TYPE_SRV, DNSRecordClass.CLASS_IN,
                DNSRecordClass.NOT_UNIQUE));
        out.addQuestion(DNSQuestion.newQuestion(qualified, DNSRecordType.TYPE_TXT, DNSRecordClass.CLASS_IN,
                DNSRecordClass.NOT_UNIQUE));
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

    /**
     * {@code name} was announced: tracked until resolved, and asked for soon (within the rate). A
     * name whose records are cached already is resolved from them at once. Quick: on JmDNS's threads.
     */
    private void named(String name) {
        if (closed || isSelf.test(name)) {
            return;
        }
        LOG.debug("{} appeared on {}", name, via);
        if (resolveFromCache(UnresolvedNames.key(name))) {
            return; // it announced itself in full: nothing to chase
        }
        long now = System.nanoTime();
        unresolved.announced(name, now).ifPresent(evicted -> {
            LOG.debug("too many names that do not resolve on {}: no longer chasing {}", via, evicted);
            unwatch(UnresolvedNames.key(evicted));
        });
        String key = UnresolvedNames.key(name);
        if (!unresolved.isWatched(key) && cachedSrvName(key) != null) {
            unresolved.answering(key, now);
            watch(name); // its SRV record is in, its address not yet: JmDNS asks for it
        }
    }

    /**
     * A change JmDNS made to its cache (on its threads, so quick): a peer's SRV or TXT record, or an
     * address of a peer's host, resolves that peer again from the cache. This is how peers are
     * resolved: one watcher for all of them, instead of one JmDNS listener per peer that hears every
     * record (issue 13: with 2,000 peers that was 2,000 calls for each record taken in).
     */
    private void recordChanged(DNSRecord record, boolean removed) {
        if (closed) {
            return;
        }
        DNSRecordType type = record.getRecordType();
        if (removed && type != DNSRecordType.TYPE_A && type != DNSRecordType.TYPE_AAAA) {
            return; // JmDNS reports a peer gone when its SRV record goes; a TXT record that went changes nothing shown
        }
        if (type == DNSRecordType.TYPE_SRV || type == DNSRecordType.TYPE_TXT) {
            String key = keyOf(record.getName());
            if (key != null) {
                resolveFromCache(key);
            }
        } else if (type == DNSRecordType.TYPE_A || type == DNSRecordType.TYPE_AAAA) {
            // A new address, or one that went (replaced, or its time ran out): the peers there with what is left.
            Set<String> keys = peersOnHost.get(record.getName().toLowerCase(Locale.ROOT));
            if (keys != null) {
                for (String key : List.copyOf(keys)) {
                    resolveFromCache(key);
                }
            }
        }
    }

    private void forgetHost(String key, String host) {
        peersOnHost.computeIfPresent(host, (server, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
        });
    }

    /** The key (lower-case instance name) of a name of our type, {@code INSTANCE._presence._tcp.local.}; null for others. */
    private static String keyOf(String qualified) {
        String lower = qualified.toLowerCase(Locale.ROOT);
        return lower.endsWith(SUFFIX) && lower.length() > SUFFIX.length()
                ? lower.substring(0, lower.length() - SUFFIX.length()) : null;
    }

    /**
     * Reports {@code key} resolved from what the cache holds, when it holds its SRV record and an
     * address of the SRV's host (its TXT record if it has one: without it, the peer table waits a
     * moment for it). Returns whether it could; if only the address is missing, the host's address
     * records resolve it when they come.
     */
    private boolean resolveFromCache(String key) {
        if (closed || isSelf.test(key)) {
            return false;
        }
        DNSCache cache = jmdns.getCache();
        long now = System.currentTimeMillis();
        String qualified = key + "." + TYPE;
        DNSEntry srvEntry = cache.getDNSEntry(qualified, DNSRecordType.TYPE_SRV, DNSRecordClass.CLASS_IN);
        if (!(srvEntry instanceof DNSRecord srv) || srv.isExpired(now)) {
            return false;
        }
        String name = cachedSrvName(key);
        ServiceInfo service = srv.getServiceInfo(false);
        String host = service.getServer();
        if (name == null || isSelf.test(name) || host == null || host.isEmpty() || service.getPort() <= 0) {
            return false;
        }
        String lowerHost = host.toLowerCase(Locale.ROOT);
        String before = hostOfPeer.put(key, lowerHost);
        if (before != null && !before.equals(lowerHost)) {
            forgetHost(key, before);
        }
        peersOnHost.computeIfAbsent(lowerHost, server -> ConcurrentHashMap.newKeySet()).add(key);
        List<InetAddress> found = new ArrayList<>();
        for (DNSRecordType type : new DNSRecordType[] {DNSRecordType.TYPE_A, DNSRecordType.TYPE_AAAA}) {
            for (DNSEntry entry : cache.getDNSEntryList(host, type, DNSRecordClass.CLASS_IN)) {
                if (entry instanceof DNSRecord address && !address.isExpired(now)) {
                    ServiceInfo info = address.getServiceInfo(false);
                    found.addAll(Arrays.<Inet4Address>asList(info.getInet4Addresses()));
                    found.addAll(LinkScope.apply(Arrays.<InetAddress>asList(info.getInet6Addresses()), scope));
                }
            }
        }
        if (found.isEmpty()) {
            return false;
        }
        DNSEntry txtEntry = cache.getDNSEntry(qualified, DNSRecordType.TYPE_TXT, DNSRecordClass.CLASS_IN);
        byte[] txt = txtEntry instanceof DNSRecord text && !text.isExpired(now)
                ? text.getServiceInfo(false).getTextBytes() : new byte[0];
        sawSomeone = true;
        unresolved.resolved(key);
        unwatch(key); // a JmDNS resolver started before the records were all in is not needed any more
        events.resolved(this, PeerId.of(name), TxtRecord.decode(txt), List.copyOf(found), service.getPort());
        return true;
    }

    /**
     * Every packet this responder hears, before JmDNS takes it in (on its listener thread): the names
     * it carries SRV or TXT records for are answering, and may be resolved. Returns whether JmDNS
     * gets the packet: not one whose records all concern instances of our type that nobody here
     * watches, none of them ours, with no address record and no SRV record whose host has an address
     * here or in the cache (PTR, SRV, TXT, NSEC only), while as many unresolved names as we track are
     * tracked already; JmDNS would cache every such name and start work for each. A real peer's
     * announcement names its host, whose addresses it announced, and always gets through, as does
     * every query that asks something.
     */
    boolean heard(MdnsMessage message) {
        if (closed) {
            return true;
        }
        long now = System.nanoTime();
        if (message.response() && jmdns.cachedRecords() >= MAX_CACHED_RECORDS && !onlyKnownNames(message)) {
            noteDropped(now, "records cached on " + via + " already: answers that name anything new are dropped");
            return false;
        }
        boolean droppable = message.response() || message.questions().isEmpty();
        int ofOurType = 0;
        PeerId ours = registeredName();
        String ourKey = ours == null ? null : UnresolvedNames.key(ours.name());
        List<MdnsMessage.Record> records = message.response() ? message.asserted() : message.answers();
        for (MdnsMessage.Record record : records) {
            if (message.response() && record.ttl() == 0) {
                jmdns.goodbyeHeard();
            }
            String instance = instanceOf(record);
            if (message.response() && instance != null && record.ttl() > 0
                    && (record.type() == MdnsMessage.TYPE_SRV || record.type() == MdnsMessage.TYPE_TXT)) {
                unresolved.answering(instance, now);
            }
            if (droppable && (instance == null || instance.equals(ourKey) || isSelf.test(instance)
                    || unresolved.isWatched(instance) || cachedSrvName(instance) != null
                    || (record.isSrv() && hasAddress(record.target(), records)))) {
                droppable = false;
            }
            ofOurType++;
        }
        boolean drop = droppable && ofOurType > 0 && unresolved.isFull();
        if (drop) {
            noteDropped(now, unresolved.trackedCount() + " unresolved names on " + via
                    + " already: packets that only announce more are dropped");
        }
        return !drop;
    }

    /** Counts a dropped packet, and says so at most once a minute. */
    private void noteDropped(long now, String why) {
        droppedPackets++;
        if (now - lastDropNote > TimeUnit.MINUTES.toNanos(1)) {
            lastDropNote = now;
            LOG.info("{} ({} packets dropped so far)", why, droppedPackets);
        }
    }

    /**
     * Whether every record of this answer is about a name the cache holds already (a PTR: the name it
     * points to), or about us: then it only refreshes, changes or ends what is held.
     */
    private boolean onlyKnownNames(MdnsMessage message) {
        DNSCache cache = jmdns.getCache();
        for (MdnsMessage.Record record : message.asserted()) {
            String name = record.type() == MdnsMessage.TYPE_PTR && record.target() != null ? record.target() : record.name();
            String instance = keyOf(name);
            boolean ours = instance != null && isSelf.test(instance)
                    || name.equalsIgnoreCase(jmdns.getLocalHost().getName());
            if (!ours && !cache.containsKey(name.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code host} has an address record in {@code records} or in the cache. */
    private boolean hasAddress(String host, List<MdnsMessage.Record> records) {
        if (host == null) {
            return false;
        }
        for (MdnsMessage.Record record : records) {
            if ((record.type() == MdnsMessage.TYPE_A || record.type() == MdnsMessage.TYPE_AAAA) && record.name().equals(host)) {
                return true;
            }
        }
        long now = System.currentTimeMillis();
        for (DNSRecordType type : new DNSRecordType[] {DNSRecordType.TYPE_A, DNSRecordType.TYPE_AAAA}) {
            for (DNSEntry address : jmdns.getCache().getDNSEntryList(host, type, DNSRecordClass.CLASS_IN)) {
                if (address instanceof DNSRecord cached && !cached.isExpired(now)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The instance (lower case, without the type) a record of our type is about: a PTR's target, the
     * name of an SRV, TXT or NSEC record; null for any other record (addresses, other types).
     */
    private static String instanceOf(MdnsMessage.Record record) {
        String name;
        if (record.type() == MdnsMessage.TYPE_PTR) {
            name = record.name().equals(SUFFIX.substring(1)) ? record.target() : null;
        } else if (record.type() == MdnsMessage.TYPE_SRV || record.type() == MdnsMessage.TYPE_TXT
                || record.type() == TYPE_NSEC) {
            name = record.name();
        } else {
            name = null;
        }
        return name != null && name.endsWith(SUFFIX) && name.length() > SUFFIX.length()
                ? name.substring(0, name.length() - SUFFIX.length()) : null;
    }

    /**
     * Starts JmDNS's resolver for {@code name} (through {@link #mayResolve}): a persistent service
     * object that takes in the cached records at once, and every later change (TXT updates), and
     * reports the resolution. It does not wait.
     */
    private void watch(String name) {
        if (!closed) {
            jmdns.startServiceInfoResolver(new ServiceInfoImpl(TYPE, name, "", 0, 0, 0, true, (byte[]) null));
        }
    }

    /** Gives up JmDNS's resolver for {@code key}, if there is one: JmDNS would keep it for good. */
    private void unwatch(String key) {
        ServiceInfoImpl watcher = watchers.remove(key);
        if (watcher != null) {
            jmdns.removeListener(watcher);
        }
    }

    /** The {@link GatedJmdns.ResolverGate}: whether JmDNS may start a resolver for {@code info} (on any thread). */
    private boolean mayResolve(ServiceInfoImpl info) {
        if (closed || isSelf.test(info.getName())) {
            return false; // our own name is not resolved
        }
        String key = UnresolvedNames.key(info.getName());
        if (info.isPersistent() && resolveFromCache(key)) {
            return false; // all its records are in: resolved without a JmDNS listener of its own (see recordChanged)
        }
        if (!info.isPersistent()) {
            // A one-off look-up (a peer that answered after it was reported gone): its resolver reads
            // the cache into the look-up's service object, and leaves no listener behind.
            return unresolved.isWatched(key) || unresolved.isAnswering(key, System.nanoTime());
        }
        UnresolvedNames.Watch watch = unresolved.watch(key, info.hasData() || completeInCache(key), System.nanoTime());
        watch.drop().ifPresent(dropped -> {
            LOG.debug("too many unresolved names answering on {}: giving up {}", via, dropped);
            unwatch(dropped);
        });
        if (watch.start()) {
            watchers.put(key, info);
        }
        return watch.start();
    }

    /** Whether the cache holds {@code key}'s SRV record and an address for its target: a peer that answered in full. */
    private boolean completeInCache(String key) {
        DNSEntry entry = jmdns.getCache().getDNSEntry(key + "." + TYPE, DNSRecordType.TYPE_SRV, DNSRecordClass.CLASS_IN);
        long now = System.currentTimeMillis();
        if (!(entry instanceof DNSRecord srv) || srv.isExpired(now)) {
            return false;
        }
        String server = srv.getServiceInfo(false).getServer();
        if (server == null || server.isEmpty()) {
            return false;
        }
        for (DNSRecordType type : new DNSRecordType[] {DNSRecordType.TYPE_A, DNSRecordType.TYPE_AAAA}) {
            for (DNSEntry address : jmdns.getCache().getDNSEntryList(server, type, DNSRecordClass.CLASS_IN)) {
                if (address instanceof DNSRecord record && !record.isExpired(now)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The name, as its owner writes it, of a cached SRV record for {@code key}; null when none is. */
    private String cachedSrvName(String key) {
        DNSEntry entry = jmdns.getCache().getDNSEntry(key + "." + TYPE, DNSRecordType.TYPE_SRV, DNSRecordClass.CLASS_IN);
        if (!(entry instanceof DNSRecord record) || record.isExpired(System.currentTimeMillis())) {
            return null;
        }
        String qualified = record.getName();
        int cut = qualified.length() - TYPE.length() - 1;
        return cut > 0 && qualified.substring(cut + 1).equalsIgnoreCase(TYPE) ? qualified.substring(0, cut) : null;
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
            unresolved.resolved(UnresolvedNames.key(name));
        }
        events.resolved(this, PeerId.of(name), TxtRecord.decode(info.getTextBytes()), found, port);
    }

    @Override
    public void serviceRemoved(ServiceEvent event) {
        if (!isSelf.test(event.getName())) {
            String key = UnresolvedNames.key(event.getName());
            unresolved.gone(key);
            unwatch(key);
            String host = hostOfPeer.remove(key);
            if (host != null) {
                forgetHost(key, host);
            }
            events.removed(this, PeerId.of(event.getName()));
        }
    }

    /**
     * Every quarter second: names that answered get JmDNS's resolver once their records are cached;
     * names still unresolved are asked for again, 1 s, 2 s, 4 s… (up to 30 s) apart, a few a second
     * at most ({@link UnresolvedNames}). JmDNS gives up after three queries and never asks again by
     * itself: a peer whose records were still being announced when we asked would stay unknown.
     */
    void askAgainForUnresolved(long now) {
        if (closed) {
            return;
        }
        for (String key : unresolved.answeringUnwatched(now, WATCH_TRIES_PER_TICK)) {
            String name = isSelf.test(key) ? null : cachedSrvName(key);
            if (name != null && !isSelf.test(name) && !resolveFromCache(key)) {
                watch(name);
            }
        }
        List<String> due = unresolved.due(now);
        if (!due.isEmpty()) {
            askFor(due);
        }
    }

    /** How many records JmDNS caches here (bounded: {@link #MAX_CACHED_RECORDS}). */
    int cachedRecords() {
        return jmdns.cachedRecords();
    }

    /** Nobody seen here for {@code quiet}: multicast may be blocked. */
    boolean quietFor(long quietNanos) {
        return !sawSomeone && System.nanoTime() - startedAt > quietNanos;
    }

    /** One of our own packets came back here (multicast loops back unless something drops it). */
    void ownPacketSeen() {
        ownSeenBack.incrementAndGet();
    }

    /** A packet from another host was heard here. */
    void otherPacketHeard() {
        fromOthers.incrementAndGet();
    }

    long ownSeenBack() {
        return ownSeenBack.get();
    }

    long fromOthers() {
        return fromOthers.get();
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
