package chat.pronto.presence;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import javax.jmdns.impl.ServiceInfoImpl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.threads.Threads;

/**
 * {@link PresenceService} on JmDNS: one responder per interface address, each advertising us and
 * browsing {@code _presence._tcp}. The set of addresses is looked at again every few seconds, so a
 * laptop that joins a network starts advertising there. JmDNS calls back on its own threads;
 * everything it reports is copied there and handed to one event thread
 * ({@code pronto-presence-events}), which owns the {@link PeerTable} and tells the listeners.
 */
public final class JmdnsPresenceService implements PresenceService {
    private static final Logger LOG = LoggerFactory.getLogger(JmdnsPresenceService.class);
    private static final long NAME_CHECK_MS = 100;
    private static final long OWNER_LOOKUP_MS = 300;
    private static final long RETRY_CHECK_MS = 250;
    private static final long FIRST_RETRY_MS = 1000;
    private static final long MAX_RETRY_MS = 30_000;
    /** How long a peer resolved without TXT waits for its TXT record before it appears with the defaults. */
    private static final long TXT_GRACE_MS = 500;
    /** A machine has a few link addresses at most; more just wait their turn. */
    private static final int RESPONDER_THREADS = 4;
    private static final Duration RESPONDERS_CLOSE_WITHIN = Duration.ofSeconds(10);

    static {
        JmdnsTuning.install();
    }

    private final Supplier<List<InetAddress>> addressSource;
    private final Duration rescanEvery;
    private final Duration quietWarning;
    private final Map<InetAddress, Responder> responders = new ConcurrentHashMap<>();
    private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();
    private final PeerTable table = new PeerTable();
    private final ScheduledExecutorService events;
    /** Starting and stopping responders and renaming block for a while: never on the event thread. */
    private final ScheduledExecutorService network;
    /** Starts and closes responders side by side (each takes a few hundred ms, mostly waiting). */
    private final ExecutorService responderWork;
    private volatile PeerId self;
    private volatile OwnPresence own;
    private volatile int port;
    private volatile boolean closed;
    private volatile String hostName;
    private volatile Thread eventThread;
    private boolean toldNoInterface;

    /**
     * @param addressSource the addresses to use, asked again every {@code rescanEvery}; the app passes
     *                      {@link LinkInterfaces}, tests pass 127.0.0.1 or their namespace's address
     * @param quietWarning  after this long without seeing anyone on an address, say so (multicast may be blocked)
     */
    public JmdnsPresenceService(Supplier<List<InetAddress>> addressSource, Duration rescanEvery, Duration quietWarning) {
        this.addressSource = addressSource;
        this.rescanEvery = rescanEvery;
        this.quietWarning = quietWarning;
        this.events = Threads.timer("pronto-presence-events");
        // Its one thread lives until shutdown; the first task tells which it is (see onEventThread).
        events.execute(() -> eventThread = Thread.currentThread());
        this.network = Threads.timer("pronto-presence-network");
        this.responderWork = Threads.pool("pronto-presence-responder", RESPONDER_THREADS);
    }

