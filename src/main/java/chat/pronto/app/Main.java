package chat.pronto.app;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.jivesoftware.smack.packet.Stanza;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.presence.InstanceNames;
import chat.pronto.presence.JmdnsPresenceService;
import chat.pronto.presence.LinkInterfaces;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceDiagnostic;
import chat.pronto.presence.PresenceListener;
import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.stream.Encryption;
import chat.pronto.stream.StreamConfig;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamEngine;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamListener;
import chat.pronto.stream.StreamServer;
import chat.pronto.stream.XmlStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts Pronto: reads the flags, builds and wires every part, shuts them down on exit. */
@Command(name = "pronto", mixinStandardHelpOptions = true, version = "Pronto 0.1.0",
        description = "Serverless chat with the people on your local network (XEP-0174 / XEP-0246).")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(names = "--name", paramLabel = "USER@MACHINE",
            description = "Instance name to use (default: login name @ host name).")
    private String name;

    @Option(names = "--port", defaultValue = "0",
            description = "TCP port for incoming streams (default: any free port, advertised over mDNS).")
    private int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "Address to listen on (default: all).")
    private String bind;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the identity, pinned keys and history live (default: $XDG_DATA_HOME/pronto).")
    private Path dataDir;

    @Option(names = "--interface", paramLabel = "NAME|ADDRESS",
            description = "Discover and advertise only on this interface or address (repeatable;"
                    + " default: every interface that reaches a local network).")
    private List<String> interfaces = new ArrayList<>();

    @Option(names = "--nick", description = "The name people see (default: your login name).")
    private String nick;

    @Option(names = "--first", description = "First name to publish (not published unless given).")
    private String firstName;

    @Option(names = "--last", description = "Last name to publish (not published unless given).")
    private String lastName;

    @Option(names = "--publish-email", paramLabel = "EMAIL", description = "Publish this email address (off by default).")
    private String email;

    @Option(names = "--publish-jid", paramLabel = "JID", description = "Publish this XMPP address (off by default).")
    private String jid;

    @Option(names = "--require-encryption",
            description = "Refuse peers that cannot encrypt (Pidgin and other legacy clients).")
    private boolean requireEncryption;

    @Option(names = "--self-test", description = "Check that this installation works (loopback only), then exit.")
    private boolean selfTest;

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (selfTest) {
            return SelfTest.run(System.out);
        }
        String instance = name != null ? name
                : InstanceNames.fromLoginAndHost(System.getProperty("user.name"), hostName()).name();
        Path data = dataDir != null ? dataDir : AppPaths.dataDirectory();
        Identity identity = Identity.loadOrCreate(data, instance);
        KnownPeers knownPeers = KnownPeers.load(data);
        StreamConfig config = StreamConfig.defaults(instance)
                .withEncryption(requireEncryption ? Encryption.REQUIRED : Encryption.PREFERRED);
        StreamEngine engine = new StreamEngine(config, new TlsContexts(identity, knownPeers), new ConsoleReport());
        StreamServer server = StreamServer.start(engine, InetAddress.getByName(bind), port);

        JmdnsPresenceService presence = new JmdnsPresenceService(
                () -> LinkInterfaces.select(LinkInterfaces.current(), interfaces), Duration.ofSeconds(10),
                Duration.ofSeconds(60));
        presence.addListener(new ConsolePresence());
        OwnPresence own = new OwnPresence(Status.AVAILABLE, null, nick != null ? nick : System.getProperty("user.name"),
                firstName, lastName, email, jid, Optional.empty());
        presence.start(PeerId.of(instance), own, server.port());

        System.out.printf("Pronto is listening as %s on port %d%nyour key: %s%ndata: %s%n", presence.self(),
                server.port(), identity.fingerprint(), data);
        System.out.println("(the desktop window comes next: see README, Status)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            presence.close();
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("closing the listener: {}", e.getMessage());
            }
            engine.close();
            stopped.countDown();
        }, "pronto-shutdown"));
        stopped.await();
        return 0;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "");
        }
    }

    /** Until the UI exists: who is nearby goes to the terminal. */
    private static final class ConsolePresence implements PresenceListener {
        @Override
        public void onPeerEvent(PeerEvent event) {
            if (event instanceof PeerEvent.Appeared appeared) {
                PeerAdvert advert = appeared.advert();
                System.out.printf("+ %s (%s) %s %s%n", advert.id(), advert.displayName(), advert.status(),
                        advert.message());
            } else if (event instanceof PeerEvent.Updated updated) {
                PeerAdvert advert = updated.advert();
                System.out.printf("~ %s (%s) %s %s%n", advert.id(), advert.displayName(), advert.status(),
                        advert.message());
            } else {
                System.out.printf("- %s%n", event.id());
            }
        }

        @Override
        public void onRenamed(PeerId newName) {
            System.out.printf("our name was taken on the network: we are now %s%n", newName);
        }

        @Override
        public void onDiagnostic(PresenceDiagnostic diagnostic) {
            System.out.println("! " + diagnostic.describe());
        }
    }

    /** Until the UI exists: streams report to the terminal. */
    private static final class ConsoleReport implements StreamListener {
        @Override
        public void onEstablished(XmlStream stream, StreamInfo info) {
            System.out.printf("stream with %s: %s%n", info.peer(), info.security());
        }

        @Override
        public void onStanza(XmlStream stream, Stanza stanza) {
            System.out.printf("%s: %s%n", stream.peer().orElse("?"), stanza.toXML());
        }

        @Override
        public void onEnded(XmlStream stream, StreamEnd end) {
            System.out.printf("stream with %s ended: %s%n", stream.peer().orElse("?"), end.describe());
        }
    }
}
