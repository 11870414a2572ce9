package chat.pronto.session;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.files.DownloadFolder;
import chat.pronto.history.History;
import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.TrafficLine;
import chat.pronto.model.Transfer;
import chat.pronto.model.TypingState;
import chat.pronto.presence.PresenceService;
import chat.pronto.security.Fingerprint;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.stream.StreamConfig;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.StreamServer;
import chat.pronto.stream.Traffic;
import chat.pronto.stream.TrafficTap;
import chat.pronto.threads.Threads;

/**
 * The chat service: builds the session parts over presence, streams and history, answers the front
 * ends, and shuts everything down. The conversations themselves are {@link PeerSession}s. (Longer
 * than the other parts because it is the whole facade: some twenty calls, each a few lines that hand
 * over to a part.)
 */
public final class SessionManager implements ChatService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    /**
     * Peers refuse elements over 256 KiB (ours does); escaped, a character takes at most 5 bytes
     * ({@code &amp;}), so this many always fit, with room for the stanza around them.
     */
    static final int MAX_BODY_CHARS = 50_000;

    /** How often the saved peers that are offline are looked at (each has its own growing wait). */
    private static final long REDIAL_TICK_MILLIS = 1_000;

    private final SessionConfig config;
    private final PresenceService presence;
    private final TlsContexts tls;
    private final DirectPeers direct;
    private final WideAreaPeers wideArea;
    private volatile chat.pronto.widearea.WideAreaConfig wideAreaConfig = chat.pronto.widearea.WideAreaConfig.off();
    private final DirectLinks directLinks;
    private final AddressReach reach;
    private final Redials redials;
    private final History history;
    private final KnownPeers knownPeers;
    private final StreamEngine engine;
    private final SessionThreads threads;
    private final PeerSessions sessions;
    private final Contacts contacts;
    private final EventBroadcaster events;
    private final SessionContext context;
    private final FileTransfers files;
    private final AutoAccept autoAccept;
    private final Avatars avatars;
    private volatile byte[] ownPicture;
    private volatile OwnPresence own;
    private volatile PeerId self;
    private volatile StreamServer server;
    private volatile boolean closed;

    /**
     * Takes ownership of {@code presence} and {@code history}: {@link #close()} closes them.
     *
     * @param own what to publish about ourselves; our capabilities are added to it
     */
    public SessionManager(SessionConfig config, StreamConfig streams, TlsContexts tls, KnownPeers knownPeers,
                          PresenceService mdns, History history, OwnPresence own) {
        this.config = config;
        this.tls = tls;
        this.threads = new SessionThreads(config.workers(), history);
        // Peers reached by address join those mDNS shows: told in order, on a lane of their own.
        // Peers found through wide-area DNS-SD, and those reached by address, join those mDNS shows.
        this.wideArea = new WideAreaPeers(new SerialLane(threads.workers, "wide-area-presence"), this::notice);
        this.direct = new DirectPeers(history, peer -> mdns.peer(peer).isPresent() || wideArea.peer(peer).isPresent(),
                new SerialLane(threads.workers, "direct-presence"));
        ReachablePresence reachable = new ReachablePresence(mdns, direct, wideArea);
        this.presence = reachable;
        this.history = history;
        this.knownPeers = knownPeers;
        this.own = own.withCapabilities(OwnFeatures.capabilities());
        this.self = PeerId.of(streams.localName());

        // Sessions are made on demand, by which time the context below is there.
        this.sessions = new PeerSessions(peer -> new PeerSession(context(), peer, files()));
        // The broadcaster and the pictures need each other: each waits for the other's field.
        this.avatars = new Avatars(presence, peer -> events().linkChanged(peer), threads.workers, System::nanoTime);
        this.contacts = new Contacts(presence, knownPeers, sessions, avatars, direct);
        Scheduler scheduler = new TimerScheduler(threads.timer);
        this.events = new EventBroadcaster(threads.events, contacts::of, scheduler, System::nanoTime,
                config.quotas().eventInterval());
        this.files = new FileTransfers(history, events, tls, scheduler, this::self,
                (peer, stanza) -> sessions.of(peer).sendRaw(stanza), DownloadFolder.standard(
                        java.nio.file.Path.of(System.getProperty("user.home")), System.getenv()));
        this.autoAccept = new AutoAccept(peer -> tls.isPinned(peer.name()),
                id -> files.accept(id, Optional.empty()).exceptionally(failure -> {
                    LOG.info("could not take an offered file without asking: {}", failure.getMessage());
                    return null;
                }));
        events.addListener(autoAccept);
        events.verifiedBy(peer -> knownPeers.isVerified(peer.name()));
        this.directLinks = new DirectLinks(direct, () -> this.own, this::port);
        this.engine = new StreamEngine(streams, tls, new StreamRouter(sessions, files, directLinks),
                new PresenceMatcher(mdns, new DirectAdmission(knownPeers, direct, history, () -> self)));
        directLinks.use(engine);
        Dialer dialer = new StreamDialer(engine, threads.dialers, config.dialTimeout());
        this.reach = new AddressReach(engine, threads.dialers, config.dialTimeout(), direct, events);
        this.redials = new Redials(direct, peer -> reachable.discovered(peer).isPresent(), dialer, threads.workers, System::nanoTime, events);
        this.context = new SessionContext(config, history, presence, dialer, events,
                scheduler, threads.workers, threads.store, System::nanoTime, Pause.sleeping());
    }

    private SessionContext context() {
        return context;
    }

    private EventBroadcaster events() {
        return events;
    }

    /** Browses (and registers in) unicast DNS domains as configured (RFC 6763 wide-area DNS-SD); before {@link #start}. */
    public void useWideArea(chat.pronto.widearea.WideAreaConfig config) {
        wideAreaConfig = config;
    }

    private void notice(Problem problem) {
        events().notice(problem);
    }

    /** Keeps peers' pictures in {@code folder} (the app: {@code avatars/} in the data directory); before {@link #start}. */
    public void keepAvatarsIn(java.nio.file.Path folder) {
        avatars.useCache(AvatarCache.inFolder(folder));
    }

    private FileRequests files() {
        return files;
    }

    /** At most this many bytes a second per file sent (0, the default: as fast as the link goes). */
    public void limitFileSending(long bytesPerSecond) {
        files.limitSending(bytesPerSecond);
    }

    /** Where accepted files go unless the user picks a folder (by default the XDG download folder's Pronto/). */
    public void downloadTo(java.nio.file.Path folder) {
        files.downloadTo(new DownloadFolder(folder));
    }

    @Override
    public void start() throws IOException {
        int requeued = OutboxRecovery.requeue(history, events);
        if (requeued > 0) {
            LOG.info("{} messages sent before the restart had no receipt: they go out again", requeued);
        }
        files.load();
        avatars.load();
        direct.load();
        server = listen();
        presence.addListener(new PresenceRouter(sessions, events, this::renamed, advert -> {
            avatars.seen(advert);
            files.peerSeen(advert.id());
        }));
        presence.start(self, own, server.port());
        self = presence.self();
        engine.rename(self.name());
        if (!wideAreaConfig.isOff()) {
            chat.pronto.widearea.WideArea wide = new chat.pronto.widearea.WideArea(wideAreaConfig, wideArea);
            wideArea.use(wide);
            wide.start(self, own, server.port(), () -> OwnAddresses.of(config.bindAddress()));
        }
        long period = Math.max(250, config.idleTimeout().toMillis() / 4);
        threads.timer.scheduleWithFixedDelay(this::closeIdleStreams, period, period, TimeUnit.MILLISECONDS);
        threads.timer.scheduleWithFixedDelay(redials::tick, 0, REDIAL_TICK_MILLIS, TimeUnit.MILLISECONDS);
        long watchPeriod = config.watch().checkEvery().toMillis();
        threads.timer.scheduleWithFixedDelay(this::checkLinks, watchPeriod, watchPeriod, TimeUnit.MILLISECONDS);
        Set<PeerId> waiting = new LinkedHashSet<>();
        for (StoredMessage stored : history.outbox()) {
            waiting.add(stored.message().peer());
        }
        waiting.forEach(peer -> sessions.of(peer).peerAppeared());
    }

    /**
     * Listens on the configured port; when another program holds it, on any free port instead (it is
     * advertised over mDNS either way, so people still reach us) and says so.
     */
    private StreamServer listen() throws IOException {
        try {
            return StreamServer.start(engine, config.bindAddress(), config.port());
        } catch (IOException taken) {
            if (config.port() == 0) {
                throw taken;
            }
            StreamServer fallback = StreamServer.start(engine, config.bindAddress(), 0);
            events.notice(Problem.of(Problem.Kind.PORT_IN_USE, config.port(), fallback.port()));
            return fallback;
        }
    }

    private void renamed(PeerId newName) {
        self = newName;
        engine.rename(newName.name());
    }

    /** The port streams are accepted on (advertised in SRV and {@code port.p2pj}). */
    public int port() {
        return server.port();
    }

    /** Raw traffic of every stream, for the debug console. */
    public TrafficTap traffic() {
        return engine.tap();
    }

    /** The stream engine, for tests and benchmarks that look at the streams themselves. */
    public StreamEngine engine() {
        return engine;
    }

    @Override
    public PeerId self() {
        return self;
    }

    @Override
    public OwnPresence ownPresence() {
        return own;
    }

    @Override
    public void updatePresence(OwnPresence value) {
        // The picture's hash is the one published (setAvatar), whatever the caller's copy says.
        own = value.withCapabilities(OwnFeatures.capabilities()).withAvatarHash(own.avatarHash());
        OwnPresence now = own;
        threads.workers.execute(() -> {
            presence.update(now);
            directLinks.broadcast(now);
            wideArea.source().ifPresent(wide -> wide.update(now));
        });
    }

    @Override
    public CompletableFuture<Void> setAvatar(Optional<byte[]> picture) {
        Optional<byte[]> copy = picture.map(byte[]::clone);
        try {
            copy.ifPresent(chat.pronto.model.AvatarHash::checkPublishable);
        } catch (IllegalArgumentException tooLarge) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        return onWorker(() -> {
            synchronized (avatars) {
                Optional<String> hash = copy.map(chat.pronto.model.AvatarHash::of);
                presence.setAvatar(copy);
                ownPicture = copy.orElse(null);
                own = own.withAvatarHash(hash);
                if (copy.isPresent()) {
                    try {
                        avatars.keep(hash.get(), copy.get());
                    } catch (IOException e) {
                        LOG.debug("our picture is published but not kept: {}", e.getMessage());
                    }
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Optional<byte[]>> avatar(PeerId peer) {
        if (peer.equals(self)) {
            byte[] picture = ownPicture;
            return CompletableFuture.completedFuture(Optional.ofNullable(picture).map(byte[]::clone));
        }
        return onWorker(() -> {
            Optional<String> hash = avatars.ready(presence.peer(peer));
            return hash.isEmpty() ? Optional.<byte[]>empty() : avatars.read(hash.get());
        });
    }

    @Override
    public CompletableFuture<List<Contact>> contacts() {
        return onWorker(contacts::all);
    }

    @Override
    public CompletableFuture<Optional<Contact>> contact(PeerId peer) {
        return onWorker(() -> contacts.find(peer));
    }

    @Override
    public CompletableFuture<ChatMessage> send(PeerId peer, String body) {
        if (body == null || body.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("an empty message is not sent"));
        }
        if (body.length() > MAX_BODY_CHARS) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("the message is " + body.length()
                    + " characters long; at most " + MAX_BODY_CHARS + " go in one message"));
        }
        if (peer.equals(self)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("that is you"));
        }
        return sessions.of(peer).send(ChatStanzas.xmlSafe(body));
    }

    @Override
    public CompletableFuture<ChatMessage> retry(PeerId peer, String messageId) {
        return sessions.of(peer).retry(messageId);
    }

    @Override
    public void setTyping(PeerId peer, TypingState state) {
        if (state == TypingState.COMPOSING) {
            sessions.of(peer).setTyping(state); // it may open the stream the coming message needs
        } else {
            sessions.existing(peer).ifPresent(session -> session.setTyping(state));
        }
    }

    @Override
    public CompletableFuture<List<StoredMessage>> latest(PeerId peer, int limit) {
        return onWorker(() -> history.latest(peer, limit));
    }

    @Override
    public CompletableFuture<List<StoredMessage>> older(PeerId peer, long before, int limit) {
        return onWorker(() -> history.before(peer, before, limit));
    }

    @Override
    public CompletableFuture<List<PeerId>> conversations() {
        return onWorker(history::conversations);
    }

    @Override
    public CompletableFuture<Void> acceptNewKey(PeerId peer, String fingerprint) {
        return onWorker(() -> {
            Fingerprint presented = events.presentedKey(peer)
                    .orElseThrow(() -> new IllegalStateException(peer + " presented no new key"));
            if (!presented.equals(Fingerprint.parse(fingerprint))) {
                throw new IllegalStateException(peer + " has presented yet another key since: "
                        + presented.toDisplayString() + ". Compare that one before accepting it.");
            }
            events.keyAccepted(peer, presented);
            knownPeers.pin(peer.name(), presented);
            sessions.of(peer).keyAccepted();
            events.linkChanged(peer);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> sendRaw(PeerId peer, String xml) {
        org.jivesoftware.smack.packet.Stanza stanza;
        try {
            stanza = RawStanza.parse(xml);
        } catch (RawStanza.Invalid invalid) {
            return CompletableFuture.failedFuture(invalid);
        }
        if (peer.equals(self)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("that is you"));
        }
        return sessions.of(peer).sendRaw(stanza);
    }

    @Override
    public CompletableFuture<Transfer> sendFile(PeerId peer, java.nio.file.Path file) {
        if (peer.equals(self)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("that is you"));
        }
        return onWorker(() -> file).thenCompose(checked -> files.send(peer, checked)); // its checks read the disk
    }

    @Override
    public void setFilePolicy(chat.pronto.model.FilePolicy policy) {
        if (!policy.downloadFolder().isEmpty()) {
            files.downloadTo(new DownloadFolder(java.nio.file.Path.of(policy.downloadFolder())));
        } else {
            files.downloadTo(DownloadFolder.standard(java.nio.file.Path.of(System.getProperty("user.home")),
                    System.getenv()));
        }
        autoAccept.policy(policy);
    }

    @Override
    public CompletableFuture<List<Transfer>> sendFiles(PeerId peer, List<java.nio.file.Path> paths) {
        if (peer.equals(self)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("that is you"));
        }
        return onWorker(() -> FolderWalk.files(paths)).thenCompose(found -> {
            List<CompletableFuture<Transfer>> offers = found.stream()
                    .map(file -> files.send(peer, file.path(), file.inFolder())).toList();
            return CompletableFuture.allOf(offers.toArray(CompletableFuture[]::new))
                    .thenApply(done -> offers.stream().map(CompletableFuture::join).toList());
        });
    }

    @Override
    public CompletableFuture<List<Transfer>> transfers() {
        return CompletableFuture.completedFuture(files.all());
    }

    @Override
    public CompletableFuture<Transfer> acceptFile(String id, Optional<java.nio.file.Path> folder) {
        return files.accept(id, folder);
    }

    @Override
    public CompletableFuture<Transfer> declineFile(String id) {
        return files.decline(id);
    }

    @Override
    public CompletableFuture<Transfer> cancelTransfer(String id) {
        return files.cancel(id);
    }

    @Override
    public CompletableFuture<chat.pronto.model.NetworkCheck> diagnose() {
        return onWorker(() -> {
            int listening = server == null ? 0 : port();
            List<chat.pronto.model.InterfaceCheck> checks = presence.interfaceChecks().stream()
                    .map(check -> check.used() && listening > 0 ? check.withPortReachable(answers(check, listening))
                            : check).toList();
            List<FirewallProbe.Reading> firewalls = FirewallProbe.system().read();
            List<String> vpns = chat.pronto.presence.LinkInterfaces.current().stream()
                    .filter(chat.pronto.presence.LinkInterfaces::isVpn)
                    .map(chat.pronto.presence.LinkInterfaces.Link::name).toList();
            int byAddress = (int) direct.saved().stream().filter(saved -> direct.isOnline(saved.id())).count();
            int onLink = presence.peers().size() - direct.adverts().size();
            return new chat.pronto.model.NetworkCheck(java.time.Instant.now(), self, listening, checks,
                    NetworkFindings.of(checks, firewalls, vpns, listening, onLink, byAddress),
                    firewalls.stream().map(reading -> reading.firewall() + ": " + reading.summary()).toList(),
                    events.recentProblems(), onLink, byAddress);
        });
    }

    /** Whether our stream port takes a TCP connection from the interface's own (first) address. */
    private static boolean answers(chat.pronto.model.InterfaceCheck check, int port) {
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress(java.net.InetAddress.getByName(check.addresses().get(0)), port),
                    1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public CompletableFuture<PeerId> addByAddress(String hostAndPort) {
        chat.pronto.model.HostPort target;
        try {
            target = chat.pronto.model.HostPort.parse(hostAndPort);
        } catch (IllegalArgumentException malformed) {
            return CompletableFuture.failedFuture(malformed);
        }
        return reach.reach(List.of(target.host()), target.port(), null, chat.pronto.model.SavedPeer.Origin.ADDRESS,
                target.host());
    }

    @Override
    public CompletableFuture<PeerId> openInvite(String link) {
        chat.pronto.model.InviteLink invite;
        try {
            invite = chat.pronto.model.InviteLink.parse(link);
        } catch (IllegalArgumentException malformed) {
            return CompletableFuture.failedFuture(malformed);
        }
        if (invite.name().equals(self)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("that is your own invite link"));
        }
        return onWorker(() -> {
            Fingerprint key = Fingerprint.parse(invite.fingerprint());
            if (knownPeers.pinVerified(invite.name().name(), key) instanceof chat.pronto.security.PinCheck.Changed changed) {
                events.keyChanged(invite.name(), new chat.pronto.stream.StreamEnd.KeyChanged(invite.name().name(),
                        changed.pinned(), changed.presented()));
                throw new IllegalStateException("the link's key for " + invite.name() + " is not the key pinned for"
                        + " that name: it was not added. Compare the fingerprints before you accept another key.");
            }
            events.linkChanged(invite.name());
            return invite;
        }).thenCompose(checked -> reach.reach(checked.addresses(), checked.port(), checked.name(),
                chat.pronto.model.SavedPeer.Origin.INVITE, null));
    }

    @Override
    public CompletableFuture<chat.pronto.model.InviteLink> inviteLink() {
        return onWorker(() -> {
            List<String> addresses = OwnAddresses.literals(OwnAddresses.of(config.bindAddress()));
            if (addresses.isEmpty()) {
                throw new IllegalStateException("this computer has no network address to put in a link");
            }
            return new chat.pronto.model.InviteLink(self, tls.ownFingerprint().hex(), port(), addresses);
        });
    }

    @Override
    public CompletableFuture<List<chat.pronto.model.SavedPeer>> savedPeers() {
        return CompletableFuture.completedFuture(direct.saved());
    }

    @Override
    public CompletableFuture<Void> forgetPeer(PeerId peer) {
        return onWorker(() -> {
            direct.forget(peer);
            events.linkChanged(peer);
            return null;
        });
    }

    @Override
    public CompletableFuture<String> ownFingerprint() {
        return onWorker(() -> tls.ownFingerprint().hex());
    }

    @Override
    public CompletableFuture<Void> markVerified(PeerId peer, String fingerprint) {
        return onWorker(() -> {
            knownPeers.verify(peer.name(), Fingerprint.parse(fingerprint));
            events.linkChanged(peer);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> unmarkVerified(PeerId peer) {
        return onWorker(() -> {
            knownPeers.unverify(peer.name());
            events.linkChanged(peer);
            return null;
        });
    }

    @Override
    public AutoCloseable watchTraffic(Consumer<TrafficLine> listener) {
        return engine.tap().listen(traffic -> listener.accept(new TrafficLine(traffic.at(), traffic.streamId(),
                traffic.peer(), traffic.direction() == Traffic.Direction.IN, traffic.xml(), traffic.encrypted())));
    }

    @Override
    public void addListener(ChatListener listener) {
        events.addListener(listener);
    }

    @Override
    public void removeListener(ChatListener listener) {
        events.removeListener(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the listener: {}", e.getMessage());
        }
        // Streams close with the handshake while mDNS says goodbye: both take a moment, in parallel.
        Thread goodbye = Threads.start("pronto-presence-goodbye", presence::close);
        files.close();
        wideArea.source().ifPresent(chat.pronto.widearea.WideArea::close); // withdraws our records
        engine.close();
        try {
            goodbye.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.stop();
        events.closed();
        try {
            history.close();
        } catch (IOException e) {
            LOG.warn("closing the history: {}", e.getMessage());
        }
    }

    private void closeIdleStreams() {
        long now = System.nanoTime();
        long idle = config.idleTimeout().toNanos();
        // A peer reached by address is online while its stream is open: that one stays.
        sessions.all().stream().filter(session -> !direct.isOnline(session.peer))
                .forEach(session -> session.closeIdle(now, idle));
    }

    private void checkLinks() {
        sessions.all().forEach(PeerSession::checkLink);
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private <T> CompletableFuture<T> onWorker(IoCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.workers.execute(() -> {
                try {
                    result.complete(call.call());
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new NotSentException(Problem.of(Problem.Kind.SHUTTING_DOWN), e));
        }
        return result;
    }
}
