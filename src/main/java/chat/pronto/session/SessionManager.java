package chat.pronto.session;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StreamError.Condition;
import org.jivesoftware.smack.packet.Stanza;
import org.jxmpp.jid.Jid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.history.SqliteHistory;
import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.TypingState;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceDiagnostic;
import chat.pronto.presence.PresenceListener;
import chat.pronto.presence.PresenceService;
import chat.pronto.security.Fingerprint;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.stream.StreamConfig;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamListener;
import chat.pronto.stream.StreamServer;
import chat.pronto.stream.TrafficTap;
import chat.pronto.stream.XmlStream;

/**
 * The chat service over presence, streams and history: one {@link PeerSession} per peer, the
 * stream listener, the idle watch, and the one event thread that tells the front ends.
 */
public final class SessionManager implements ChatService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    /**
     * Peers refuse elements over 256 KiB (ours does); escaped, a character takes at most 5 bytes
     * ({@code &amp;}), so this many always fit, with room for the stanza around them.
     */
    static final int MAX_BODY_CHARS = 50_000;

    private final SessionConfig config;
    private final PresenceService presence;
    private final SqliteHistory history;
    private final KnownPeers knownPeers;
    private final StreamEngine engine;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService events;
    private final ExecutorService store;
    private final ThreadPoolExecutor dialers;
    private final Map<PeerId, PeerSession> sessions = new ConcurrentHashMap<>();
    private final Map<PeerId, Fingerprint> presentedKeys = new ConcurrentHashMap<>();
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
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
                          PresenceService presence, SqliteHistory history, OwnPresence own) {
        this.config = config;
        this.presence = presence;
        this.history = history;
        this.knownPeers = knownPeers;
        this.own = own.withCapabilities(OwnFeatures.capabilities());
        this.self = PeerId.of(streams.localName());
        this.engine = new StreamEngine(streams, tls, new StreamEvents(), new PresenceMatcher(presence));
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named("pronto-session-"));
        workers.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, named("pronto-session-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.events = Executors.newSingleThreadExecutor(named("pronto-session-events"));
        this.store = Executors.newSingleThreadExecutor(named("pronto-session-store"));
        // Dials block (connect, negotiate): on their own bounded pool, never on the workers.
        this.dialers = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named("pronto-session-dial-"));
        dialers.allowCoreThreadTimeOut(true);
    }

    @Override
    public void start() throws IOException {
        server = listen();
        presence.addListener(new PresenceEvents());
        presence.start(self, own, server.port());
        self = presence.self();
        engine.rename(self.name());
        long period = Math.max(250, config.idleTimeout().toMillis() / 4);
        timer.scheduleWithFixedDelay(this::closeIdleStreams, period, period, TimeUnit.MILLISECONDS);
        Set<PeerId> waiting = new LinkedHashSet<>();
        for (StoredMessage stored : history.outbox()) {
            waiting.add(stored.message().peer());
        }
        waiting.forEach(peer -> session(peer).peerAppeared());
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
            notice("Port " + config.port() + " is in use by another program, so Pronto listens on port "
                    + fallback.port() + " instead; people nearby still find you (the port is advertised).");
            return fallback;
        }
    }

    /** The port streams are accepted on (advertised in SRV and {@code port.p2pj}). */
    public int port() {
        return server.port();
    }

    /** Raw traffic of every stream, for the debug console. */
    public TrafficTap traffic() {
        return engine.tap();
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
        own = value.withCapabilities(OwnFeatures.capabilities());
        workers.execute(() -> presence.update(own));
    }

    @Override
    public CompletableFuture<List<Contact>> contacts() {
        return onWorker(() -> {
            Set<PeerId> ids = new LinkedHashSet<>();
            presence.peers().forEach(advert -> ids.add(advert.id()));
            sessions.values().stream().filter(s -> s.link() != chat.pronto.model.LinkSecurity.NONE)
                    .forEach(s -> ids.add(s.peer));
            return ids.stream().map(this::contactOf).toList();
        });
    }

    @Override
    public CompletableFuture<Optional<Contact>> contact(PeerId peer) {
        return onWorker(() -> {
            Contact contact = contactOf(peer);
            return contact.online() || sessions.containsKey(peer) ? Optional.of(contact) : Optional.empty();
        });
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
        return session(peer).send(xmlSafe(body));
    }

    @Override
    public CompletableFuture<ChatMessage> retry(PeerId peer, String messageId) {
        return session(peer).retry(messageId);
    }

    @Override
    public void setTyping(PeerId peer, TypingState state) {
        PeerSession session = sessions.get(peer);
        if (session != null) {
            session.setTyping(state);
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
            Fingerprint presented = presentedKeys.get(peer);
            if (presented == null) {
                throw new IllegalStateException(peer + " presented no new key");
            }
            if (!presented.equals(Fingerprint.parse(fingerprint))) {
                throw new IllegalStateException(peer + " has presented yet another key since: "
                        + presented.toDisplayString() + ". Compare that one before accepting it.");
            }
            presentedKeys.remove(peer, presented);
            knownPeers.pin(peer.name(), presented);
            session(peer).keyAccepted();
            contactChanged(peer);
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
        return session(peer).sendRaw(stanza);
    }

    @Override
    public AutoCloseable watchTraffic(java.util.function.Consumer<chat.pronto.model.TrafficLine> listener) {
        return engine.tap().listen(traffic -> listener.accept(new chat.pronto.model.TrafficLine(traffic.at(),
                traffic.streamId(), traffic.peer(), traffic.direction() == chat.pronto.stream.Traffic.Direction.IN,
                traffic.xml(), traffic.encrypted())));
    }

    @Override
    public void addListener(ChatListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(ChatListener listener) {
        listeners.remove(listener);
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
        Thread goodbye = new Thread(presence::close, "pronto-presence-goodbye");
        goodbye.start();
        engine.close();
        try {
            goodbye.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        dialers.shutdownNow();
        awaitQuietly(dialers);
        store.shutdown();
        awaitQuietly(store);
        workers.shutdown();
        awaitQuietly(workers);
        events.shutdown();
        awaitQuietly(events);
        try {
            history.close();
        } catch (IOException e) {
            LOG.warn("closing the history: {}", e.getMessage());
        }
    }

    // ---- for the peer sessions --------------------------------------------------------------------

    SessionConfig config() {
        return config;
    }

    PresenceService presence() {
        return presence;
    }

    SqliteHistory history() {
        return history;
    }

    StreamEngine engine() {
        return engine;
    }

    ExecutorService workers() {
        return workers;
    }

    ExecutorService dialers() {
        return dialers;
    }

    /** The one thread that stores outgoing messages, in the order they were sent. */
    ExecutorService store() {
        return store;
    }

    /** Runs {@code task} after {@code delay}; returns null when shutting down (nothing to do then). */
    java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, java.time.Duration delay) {
        try {
            return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return null;
        }
    }

    void emit(ChatEvent event) {
        if (events.isShutdown()) {
            return;
        }
        try {
            events.execute(() -> {
                for (ChatListener listener : listeners) {
                    try {
                        listener.onChatEvent(event);
                    } catch (RuntimeException e) {
                        LOG.error("a chat listener failed on {}", event, e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // Nobody is listening any more.
        }
    }

    void notice(String text) {
        emit(new ChatEvent.Notice(text));
    }

    void contactChanged(PeerId peer) {
        Contact contact = contactOf(peer);
        emit(contact.online() ? new ChatEvent.ContactChanged(contact) : new ChatEvent.ContactGone(peer));
    }

    void keyChanged(PeerId peer, StreamEnd.KeyChanged changed) {
        presentedKeys.put(peer, changed.presented());
        emit(new ChatEvent.KeyChanged(peer, changed.pinned().toDisplayString(),
                changed.presented().toDisplayString()));
    }

    // ---- inside ---------------------------------------------------------------------------------

    private PeerSession session(PeerId peer) {
        return sessions.computeIfAbsent(peer, id -> new PeerSession(this, id));
    }

    private Contact contactOf(PeerId peer) {
        PeerSession session = sessions.get(peer);
        return new Contact(peer, presence.peer(peer),
                session == null ? chat.pronto.model.LinkSecurity.NONE : session.link(),
                knownPeers.pinned(peer.name()).map(Fingerprint::toDisplayString));
    }

    private void closeIdleStreams() {
        long now = System.nanoTime();
        long idle = config.idleTimeout().toNanos();
        sessions.values().forEach(session -> session.closeIdle(now, idle));
    }

    /**
     * XML 1.0 cannot carry most control characters: a peer would end the stream as not-well-formed
     * and the message would never go. They become U+FFFD; tabs and line breaks stay.
     */
    static String xmlSafe(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || Character.isSurrogate(c) && validSurrogate(text, i);
            if (!allowed && safe == null) {
                safe = new StringBuilder(text.substring(0, i));
            }
            if (safe != null) {
                safe.append(allowed ? c : '\uFFFD');
            }
        }
        return safe == null ? text : safe.toString();
    }

    private static boolean validSurrogate(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** A stanza's {@code from}, when present, must be the stream's peer: nobody speaks as someone else. */
    private static boolean fromIsPeer(Stanza stanza, String peer) {
        Jid from = stanza.getFrom();
        if (from == null) {
            return true;
        }
        Jid expected = ChatStanzas.jid(PeerId.of(peer));
        // JIDs compare after normalisation (jxmpp lowercases what it parses: Alice@Laptop is alice@laptop).
        return expected != null ? expected.equals(from.asBareJid()) : from.toString().equalsIgnoreCase(peer);
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private <T> CompletableFuture<T> onWorker(IoCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    result.complete(call.call());
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IOException("Pronto is shutting down", e));
        }
        return result;
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix.endsWith("-") ? prefix + count.incrementAndGet() : prefix);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Streams report here, on their reader threads. */
    private final class StreamEvents implements StreamListener {
        @Override
        public void onEstablished(XmlStream stream, StreamInfo info) {
            session(PeerId.of(info.peer())).onEstablished(stream, info);
        }

        @Override
        public void onStanza(XmlStream stream, Stanza stanza) {
            String peer = stream.peer().orElseThrow();
            if (!fromIsPeer(stanza, peer)) {
                stream.fail(Condition.invalid_from, "a stanza from " + stanza.getFrom() + " on the stream of " + peer);
                return;
            }
            PeerSession session = session(PeerId.of(peer));
            if (stanza instanceof Message message) {
                session.onMessage(stream, message);
            } else if (stanza instanceof IQ iq) {
                session.onIq(stream, iq);
            }
            // Presence over a stream is accepted and not acted on: status comes from mDNS (XEP-0174).
        }

        @Override
        public void onStanzaDropped(XmlStream stream, String reason) {
            LOG.info("dropped a stanza from {}: {}", stream.peer().orElse("?"), reason);
        }

        @Override
        public void onEnded(XmlStream stream, StreamEnd end) {
            Optional<String> peer = stream.peer();
            if (peer.isPresent() && (stream.info().isPresent() || end instanceof StreamEnd.KeyChanged)) {
                session(PeerId.of(peer.get())).onEnded(stream, end);
            }
        }
    }

    /** Presence reports here, on its event thread. */
    private final class PresenceEvents implements PresenceListener {
        @Override
        public void onPeerEvent(PeerEvent event) {
            if (event instanceof PeerEvent.Vanished) {
                contactChanged(event.id());
                return;
            }
            contactChanged(event.id());
            if (event instanceof PeerEvent.Appeared || sessions.containsKey(event.id())) {
                session(event.id()).peerAppeared();
            }
        }

        @Override
        public void onRenamed(PeerId newName) {
            self = newName;
            engine.rename(newName.name());
            emit(new ChatEvent.Renamed(newName));
        }

        @Override
        public void onDiagnostic(PresenceDiagnostic diagnostic) {
            notice(diagnostic.describe());
        }
    }
}
