package chat.pronto.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.stream.StreamConfig;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.StreamServer;
import chat.pronto.stream.XmlStream;

/** One Pronto stream core on 127.0.0.1: identity, pins, engine, listening server, recorded events. */
public final class TestNode implements AutoCloseable {
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public final String name;
    public final Identity identity;
    public final KnownPeers knownPeers;
    public final RecordingStreamListener events = new RecordingStreamListener();
    public final StreamEngine engine;
    public final StreamServer server;

    private TestNode(StreamConfig config, Identity identity, KnownPeers knownPeers) throws IOException {
        this.name = config.localName();
        this.identity = identity;
        this.knownPeers = knownPeers;
        this.engine = new StreamEngine(config, new TlsContexts(identity, knownPeers), events);
        this.server = StreamServer.start(engine, LOOPBACK, 0);
    }

    public static TestNode start(String name) throws IOException {
        return start(StreamConfig.defaults(name));
    }

    public static TestNode start(StreamConfig config) throws IOException {
        return new TestNode(config, Identity.generate(config.localName()), KnownPeers.inMemory());
    }

    public static TestNode start(StreamConfig config, Identity identity, KnownPeers knownPeers) throws IOException {
        return new TestNode(config, identity, knownPeers);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, server.port());
    }

    /** Dials {@code other} under its name. */
    public XmlStream dial(TestNode other) throws IOException {
        return engine.open(other.address(), other.name);
    }

    @Override
    public void close() throws IOException {
        server.close();
        engine.close();
    }
}
