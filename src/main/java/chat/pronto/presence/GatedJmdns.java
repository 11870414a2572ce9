package chat.pronto.presence;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.jmdns.ServiceListener;
import javax.jmdns.impl.DNSCache;
import javax.jmdns.impl.DNSEntry;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.HostInfo;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.ServiceInfoImpl;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;

/**
 * A JmDNS responder whose incoming packets pass a {@link Gate} before JmDNS sees them, and whose
 * outgoing packets are remembered in {@link OwnPackets}, so that the presence service can drop its
 * own responders' packets and act on conflicts for its name itself (JmDNS renames the wrong host,
 * and cannot tie-break simultaneous probes). Both through public methods of {@code JmDNSImpl}:
 * its listener thread reads every packet through {@link #getSocket()}, and it sends everything
 * through {@link #send}. A JmDNS responder knows one address; what it sends about our host name
 * also gets the host's other addresses on the same interface (RFC 6762 §6.2: all of them, or each
 * responder's cache-flush records would make peers' caches flip between them).
 */
final class GatedJmdns extends JmDNSImpl {
    /** Decides, on JmDNS's listener thread, whether JmDNS gets a packet. Must be quick and must not block. */
    @FunctionalInterface
    interface Gate {
        boolean admit(DatagramPacket packet);
    }

    /**
     * Decides whether JmDNS may start a resolver for a service instance. JmDNS starts one for every
     * name it hears announced (its own service collector does, on its listener thread), and each
     * persistent one leaves a listener behind that JmDNS calls for every record it takes in ever
     * after: a flood of made-up names would make it chase them all and slow to a crawl. Must be quick.
     */
    @FunctionalInterface
    interface ResolverGate {
        boolean mayResolve(ServiceInfoImpl info);
    }

    /** Told of every change JmDNS makes to its cache (a record added, changed or removed), after it is made. Must be quick. */
    @FunctionalInterface
    interface RecordWatch {
        void changed(DNSRecord record, boolean removed);
    }

    /**
     * Renews the cached records of a browsed type that near their end; {@code records} is what the
     * sweep found cached (expired ones included), so that the cache is not walked twice. Runs on the
     * reaper's thread.
     */
    @FunctionalInterface
    interface Renewal {
        void renew(String type, Collection<DNSEntry> records);
    }

    /**
     * JmDNS starts its listener and task threads inside its constructor, before this class can keep
     * its gate: the gate waits here, and a thread that needs it before the constructor has finished
     * waits on this lock (a few milliseconds, once).
     */
    private static final Object CONSTRUCTING = new Object();
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private static Gate pendingGate;
    private static OwnPackets pendingOwn;
    private static Supplier<List<InetAddress>> pendingAlsoHere;
    private static ResolverGate pendingResolvers;

    // No initializers: they would overwrite what a JmDNS thread set during super().
    private volatile GateSocket gated;
    private volatile OwnPackets own;
    private volatile Supplier<List<InetAddress>> alsoHere;
    private volatile Map<InetAddress, HostInfo> siblings;
    private volatile ResolverGate resolvers;
    private volatile IndexedDnsCache indexed;
    private volatile RecordWatch recordWatch;
    private volatile Renewal renewal;
    /** The types with a listener of ours (lower case). */
    private volatile Set<String> browsed;

    private GatedJmdns(InetAddress address, String hostName) throws IOException {
        super(address, hostName);
        // Nothing is cached before the first packet is read, and reading waits for the constructor (getSocket).
        IndexedDnsCache cache = new IndexedDnsCache();
        super.getCache().allValues().forEach(cache::addDNSEntry);
        this.indexed = cache;
        roomForBursts(super.getSocket());
        this.alsoHere = pendingAlsoHere;
        this.siblings = new ConcurrentHashMap<>();
        this.browsed = ConcurrentHashMap.newKeySet();
        this.own = pendingOwn;
        this.resolvers = pendingResolvers;
        this.gated = new GateSocket(pendingGate);
    }