    /** Fixed addresses (tests, or a user who named them). */
    public JmdnsPresenceService(List<InetAddress> addresses) {
        this(() -> addresses, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /**
     * The mDNS host name ({@code NAME.local.}, the SRV target) to claim instead of the machine part of
     * the instance name; set it before {@link #start} (tests give each lab host its own).
     */
    public void useHostName(String name) {
        this.hostName = name;
    }

    /**
     * For {@code --self-test}: builds the mDNS service object Pronto would advertise (no packet is
     * sent, no responder started) and says what it holds; it catches a runtime without JmDNS's needs.
     */
    public static String selfTest() {
        javax.jmdns.ServiceInfo info = javax.jmdns.ServiceInfo.create(SERVICE_TYPE, "self-test@localhost", 5298, 0, 0,
                Adverts.txtFor(OwnPresence.available("self test"), 5298));
        return info.getQualifiedName() + " port " + info.getPort() + ", " + info.getTextBytes().length + " TXT bytes";
    }

    @Override
    public void start(PeerId name, OwnPresence presence, int streamPort) throws IOException {
        this.self = Objects.requireNonNull(name);
        this.own = Objects.requireNonNull(presence);
        this.port = streamPort;
        rescan();
        checkOwnName(); // JmDNS renames at once when its cache knows another owner of the name
        network.scheduleWithFixedDelay(this::checkOwnName, NAME_CHECK_MS, NAME_CHECK_MS, TimeUnit.MILLISECONDS);
        network.scheduleWithFixedDelay(this::resolveStragglers, RETRY_CHECK_MS, RETRY_CHECK_MS, TimeUnit.MILLISECONDS);
        long rescanMillis = rescanEvery.toMillis();
        network.scheduleWithFixedDelay(this::rescanQuietly, rescanMillis, rescanMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts responders on new addresses, stops those whose address went away, warns about silence. */
    private void rescan() {
        List<InetAddress> wanted = addressSource.get();
        // In parallel: each start waits a moment for an owner of our name to answer.
        CompletableFuture.allOf(wanted.stream().filter(address -> !responders.containsKey(address))
                .map(address -> CompletableFuture.runAsync(() -> startResponder(address), responderWork))
                .toArray(CompletableFuture[]::new)).join();
        for (Responder responder : List.copyOf(responders.values())) {
            if (!wanted.contains(responder.address)) {
                stopResponder(responder);
            } else {
                responder.warnIfQuiet();
            }
        }
        boolean none = responders.isEmpty();
        if (none && !toldNoInterface) {
            diagnose(new PresenceDiagnostic.NoUsableInterface());
        }
        toldNoInterface = none;
    }

    private void rescanQuietly() {
        try {
            rescan();
        } catch (RuntimeException e) {
            if (!closed) { // closing stops the responder threads under a rescan: nothing to report then
                LOG.warn("looking at the network interfaces failed", e);
            }
        }
    }

    private void startResponder(InetAddress address) {
        PeerId name = self;
        try {
            JmDNS jmdns = JmDNS.create(address, hostName != null ? hostName
                    : name.machine().isEmpty() ? "pronto" : name.machine());
            Responder responder = new Responder(jmdns, address);
            responders.put(address, responder);
            jmdns.addServiceListener(SERVICE_TYPE, responder);
            // Ask whether another host already owns the name: its answer lands in JmDNS's cache, and
            // registering then renames at once (XEP-0174 style). JmDNS's probing alone misses an
            // established owner now and then, and sometimes renames the owner instead of us.
            jmdns.getServiceInfo(SERVICE_TYPE, name.name(), false, OWNER_LOOKUP_MS);
            responder.register(name);
            LOG.info("advertising {} on {}", name, address.getHostAddress());
        } catch (IOException | RuntimeException e) {
            diagnose(new PresenceDiagnostic.InterfaceFailed(address.getHostAddress(), String.valueOf(e.getMessage())));
        }
    }

    private void stopResponder(Responder responder) {
        responders.remove(responder.address);
        LOG.info("{} is gone: stopping discovery there", responder.via);
        try {
            responderWork.execute(responder::close);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            responder.close(); // shutting down: its goodbye still goes out
        }
        events.execute(() -> table.removedVia(responder.via).forEach(this::tell));
    }

    /**
     * JmDNS gives up resolving a name after three queries and never tries again by itself: a peer
     * whose records were still being announced when we asked would stay unknown. Ask again, 1 s,
     * 2 s, 4 s… (up to 30 s) apart, until a resolution brings addresses and a port.
     */
    private void resolveStragglers() {
        long now = System.nanoTime();
        for (Responder responder : responders.values()) {
            responder.unresolved.forEach((name, retry) -> {
                if (now >= retry.due()) {
                    responder.unresolved.replace(name, retry, retry.next(now));
                    responder.jmdns.requestServiceInfo(SERVICE_TYPE, name, true);
                }
            });
        }
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

    /**
     * JmDNS renames a service in place when probing finds another owner of the name (through
     * {@link XepNameRegister}, so the XEP-0174 way) and tells nobody: look at our own records.
     */
    private void checkOwnName() {
        PeerId current = self;
        for (Responder responder : responders.values()) {
            ServiceInfo info = responder.registered;
            if (current != null && info != null && !info.getName().equals(current.name())) {
                adopt(PeerId.of(info.getName()));
                return;
            }
        }
    }

    /** Advertises {@code newName} on every interface (XEP-0174 {@code user-1@machine}) and tells the app. */
    private void adopt(PeerId newName) {
        PeerId before = self;
        self = newName;
        LOG.info("{} is taken on the link: advertising as {} (on {})", before, newName, responders.keySet());
        network.execute(() -> {
            for (Responder responder : responders.values()) {
                ServiceInfo info = responder.registered;
                if (info != null && !info.getName().equals(newName.name())) {
                    responder.jmdns.unregisterService(info);
                    try {
                        responder.register(newName);
                    } catch (IOException e) {
                        LOG.warn("could not advertise {} on {}: {}", newName, responder.via, e.getMessage());
                    }
                }
            }
            events.execute(() -> listeners.forEach(listener -> listener.onRenamed(newName)));
            // The owner of our old name was skipped as "us" until now: resolve it as the peer it is.
            for (Responder responder : responders.values()) {
                responder.jmdns.requestServiceInfo(SERVICE_TYPE, before.name(), true);
            }
        });
    }

    @Override
    public void update(OwnPresence presence) {
        this.own = Objects.requireNonNull(presence);
        byte[] txt = Adverts.txtFor(presence, port);
        for (Responder responder : responders.values()) {
            ServiceInfo info = responder.registered;
            if (info != null) {
                info.setText(txt);
            }
        }
    }

    /**
     * True once every interface has finished announcing us (RFC 6762 §8.3). A TXT change before that
     * is not lost: it rides on the remaining announcement.
     */
    public boolean isAnnounced() {
        return !responders.isEmpty() && responders.values().stream()
                .allMatch(responder -> responder.registered instanceof ServiceInfoImpl info && info.isAnnounced());
    }

    @Override
    public PeerId self() {
        return self;
    }

    /** For diagnostics and lab tests: the instance name each responder (by its address) advertises now. */
    public Map<String, String> advertisedNames() {
        Map<String, String> names = new java.util.TreeMap<>();
        responders.values().forEach(responder -> {
            ServiceInfo info = responder.registered;
            names.put(responder.via, info == null ? "-" : info.getName());
        });
        return names;
    }

    @Override
    public List<PeerAdvert> peers() {
        return onEventThread(table::adverts);
    }

    @Override
    public Optional<PeerAdvert> peer(PeerId id) {
        return onEventThread(() -> table.advert(id));
    }

    @Override
    public void markGone(PeerId id) {
        try {
            events.execute(() -> table.gone(id).ifPresent(this::tell));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // Shutting down: nobody to tell.
        }
    }

    @Override
    public void addListener(PresenceListener listener) {
        listeners.add(listener);
    }

    /** Sends the goodbyes and closes the responders in parallel (each takes about half a second). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        network.shutdownNow();
        events.shutdownNow();
        for (Responder responder : responders.values()) {
            responderWork.execute(responder::close);
        }
        if (!Threads.shutdown(responderWork, RESPONDERS_CLOSE_WITHIN)) {
            LOG.warn("mDNS did not close cleanly within {} s", RESPONDERS_CLOSE_WITHIN.toSeconds());
        }
        responders.clear();
    }

    private void tell(PeerEvent event) {
        for (PresenceListener listener : listeners) {
            try {
                listener.onPeerEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("a presence listener failed on {}", event, e);
            }
        }
    }

    private void diagnose(PresenceDiagnostic diagnostic) {
        LOG.warn(diagnostic.describe());
        events.execute(() -> listeners.forEach(listener -> listener.onDiagnostic(diagnostic)));
    }

    private <T> T onEventThread(Callable<T> query) {
        if (Thread.currentThread() == eventThread || events.isShutdown()) {
            // Already on the event thread, or it is gone (closing) and nothing changes the table any more.
            try {
                return query.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return events.submit(query).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            try {
                return query.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the presence event thread did not answer", e);
        }
    }

    /** One JmDNS instance, bound to one address, and what it reports. */
    private final class Responder implements ServiceListener {
        private final JmDNS jmdns;
        private final InetAddress address;
        private final String via;
        /** The interface's index: the scope of the link-local addresses this responder resolves. */
        private final OptionalInt scope;
        private final long startedAt = System.nanoTime();
        private volatile boolean sawSomeone;
        private volatile boolean warned;
        private volatile ServiceInfo registered;
        /** Names announced to us but not yet resolved with addresses and a port. */
        private final Map<String, Retry> unresolved = new ConcurrentHashMap<>();

        Responder(JmDNS jmdns, InetAddress address) {
            this.jmdns = jmdns;
            this.address = address;
            this.via = address.getHostAddress();
            this.scope = LinkScope.of(address);
        }

        void register(PeerId name) throws IOException {
            ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, name.name(), port, 0, 0, Adverts.txtFor(own, port));
            jmdns.registerService(info);
            registered = info;
        }

        void warnIfQuiet() {
            long quietFor = System.nanoTime() - startedAt;
            if (!sawSomeone && !warned && quietFor > quietWarning.toNanos()) {
                warned = true;
                diagnose(new PresenceDiagnostic.NoPeersSeen(via, TimeUnit.NANOSECONDS.toSeconds(quietFor)));
            }
        }

        void close() {
            try {
                jmdns.close(); // sends the goodbyes itself
            } catch (IOException e) {
                LOG.debug("closing mDNS on {}: {}", via, e.getMessage());
            }
        }

        @Override
        public void serviceAdded(ServiceEvent event) {
            LOG.debug("{} appeared on {}", event.getName(), via);
            if (!closed && responders.get(address) == this && !isSelf(event.getName())) {
                unresolved.putIfAbsent(event.getName(), Retry.first(System.nanoTime()));
                // Persistent: keeps listening for TXT changes (status) after the first resolution.
                jmdns.requestServiceInfo(event.getType(), event.getName(), true);
            }
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (isSelf(event.getName()) || info == null) {
                return;
            }
            sawSomeone = true;
            LOG.debug("resolved {} on {}: port {}, addresses {}, {} TXT bytes", event.getName(), via, info.getPort(),
                    Arrays.toString(info.getInetAddresses()), info.getTextBytes().length);
            PeerId id = PeerId.of(event.getName());
            TxtRecord txt = TxtRecord.decode(info.getTextBytes());
            List<InetAddress> found = new ArrayList<>();
            found.addAll(Arrays.<Inet4Address>asList(info.getInet4Addresses()));
            found.addAll(LinkScope.apply(Arrays.<InetAddress>asList(info.getInet6Addresses()), scope));
            int servicePort = info.getPort();
            if (!found.isEmpty() && servicePort > 0) {
                // Resolved, with or without TXT (every key is optional); asking again would not bring a
                // missing TXT record either: JmDNS sends no query once it knows the SRV and addresses.
                unresolved.remove(event.getName());
            }
            events.execute(() -> table.resolved(id, via, txt, found, servicePort).ifPresent(
                    JmdnsPresenceService.this::tell));
            if (txt.keys().isEmpty()) {
                // JmDNS resolves once before the TXT record is in: give it a moment, then show the defaults.
                events.schedule(() -> table.settle(id).ifPresent(JmdnsPresenceService.this::tell),
                        TXT_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            if (isSelf(event.getName())) {
                return;
            }
            unresolved.remove(event.getName());
            PeerId id = PeerId.of(event.getName());
            events.execute(() -> table.removed(id, via).ifPresent(JmdnsPresenceService.this::tell));
        }

        private boolean isSelf(String name) {
            PeerId current = self;
            return name == null || name.isBlank() || (current != null && current.name().equals(name));
        }
    }
}
