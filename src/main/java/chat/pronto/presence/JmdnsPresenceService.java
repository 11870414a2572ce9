package chat.pronto.presence;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.threads.Threads;

/**
 * {@link PresenceService} on JmDNS: one {@link Responder} per interface address, each advertising
 * us and browsing {@code _presence._tcp}. The set of addresses is looked at again every few seconds,
 * so a laptop that joins a network starts advertising there. Every packet a responder hears passes
 * here first (on JmDNS's listener thread): packets our own responders sent are dropped
 * ({@link OwnPackets}), other hosts' records for our name go to the {@link NameKeeper}, and answers
 * from peers reported gone to {@link Comebacks}. JmDNS calls back on its own threads; everything it
 * reports is copied there and handed to one event thread ({@code pronto-presence-events}), which
 * owns the {@link PeerTable} and tells the listeners.
 */
public final class JmdnsPresenceService implements PresenceService {
    private static final Logger LOG = LoggerFactory.getLogger(JmdnsPresenceService.class);
    private static final long RETRY_CHECK_MS = 250;
    /** How long a peer resolved without TXT waits for its TXT record before it appears with the defaults. */
    private static final long TXT_GRACE_MS = 500;
    /** A peer reported gone is asked for again at these moments (RFC 6762 §5.2 spacing). */
    private static final long[] COMEBACK_QUERIES_MS = {0, 1000, 2000};
    /** Lets JmDNS take in the packet that brought a peer back before its cache is read. */
    private static final long COMEBACK_READ_MS = 50;
    /** A machine has a few link addresses at most; more just wait their turn. */
    private static final int RESPONDER_THREADS = 4;
    private static final Duration RESPONDERS_CLOSE_WITHIN = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        JmdnsTuning.install();
    }

    private final Supplier<List<InetAddress>> addressSource;
    private final Duration rescanEvery;
    private final Duration quietWarning;
    private final Map<InetAddress, Responder> responders = new ConcurrentHashMap<>();
    /** Why discovery could not start on an address, while it cannot. */
    private final Map<InetAddress, String> failures = new ConcurrentHashMap<>();
    private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();
    private final PeerTable table = new PeerTable();
    private final OwnPackets ownPackets = new OwnPackets();
    private final Comebacks comebacks = new Comebacks();
    private final ScheduledExecutorService events;
    /** Starting and stopping responders and renaming block for a while: never on the event thread. */
    private final ScheduledExecutorService network;
    /** Starts and closes responders side by side. */
    private final ExecutorService responderWork;
    private final NameKeeper keeper;
    /** The picture we publish, and what to answer a query for it. */
    private final OwnAvatar ownAvatar = new OwnAvatar();
    /** Peers' pictures being fetched. */
    private volatile AvatarQueries avatarQueries;
    private final Map<String, Boolean> warnedQuiet = new ConcurrentHashMap<>();
    private volatile PeerId requested;
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
        this.keeper = new NameKeeper(new KeeperHost(), network);
        this.avatarQueries = new AvatarQueries(this::askForPicture, network, AvatarQueries.Limits.DEFAULT);
    }

    /** Fixed addresses (tests, or a user who named them). */
    public JmdnsPresenceService(List<InetAddress> addresses) {
        this(() -> addresses, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /**
     * The mDNS host name ({@code NAME.local.}, the SRV target) to claim instead of the one Pronto
     * makes (the machine part of the instance name and a random tag); set it before {@link #start}.
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

    /**
     * Starts a responder on every address, then settles our name once for all of them (about 0.3 s
     * while the link is asked whether someone owns it) and advertises it everywhere.
     */
    @Override
    public void start(PeerId name, OwnPresence presence, int streamPort) throws IOException {
        this.requested = Objects.requireNonNull(name);
        this.own = presence.withAvatarHash(ownAvatar.hash());
        this.port = streamPort;
        if (hostName == null) {
            // A host name of our own: two Pronto hosts that want one instance name then never also
            // fight over a host name (JmDNS even re-probes an established host name on a stranger's probe).
            hostName = InstanceNames.hostLabel(name, RANDOM);
        }
        rescan();
        keeper.claim(name);
        network.scheduleWithFixedDelay(this::askAgainForUnresolved, RETRY_CHECK_MS, RETRY_CHECK_MS,
                TimeUnit.MILLISECONDS);
        long rescanMillis = rescanEvery.toMillis();
        network.scheduleWithFixedDelay(this::rescanQuietly, rescanMillis, rescanMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts responders on new addresses, stops those whose address went away, warns about silence. */
    private void rescan() {
        List<InetAddress> wanted = addressSource.get();
        // In parallel: each takes a moment to open.
        CompletableFuture.allOf(wanted.stream().filter(address -> !responders.containsKey(address))
                .map(address -> CompletableFuture.runAsync(() -> startResponder(address), responderWork))
                .toArray(CompletableFuture[]::new)).join();
        for (Responder responder : List.copyOf(responders.values())) {
            if (!wanted.contains(responder.address)) {
                stopResponder(responder);
            } else {
                warnIfQuiet(responder);
            }
        }
        keeper.check();
        keeper.apply(); // new responders advertise the name we have
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
        failures.remove(address);
        try {
            Responder responder = new Responder(address, hostName, ownPackets, this::admit, keeper::isOurs,
                    new ResponderEvents(), this::alsoOnItsInterface);
            responders.put(address, responder);
            responder.browse();
            LOG.info("discovery on {} as {}", responder.via, responder.hostName());
        } catch (IOException | RuntimeException e) {
            failures.put(address, String.valueOf(e.getMessage()));
            diagnose(new PresenceDiagnostic.InterfaceFailed(address.getHostAddress(), String.valueOf(e.getMessage())));
        }
    }

    private void stopResponder(Responder responder) {
        responders.remove(responder.address);
        LOG.info("{} is gone: stopping discovery there", responder.via);
        try {
            responderWork.execute(responder::close);
        } catch (RejectedExecutionException closing) {
            responder.close(); // shutting down: its goodbye still goes out
        }
        events.execute(() -> table.removedVia(responder.via).forEach(this::tell));
    }

    /** The addresses of our other responders on {@code responder}'s interface (RFC 6762 §6.2: a response names them all). */
    private List<InetAddress> alsoOnItsInterface(Responder responder) {
        OptionalInt index = responder.interfaceIndex();
        if (index.isEmpty()) {
            return List.of();
        }
        return responders.values().stream().filter(other -> other != responder && other.interfaceIndex().equals(index))
                .map(other -> other.address).toList();
    }

    /** Every packet a responder hears, on its JmDNS listener thread, before JmDNS sees it. */
    private boolean admit(Responder responder, DatagramPacket packet) {
        if (ownPackets.isOurs(packet.getData(), packet.getOffset(), packet.getLength())) {
            responder.ownPacketSeen();
            return false;
        }
        Optional<MdnsMessage> message = MdnsMessage.parse(packet.getData(), packet.getOffset(), packet.getLength());
        if (message.isEmpty()) {
            return true;
        }
        responder.otherPacketHeard();
        pictures(responder, message.get(), packet);
        if (!responder.heard(message.get())) {
            return false;
        }
        for (PeerId back : comebacks.answered(message.get())) {
            LOG.debug("{} answers on {}: it is still there", back, responder.via);
            later(() -> responder.reportCached(back.name()), COMEBACK_READ_MS);
        }
        return keeper.inspect(responder, message.get());
    }

    /**
     * Pictures (XEP-0174 avatars, DNS NULL records, which JmDNS cannot read or write): a response may
     * carry one we are fetching; a query may ask for ours, answered on the network thread. Quick: on
     * JmDNS's listener thread.
     */
    private void pictures(Responder responder, MdnsMessage message, DatagramPacket packet) {
        if (message.response()) {
            if (avatarQueries.busy()) {
                avatarQueries.heard(message);
            }
            return;
        }
        if (!(packet.getSocketAddress() instanceof java.net.InetSocketAddress from)) {
            return;
        }
        ownAvatar.answer(message, responder.establishedName(), from, responder.via, System.nanoTime())
                .ifPresent(reply -> later(() -> {
                    if (ownAvatar.isCurrent(reply.published()) && responders.get(responder.address) == responder) {
                        responder.sendRaw(reply.packet(), reply.to());
                    }
                }, TimeUnit.NANOSECONDS.toMillis(reply.delayNanos())));
    }

    /** One query for {@code instance}'s picture on every interface. */
    private void askForPicture(String instance) {
        responders.values().forEach(responder -> responder.askForPicture(instance));
    }

    private void askAgainForUnresolved() {
        long now = System.nanoTime();
        responders.values().forEach(responder -> responder.askAgainForUnresolved(now));
    }

    private void warnIfQuiet(Responder responder) {
        if (responder.quietFor(quietWarning.toNanos()) && warnedQuiet.putIfAbsent(responder.via, true) == null) {
            diagnose(new PresenceDiagnostic.NoPeersSeen(responder.via, TimeUnit.NANOSECONDS.toSeconds(responder.upNanos())));
        }
    }

    @Override
    public List<chat.pronto.model.InterfaceCheck> interfaceChecks() {
        Map<String, Integer> peersByVia = onEventThread(table::countByVia);
        List<chat.pronto.model.InterfaceCheck> checks = new java.util.ArrayList<>();
        for (LinkInterfaces.Link link : LinkInterfaces.current()) {
            List<Responder> here = link.addresses().stream().map(responders::get).filter(java.util.Objects::nonNull)
                    .toList();
            String error = link.addresses().stream().map(failures::get).filter(java.util.Objects::nonNull)
                    .findFirst().orElse("");
            String ignored = here.isEmpty() ? LinkInterfaces.whyIgnored(link).orElse(error.isEmpty()
                    ? "not among the interfaces chosen (--interface or the settings)" : "discovery could not start")
                    : "";
            checks.add(new chat.pronto.model.InterfaceCheck(link.name(),
                    link.addresses().stream().map(InetAddress::getHostAddress).toList(), ignored,
                    here.stream().mapToLong(Responder::ownSeenBack).sum(),
                    here.stream().mapToLong(Responder::fromOthers).sum(),
                    here.stream().mapToInt(responder -> peersByVia.getOrDefault(responder.via, 0)).max().orElse(0),
                    here.stream().mapToLong(responder -> TimeUnit.NANOSECONDS.toSeconds(responder.upNanos())).max()
                            .orElse(0),
                    null, error));
        }
        return checks;
    }

    @Override
    public void update(OwnPresence presence) {
        this.own = presence.withAvatarHash(ownAvatar.hash());
        publishText();
    }

    private void publishText() {
        OwnPresence current = own;
        if (current == null) {
            return; // not started: start publishes it
        }
        byte[] txt = Adverts.txtFor(current, port);
        responders.values().forEach(responder -> responder.setText(txt));
    }

    /**
     * A new picture is answered for at once, announced (cache-flush: peers that hold the old one in
     * their cache replace it, RFC 6762 §8.4), then named in the TXT record. A withdrawn one leaves the
     * TXT record first, then says goodbye (TTL 0).
     */
    @Override
    public synchronized void setAvatar(Optional<byte[]> picture) {
        long now = System.nanoTime();
        if (picture.isPresent()) {
            OwnAvatar.Published published = ownAvatar.publish(picture.get());
            for (Responder responder : responders.values()) {
                if (responder.announcePicture(published.picture(), AvatarRecords.TTL)) {
                    ownAvatar.multicastSent(responder.via, now);
                }
            }
            LOG.info("publishing a picture of {} bytes ({})", published.picture().length, published.hash());
        } else {
            Optional<OwnAvatar.Published> before = ownAvatar.clear();
            OwnPresence current = own;
            if (current != null) {
                own = current.withAvatarHash(Optional.empty());
                publishText();
            }
            before.ifPresent(gone -> responders.values().forEach(responder -> responder.announcePicture(gone.picture(), 0)));
            return;
        }
        OwnPresence current = own;
        if (current != null) {
            own = current.withAvatarHash(ownAvatar.hash());
            publishText();
        }
    }

    @Override
    public CompletableFuture<Optional<byte[]>> fetchAvatar(PeerId peer, String hash) {
        return avatarQueries.fetch(peer, hash);
    }

    /** For tests: fetch pictures within {@code limits} (before {@link #start}). */
    void fetchPicturesWithin(AvatarQueries.Limits limits) {
        avatarQueries = new AvatarQueries(this::askForPicture, network, limits);
    }

    /** The SHA-1 of the picture we publish now. */
    public Optional<String> avatarHash() {
        return ownAvatar.hash();
    }

    /**
     * True once every interface has finished announcing us (RFC 6762 §8.3). A TXT change before that
     * is not lost: it rides on the remaining announcement.
     */
    public boolean isAnnounced() {
        return !responders.isEmpty() && responders.values().stream().allMatch(Responder::isAnnounced);
    }

    @Override
    public PeerId self() {
        PeerId current = keeper.current();
        return current != null ? current : requested;
    }

    /** For diagnostics and lab tests: the instance name each responder (by its address) advertises now. */
    public Map<String, String> advertisedNames() {
        Map<String, String> names = new java.util.TreeMap<>();
        responders.values().forEach(responder -> {
            PeerId name = responder.registeredName();
            names.put(responder.via, name == null ? "-" : name.name());
        });
        return names;
    }

    /** For tests and diagnostics: the records JmDNS caches, over every responder. */
    int cachedRecords() {
        return responders.values().stream().mapToInt(Responder::cachedRecords).sum();
    }

    @Override
    public List<PeerAdvert> peers() {
        return onEventThread(table::adverts);
    }

    @Override
    public Optional<PeerAdvert> peer(PeerId id) {
        return onEventThread(() -> table.advert(id));
    }

    /**
     * Reports the peer gone at once, then asks the link for it again: a peer whose stream died while
     * it lives on answers, and is back within a moment; one that is gone stays gone.
     */
    @Override
    public void markGone(PeerId id) {
        try {
            events.execute(() -> table.gone(id).ifPresent(this::tell));
        } catch (RejectedExecutionException closing) {
            return; // Shutting down: nobody to tell.
        }
        comebacks.watch(id);
        LOG.debug("{} reported gone: asking for it again", id);
        for (long at : COMEBACK_QUERIES_MS) {
            later(() -> {
                if (comebacks.isWatched(id)) {
                    responders.values().forEach(responder -> responder.ask(id.name(), comebacks.hostOf(id)));
                }
            }, at);
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
        avatarQueries.close();
        network.shutdownNow();
        events.shutdownNow();
        Optional<OwnAvatar.Published> picture = ownAvatar.current();
        for (Responder responder : responders.values()) {
            responderWork.execute(() -> {
                picture.ifPresent(published -> responder.announcePicture(published.picture(), 0));
                responder.close();
            });
        }
        if (!Threads.shutdown(responderWork, RESPONDERS_CLOSE_WITHIN)) {
            LOG.warn("mDNS did not close cleanly within {} s", RESPONDERS_CLOSE_WITHIN.toSeconds());
        }
        responders.clear();
    }

    private void later(Runnable action, long delayMillis) {
        try {
            network.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // Shutting down.
        }
    }

    private void tell(PeerEvent event) {
        if (event instanceof PeerEvent.Vanished) {
            avatarQueries.cancel(event.id());
        }
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
        } catch (RejectedExecutionException closedMeanwhile) {
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

    /** What responders resolve, handed to the event thread. */
    private final class ResponderEvents implements Responder.Events {
        @Override
        public void resolved(Responder responder, PeerId id, TxtRecord txt, List<InetAddress> addresses, int port) {
            if (closed || responders.get(responder.address) != responder) {
                return;
            }
            try {
                events.execute(() -> table.resolved(id, responder.via, txt, addresses, port).ifPresent(
                        JmdnsPresenceService.this::tell));
                if (txt.keys().isEmpty()) {
                    // JmDNS resolves once before the TXT record is in: give it a moment, then show the defaults.
                    events.schedule(() -> table.settle(id).ifPresent(JmdnsPresenceService.this::tell),
                            TXT_GRACE_MS, TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException closing) {
                // Shutting down.
            }
        }

        @Override
        public void removed(Responder responder, PeerId id) {
            try {
                events.execute(() -> table.removed(id, responder.via).ifPresent(JmdnsPresenceService.this::tell));
            } catch (RejectedExecutionException closing) {
                // Shutting down.
            }
        }
    }

    /** What the name keeper needs from here. */
    private final class KeeperHost implements NameKeeper.Host {
        @Override
        public Collection<Responder> responders() {
            return responders.values();
        }

        @Override
        public byte[] txt() {
            return Adverts.txtFor(own, port);
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void renamed(PeerId from, PeerId to) {
            LOG.info("{} is taken on the link: we are {} now", from, to);
            events.execute(() -> listeners.forEach(listener -> listener.onRenamed(to)));
            // The owner of the name we left was skipped as "us" until now: resolve it as the peer it is.
            responders.values().forEach(responder -> responder.lookFor(from.name()));
        }
    }
}
