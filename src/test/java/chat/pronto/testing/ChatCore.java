package chat.pronto.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

import chat.pronto.history.SqliteHistory;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.session.SessionConfig;
import chat.pronto.session.SessionManager;
import chat.pronto.stream.Encryption;
import chat.pronto.stream.StreamConfig;

/**
 * One whole Pronto core (sessions, streams, TLS, history) on 127.0.0.1 with {@link FakePresence}:
 * several of them in one JVM chat with each other for real, over real sockets and real TLS.
 */
public final class ChatCore implements AutoCloseable {
    public final PeerId name;
    public final Path data;
    public final FakePresence presence;
    public final SessionManager chat;
    public final RecordingChatListener events = new RecordingChatListener();
    /** Its history, which the test can make refuse new messages (a full disk). */
    public final BreakableHistory history;

    private ChatCore(PeerId name, Path data, FakePresence presence, SessionManager chat, BreakableHistory history) {
        this.name = name;
        this.data = data;
        this.presence = presence;
        this.chat = chat;
        this.history = history;
        chat.addListener(events);
    }

    public static Builder on(FakeLink link, String name) {
        return new Builder(link, PeerId.of(name));
    }

    public PeerId id() {
        return name;
    }

    @Override
    public void close() {
        chat.close();
    }

    /** How to make a core; every setting has a test-friendly default. */
    public static final class Builder {
        private final FakeLink link;
        private final PeerId name;
        private Path data;
        private InetAddress advertised = InetAddress.getLoopbackAddress();
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private Encryption encryption = Encryption.PREFERRED;
        private Duration idle = Duration.ofMinutes(3);
        private Identity identity;
        private int port;
        private int advertisedPort;
        private SessionConfig.Watch watch = SessionConfig.Watch.defaults();
        private SessionConfig.Quotas quotas = SessionConfig.Quotas.defaults();
        private java.util.function.UnaryOperator<StreamConfig> streams = java.util.function.UnaryOperator.identity();

        private Builder(FakeLink link, PeerId name) {
            this.link = link;
            this.name = name;
        }

        /** Keeps identity, pins and history in {@code directory} (to restart the "same" core). */
        public Builder data(Path directory) {
            data = directory;
            return this;
        }

        public Builder advertising(InetAddress address) {
            advertised = address;
            return this;
        }

        /** Listen on {@code address} (default 127.0.0.1). */
        public Builder bind(InetAddress address) {
            bind = address;
            return this;
        }

        public Builder encryption(Encryption value) {
            encryption = value;
            return this;
        }

        public Builder idle(Duration value) {
            idle = value;
            return this;
        }

        /** The port to listen on (default: any free one). */
        public Builder port(int value) {
            port = value;
            return this;
        }

        /** Advertise this port instead of the one streams are accepted on (a relay in front of it). */
        public Builder advertisedPort(int value) {
            advertisedPort = value;
            return this;
        }

        /** How soon a silent peer is noticed. */
        public Builder watch(SessionConfig.Watch value) {
            watch = value;
            return this;
        }

        /** How much one peer may make it store and show. */
        public Builder quotas(SessionConfig.Quotas value) {
            quotas = value;
            return this;
        }

        /** Changes the stream settings (limits, deadlines, allowance) from the defaults. */
        public Builder streams(java.util.function.UnaryOperator<StreamConfig> change) {
            streams = change;
            return this;
        }

        public Builder identity(Identity value) {
            identity = value;
            return this;
        }

        public ChatCore start() throws IOException {
            return startWith(presence -> { });
        }

        /** Starts, letting {@code beforeJoining} set up its presence before it joins the link. */
        public ChatCore startWith(java.util.function.Consumer<FakePresence> beforeJoining) throws IOException {
            Path directory = data != null ? data : Scratch.directory("core-");
            Identity key = identity != null ? identity : Identity.loadOrCreate(directory, name.name());
            KnownPeers known = KnownPeers.load(directory);
            SessionConfig config = SessionConfig.defaults().withBind(bind, port)
                    .withIdleTimeout(idle).withRetries(Duration.ofMillis(200), Duration.ofSeconds(2)).withWatch(watch)
                    .withQuotas(quotas);
            FakePresence presence = new FakePresence(link, advertised);
            presence.advertisePort(advertisedPort);
            beforeJoining.accept(presence);
            BreakableHistory history = new BreakableHistory(SqliteHistory.open(directory.resolve("history.db")));
            SessionManager chat = new SessionManager(config, streams.apply(StreamConfig.defaults(name.name())
                    .withEncryption(encryption)), new TlsContexts(key, known), known, presence, history,
                    OwnPresence.available(name.user()));
            ChatCore core = new ChatCore(name, directory, presence, chat, history);
            chat.downloadTo(directory.resolve("downloads"));
            chat.keepAvatarsIn(directory.resolve("avatars"));
            chat.start();
            return core;
        }
    }
}