    /**
     * Asks the kernel for a receive buffer that holds a burst of answers: one host answering for
     * thousands of peers sends a megabyte or more at once, and the default (208 KiB on Linux) dropped
     * most of it before anyone could read it (issue 13). The kernel caps it at {@code net.core.rmem_max}.
     */
    private static void roomForBursts(MulticastSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        } catch (SocketException e) {
            org.slf4j.LoggerFactory.getLogger(GatedJmdns.class).debug("receive buffer left as it is: {}", e.getMessage());
        }
    }

    /** A responder on {@code address} called {@code hostName}.local. */
    static GatedJmdns open(InetAddress address, String hostName, Gate gate, OwnPackets own) throws IOException {
        return open(address, hostName, gate, own, List::of, info -> true);
    }

    /** Also {@code alsoHere}: the host's other addresses on this interface, served by other responders. */
    static GatedJmdns open(InetAddress address, String hostName, Gate gate, OwnPackets own,
                           Supplier<List<InetAddress>> alsoHere, ResolverGate resolvers) throws IOException {
        synchronized (CONSTRUCTING) {
            pendingGate = gate;
            pendingOwn = own;
            pendingAlsoHere = alsoHere;
            pendingResolvers = resolvers;
            try {
                return new GatedJmdns(address, hostName);
            } finally {
                pendingGate = null;
                pendingOwn = null;
                pendingAlsoHere = null;
                pendingResolvers = null;
            }
        }
    }

    /** JmDNS's cache, indexed for its look-ups of PTR records ({@link IndexedDnsCache}). */
    @Override
    public DNSCache getCache() {
        IndexedDnsCache cache = indexed;
        return cache != null ? cache : cacheWhileConstructing();
    }

    /** JmDNS's own (still empty) cache to the constructor itself; other threads wait for it to finish. */
    private DNSCache cacheWhileConstructing() {
        if (Thread.holdsLock(CONSTRUCTING)) {
            return super.getCache();
        }
        synchronized (CONSTRUCTING) {
            IndexedDnsCache cache = indexed;
            return cache != null ? cache : super.getCache();
        }
    }

    /** How many records the cache holds. */
    int cachedRecords() {
        IndexedDnsCache cache = indexed;
        return cache == null ? 0 : cache.records();
    }

    /**
     * Does nothing: JmDNS sweeps its whole cache before every look-up of a service (its service
     * collector looks up every name it hears announced), which made taking in N peers cost N sweeps
     * of N records. {@link #reap} sweeps it, on the reaper's schedule.
     */
    @Override
    public void cleanCache() {
        // See reap().
    }

    /**
     * One watcher for every record, instead of JmDNS's way: a listener per service being resolved,
     * each told of every record JmDNS takes in (N peers made that N × N calls).
     */
    void watchRecords(RecordWatch watch) {
        this.recordWatch = watch;
    }

    @Override
    public void updateRecord(long now, DNSRecord record, Operation operation) {
        super.updateRecord(now, record, operation);
        RecordWatch watch = recordWatch;
        if (watch != null) {
            watch.changed(record, operation == Operation.Remove);
        }
    }

    /** Who renews the records of browsed types that near their end, instead of JmDNS's browsing anew. */
    void renewWith(Renewal renewal) {
        this.renewal = renewal;
    }

    @Override
    public void addServiceListener(String type, ServiceListener listener) {
        browsedTypes().add(type.toLowerCase(Locale.ROOT));
        super.addServiceListener(type, listener);
    }

    private Set<String> browsedTypes() {
        Set<String> types = browsed;
        if (types == null) {
            synchronized (CONSTRUCTING) {
                types = browsed;
            }
        }
        return types != null ? types : Set.of();
    }

    /** A goodbye was heard: the record it ends goes in 1 s, and a sweep of the cache then removes it. */
    void goodbyeHeard() {
        if (javax.jmdns.impl.DNSTaskStarter.Factory.getInstance().getStarter(this) instanceof RfcTimingTaskStarter starter) {
            starter.reapAfterGoodbye();
        }
    }

    /**
     * Removes expired records and asks for those soon to expire: JmDNS's sweep of its cache, without
     * its decoding of each record near its end into a service (regular expressions, once per record
     * at 80, 85, 90 and 95 % of its life: 10,000 at a time with 5,000 peers) only to learn its type.
     * A record of a browsed type is renewed by the {@link Renewal}; JmDNS renews no other type (it
     * browses only those with a collector, which are the ones with a listener).
     */
    void reap() {
        Renewal renewing = renewal;
        if (renewing == null) {
            super.cleanCache();
            return;
        }
        long now = System.currentTimeMillis();
        Set<String> types = browsedTypes();
        DNSCache cache = getCache();
        Set<String> toRenew = new java.util.LinkedHashSet<>();
        Collection<DNSEntry> records = cache.allValues();
        for (DNSEntry entry : records) {
            if (!(entry instanceof DNSRecord record)) {
                continue;
            }
            try {
                if (record.isExpired(now)) {
                    updateRecord(now, record, Operation.Remove);
                    cache.removeDNSEntry(record);
                } else if (record.isStaleAndShouldBeRefreshed(now)) {
                    record.incrementRefreshPercentage();
                    String type = browsedTypeOf(record.getName(), types);
                    if (type != null) {
                        toRenew.add(type);
                    }
                }
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(GatedJmdns.class).debug("sweeping {}: {}", record, e.toString());
            }
        }
        toRenew.forEach(type -> renewing.renew(type, records));
    }

    /** The browsed type (lower case) that {@code name} is, or is an instance of; null for none. */
    private static String browsedTypeOf(String name, Set<String> types) {
        for (String type : types) {
            int at = name.length() - type.length();
            if (at >= 0 && name.regionMatches(true, at, type, 0, type.length()) && (at == 0 || name.charAt(at - 1) == '.')) {
                return type;
            }
        }
        return null;
    }

    @Override
    public MulticastSocket getSocket() {
        GateSocket socket = gated;
        if (socket == null) {
            synchronized (CONSTRUCTING) { // until the constructor has finished
                socket = gated;
            }
        }
        return socket != null ? socket : super.getSocket();
    }

    /**
     * Every resolver JmDNS starts passes here (its {@code resolveServiceInfo} calls this): those the
     * {@link ResolverGate} refuses never start, and leave no listener behind. The caller's
     * service object stays as the cache makes it, which is all a caller that reads the cache needs.
     */
    @Override
    public void startServiceInfoResolver(ServiceInfoImpl info) {
        ResolverGate gate = resolvers;
        if (gate == null) {
            synchronized (CONSTRUCTING) {
                gate = resolvers;
            }
        }
        if (gate == null || gate.mayResolve(info)) {
            super.startServiceInfoResolver(info);
        }
    }

    /** As JmDNS sends, remembering the exact bytes first so that the siblings recognise them. */
    @Override
    public void send(DNSOutgoing out) throws IOException {
        if (out.isEmpty()) {
            return;
        }
        OwnPackets sentBy = own;
        if (sentBy == null) {
            synchronized (CONSTRUCTING) {
                sentBy = own;
            }
        }
        if ((out.getFlags() & DNSConstants.FLAGS_QR_RESPONSE) != 0) {
            withTheOtherAddresses(out);
        }
        byte[] message = out.data();
        InetSocketAddress destination = out.getDestination();
        InetAddress to = destination != null ? destination.getAddress() : getGroup();
        int port = destination != null ? destination.getPort() : DNSConstants.MDNS_PORT;
        if (sentBy != null) {
            sentBy.sent(message);
        }
        MulticastSocket socket = super.getSocket();
        if (socket != null && !socket.isClosed()) {
            try {
                socket.send(new DatagramPacket(message, message.length, to, port));
            } catch (java.net.SocketException linkDown) {
                // "Network is unreachable" while a cable is out or Wi-Fi gone: this packet is lost, the
                // next ones go when the link is back. Telling JmDNS would start its recovery, which
                // could leave the responder dead for good (the soak saw a peer never seen again).
                org.slf4j.LoggerFactory.getLogger(GatedJmdns.class)
                        .debug("an mDNS packet was not sent: {}", linkDown.getMessage());
            }
        }
    }

    /**
     * Sends a packet Pronto wrote itself (JmDNS cannot write NULL records) from this responder's socket,
     * remembered like JmDNS's own: to {@code to}, or to the mDNS group when null.
     */
    void sendRaw(byte[] message, InetSocketAddress to) throws IOException {
        OwnPackets sentBy = own;
        if (sentBy != null) {
            sentBy.sent(message);
        }
        MulticastSocket socket = super.getSocket();
        if (socket == null || socket.isClosed()) {
            throw new SocketException("the responder is closed");
        }
        InetSocketAddress destination = to != null ? to : new InetSocketAddress(getGroup(), DNSConstants.MDNS_PORT);
        socket.send(new DatagramPacket(message, message.length, destination));
    }

    /**
     * Where {@code out} asserts one of our host's addresses (not a goodbye), adds the others this host
     * has on the interface, in the same section. A full packet goes as it is.
     */
    private void withTheOtherAddresses(DNSOutgoing out) {
        Supplier<List<InetAddress>> others = alsoHere;
        if (others == null) {
            return;
        }
        String host = getLocalHost().getName();
        boolean inAnswers = true;
        DNSRecord ours = ownAddressRecord(out.getAnswers(), host);
        if (ours == null) {
            inAnswers = false;
            ours = ownAddressRecord(out.getAdditionals(), host);
        }
        if (ours == null) {
            return;
        }
        try {
            for (InetAddress other : others.get()) {
                HostInfo sibling = siblings.computeIfAbsent(other, address -> HostInfo.newHostInfo(address, this, host));
                for (DNSRecord record : sibling.answers(DNSRecordClass.CLASS_ANY, DNSRecordClass.UNIQUE, ours.getTTL())) {
                    if (inAnswers && !out.getAnswers().contains(record)) {
                        out.addAnswer(record, 0);
                    } else if (!inAnswers && !out.getAdditionals().contains(record)) {
                        out.addAdditionalAnswer(null, record);
                    }
                }
            }
        } catch (IOException full) {
            // The packet is full: what is in it is still true.
        }
    }

    private static DNSRecord ownAddressRecord(Collection<? extends DNSRecord> records, String host) {
        for (DNSRecord record : records) {
            DNSRecordType type = record.getRecordType();
            if ((type == DNSRecordType.TYPE_A || type == DNSRecordType.TYPE_AAAA) && record.getTTL() > 0
                    && record.getName().equalsIgnoreCase(host)) {
                return record;
            }
        }
        return null;
    }

    @Override
    public void close() {
        super.close();
        GateSocket socket = gated;
        if (socket != null) {
            socket.close();
        }
    }

    /**
     * What JmDNS's listener reads from: the real socket's packets that the gate admits. The gate sees
     * each packet whole, however long (JmDNS itself reads at most 8,972 bytes, and a picture's record
     * takes up to 64 KiB). (It is an unbound socket of its own; only {@link #receive} is used.)
     */
    private final class GateSocket extends MulticastSocket {
        /** The largest UDP payload (IPv6: 65,527 bytes), so that the gate sees every packet whole. */
        private static final int LARGEST_DATAGRAM = 65_536;
        private final Gate gate;
        /** Only JmDNS's one listener thread receives. */
        private final byte[] wholeBuffer = new byte[LARGEST_DATAGRAM];
        private final DatagramPacket whole = new DatagramPacket(wholeBuffer, wholeBuffer.length);

        GateSocket(Gate gate) throws IOException {
            super((SocketAddress) null);
            this.gate = gate;
        }

        @Override
        public void receive(DatagramPacket packet) throws IOException {
            while (true) {
                MulticastSocket real = GatedJmdns.super.getSocket();
                if (real == null) {
                    throw new SocketException("the responder is closed");
                }
                whole.setData(wholeBuffer); // the whole buffer again
                real.receive(whole);
                boolean stopping = shuttingDown();
                if (gate == null || stopping || admitted(whole)) {
                    // Shutting down: JmDNS's listener leaves its loop only when a packet returns and it
                    // sees the state (it skips the packet then); closing waits a second for it otherwise.
                    int room = packet.getData().length - packet.getOffset();
                    if (whole.getLength() <= room || stopping) {
                        int length = Math.min(whole.getLength(), room);
                        System.arraycopy(wholeBuffer, 0, packet.getData(), packet.getOffset(), length);
                        packet.setLength(length);
                        packet.setSocketAddress(whole.getSocketAddress());
                        return;
                    }
                    // Longer than JmDNS reads (8,972 bytes: in practice a picture's NULL record, which the
                    // gate has seen whole): JmDNS would only choke on the cut copy.
                }
            }
        }

        private boolean shuttingDown() {
            return isCanceling() || isCanceled() || isClosing() || isClosed();
        }

        private boolean admitted(DatagramPacket packet) {
            try {
                return gate.admit(packet);
            } catch (RuntimeException e) {
                return true; // a fault of ours must not make JmDNS deaf
            }
        }
    }
}
