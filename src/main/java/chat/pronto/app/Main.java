package chat.pronto.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.slf4j.bridge.SLF4JBridgeHandler;

import chat.pronto.cli.DiagnosisReport;
import chat.pronto.cli.TerminalConsole;
import chat.pronto.history.SqliteHistory;
import chat.pronto.model.AvatarHash;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.Status;
import chat.pronto.presence.InstanceNames;
import chat.pronto.presence.JmdnsPresenceService;
import chat.pronto.presence.LinkInterfaces;
import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.security.TlsContexts;
import chat.pronto.session.SessionConfig;
import chat.pronto.session.SessionManager;
import chat.pronto.model.FilePolicy;
import chat.pronto.settings.Preferences;
import chat.pronto.stream.Encryption;
import chat.pronto.stream.StreamConfig;
import chat.pronto.threads.Threads;
import chat.pronto.ui.DesktopApp;
import chat.pronto.ui.EarlyStart;
import chat.pronto.ui.StartupMoments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import chat.pronto.ui.OpenRequests;

/** Starts Pronto: reads the flags, builds and wires every part, shuts them down on exit. */
@Command(name = "pronto", mixinStandardHelpOptions = true, version = "Pronto 0.1.0",
        description = "Serverless chat with the people on your local network (XEP-0174 / XEP-0246).")
public final class Main implements Callable<Integer> {
    /** The terminal's console once there is one: the shutdown writes what it still holds. */
    private volatile TerminalConsole terminalInUse;
    @Option(names = "--name", paramLabel = "USER@MACHINE",
            description = "Instance name to use (default: login name @ host name).")
    private String name;

    @Option(names = "--port",
            description = "TCP port for incoming streams (default: 5298, XEP-0174's and the firewall profiles';"
                    + " any free port when another program holds it, advertised over mDNS either way; 0: any).")
    private int port = 5298;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on (default: all).")
    private String bind = "0.0.0.0";

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the identity, pinned keys and history live (default: $XDG_DATA_HOME/pronto).")
    private Path dataDir;

    @Option(names = "--interface", paramLabel = "NAME|ADDRESS",
            description = "Discover and advertise only on this interface or address (repeatable;"
                    + " default: every interface that reaches a local network).")
    private List<String> interfaces = new ArrayList<>();

    @Option(names = "--downloads", paramLabel = "DIR",
            description = "Where accepted files go (default: the setting, else your download folder's Pronto/).")
    Path downloads;

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

    @Option(names = "--avatar", paramLabel = "FILE",
            description = "Publish this picture (a small PNG or JPEG, at most 65,393 bytes; XEP-0174 phsh).")
    private Path avatar;

    @Option(names = "--require-encryption",
            description = "Refuse peers that cannot encrypt (Pidgin and other legacy clients).")
    private boolean requireEncryption;

    @Option(names = "--sync-every-commit", description = "Sync the history to the disk at every commit: a power "
            + "cut then loses nothing either (slower; by default the history survives a crash of Pronto, and a "
            + "power cut may take back the last moments). Also a setting: history.sync.every.commit.")
    private boolean syncEveryCommit;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Close a stream nobody used for this long (default: the settings, else 180 s);"
                    + " the next message reopens it.")
    private Long idleSeconds;

    @Option(names = "--console", description = "Run in the terminal instead of opening the window.")
    private boolean console;

    @Option(names = "--machine", description = "In the terminal, print tab-separated lines for scripts.")
    private boolean machine;

    @Option(names = "--quit-at-end-of-input",
            description = "Quit when standard input ends (for scripts); by default Pronto keeps running.")
    private boolean quitAtEndOfInput;

    @Option(names = "--dns-sd-domain", paramLabel = "DOMAIN",
            description = "Also find people through wide-area DNS-SD (unicast DNS, RFC 6763) in DOMAIN and the "
                    + "browsing domains it offers (repeatable; off by default).")
    private List<String> wideAreaDomains = new ArrayList<>();

    @Option(names = "--dns-sd-ask-network",
            description = "Also browse the domains the network's DNS offers for it (b/lb._dns-sd._udp under the "
                    + "search domains and the subnets' reverse-mapping domains, RFC 6763 §11; off by default: it "
                    + "asks the network's DNS server).")
    private boolean wideAreaAskNetwork;

    @Option(names = "--dns-sd-register", paramLabel = "DOMAIN",
            description = "Register us in DOMAIN with DNS UPDATE (RFC 2136), signed with --tsig-key-file.")
    private String wideAreaRegister;

    @Option(names = "--dns-server", paramLabel = "HOST[:PORT]",
            description = "The DNS server for wide-area DNS-SD (default: the system's).")
    private String dnsServer;

    @Option(names = "--tsig-key-file", paramLabel = "FILE",
            description = "The TSIG key the zone takes updates signed with, as one line NAME:ALGORITHM:SECRET.")
    private Path tsigKeyFile;

    @Parameters(arity = "0..1", paramLabel = "LINK", description = "An invite link (xmpp:…?pronto;…) to open: it "
            + "shows in Add someone, for you to confirm. Given to a Pronto already running when there is one.")
    private String link;

    /** What later launches ask of this one, until the window or the terminal takes it. */
    private final OpenRequests requests = new OpenRequests();

    @Option(names = "--diagnose", description = "Watch the network for a few seconds, say why nobody shows up "
            + "(interfaces, mDNS, firewalls, likely causes), then exit.")
    private boolean diagnose;

    @Option(names = "--diagnose-seconds", paramLabel = "SECONDS", hidden = true,
            description = "How long --diagnose watches the network first.")
    private int diagnoseSeconds = 6;

    @Option(names = "--self-test", description = "Check that this installation works (loopback only), then exit.")
    private boolean selfTest;

    /** Packaging's training run for the class-data archive: the window, the network, then quit. */
    @Option(names = "--exit-after-first-frame", hidden = true)
    private boolean exitAfterFirstFrame;

    public static void main(String[] args) {
        StartupMoments.note("main");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        if (hasDisplay() && java.util.Collections.disjoint(List.of(args), NO_WINDOW)) {
            // JavaFX takes about as long to start as the chat core: both at once.
            EarlyStart.begin();
            StartupMoments.note("toolkit-starting");
            SqliteHistory.loadLibraryAhead();
        }
        System.exit(args.length == 0 ? runWithoutFlags(new Main()) : new CommandLine(new Main()).execute(args));
    }

    /**
     * A launch from the desktop has no flags: picocli would only build its model of them (reflection
     * over every option, ~150 ms of the main thread beside the window's start) to give each its
     * default, and every default is the field's own initial value (MainDefaultsTest checks that they
     * agree). A failure ends the same way as under picocli: its stack trace, exit status 1.
     */
    static int runWithoutFlags(Main main) {
        try {
            return main.call();
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    /** Flags with which no window opens (checked before the flags are parsed, to start JavaFX early). */
    private static final List<String> NO_WINDOW = List.of("--console", "--machine", "--self-test", "--diagnose", "--help", "-h",
            "--version", "-V");
    /** The network starts at the first frame, or after this long if the window is slow to paint (hidden). */
    private static final Duration CORE_START_AT_THE_LATEST = Duration.ofSeconds(10);

    @Override
    public Integer call() throws Exception {
        if (selfTest) {
            return SelfTest.run(System.out, hasDisplay());
        }
        String instance = name != null ? name
                : InstanceNames.fromLoginAndHost(System.getProperty("user.name"), hostName()).name();
        Path data = dataDir != null ? dataDir : AppPaths.dataDirectory();
        // One Pronto per data folder: a second launch (a link clicked, the icon clicked again) goes to it.
        Optional<SingleInstance> thisOne = diagnose ? Optional.empty() : SingleInstance.claim(data,
                request -> requests.deliver(new OpenRequests.Request(request.link())));
        if (!diagnose && thisOne.isEmpty()) {
            if (SingleInstance.forward(data, new SingleInstance.Request(Optional.ofNullable(link)))) {
                System.out.println("Pronto is running already (data folder " + data + "): "
                        + (link == null ? "it comes to the front." : "it opens the link."));
                return 0;
            }
            System.err.println("Another Pronto holds the data folder " + data + " but does not answer; quit it, or"
                    + " give another --data-dir.");
            return 1;
        }
        if (link != null) {
            requests.deliver(new OpenRequests.Request(Optional.of(link)));
        }
        boolean desktop = !console && !diagnose && hasDisplay();
        // The window does not wait for our key: reading it takes BouncyCastle, whose signed jars class-data
        // sharing cannot hold, 0.4–0.6 s of processor time beside the window's start (issue 13). It is read
        // after the first frame, before the network starts (no stream can need it sooner).
        CompletableFuture<Identity> identity = new CompletableFuture<>();
        if (!desktop) {
            identity.complete(Identity.loadOrCreate(data, instance));
        }
        // What the settings saved; a flag given on the command line wins.
        Preferences saved = Preferences.load(data);
        // The history opens beside the rest of the core (keys, settings, mDNS): it is the longest part.
        SqliteHistory.Durability durability = syncEveryCommit || saved.syncEveryCommit()
                ? SqliteHistory.Durability.POWER_SAFE : SqliteHistory.Durability.CRASH_SAFE;
        CompletableFuture<SqliteHistory> history = new CompletableFuture<>();
        Threads.start("pronto-history-open", () -> {
            try {
                history.complete(SqliteHistory.open(data.resolve("history.db"), durability));
            } catch (IOException | RuntimeException e) {
                history.completeExceptionally(e);
            }
        });
        KnownPeers knownPeers = KnownPeers.load(data);
        StreamConfig streams = StreamConfig.defaults(instance)
                .withEncryption(requireEncryption || saved.requireEncryption() ? Encryption.REQUIRED : Encryption.PREFERRED);
        SessionConfig sessions = SessionConfig.defaults().withBind(InetAddress.getByName(bind), port)
                .withIdleTimeout(Duration.ofSeconds(idleSeconds != null ? idleSeconds : saved.idleSeconds()));
        JmdnsPresenceService presence = new JmdnsPresenceService(
                () -> LinkInterfaces.select(LinkInterfaces.current(), interfaces.isEmpty() ? saved.interfaces() : interfaces),
                Duration.ofSeconds(10),
                Duration.ofSeconds(60));
        OwnPresence own = new OwnPresence(Status.AVAILABLE, null,
                first(nick, saved.nick(), System.getProperty("user.name")), first(firstName, saved.firstName()),
                first(lastName, saved.lastName()), first(email, saved.email()), first(jid, saved.jid()),
                Optional.empty());
        SessionManager chat = new SessionManager(sessions, streams, new TlsContexts(identity::join, knownPeers), knownPeers,
                presence, opened(history), own);
        FilePolicy files = saved.filePolicy();
        chat.setFilePolicy(downloads == null ? files
                : new FilePolicy(downloads.toAbsolutePath().toString(), files.autoAccept(), files.autoAcceptMaxBytes()));
        chat.keepAvatarsIn(data.resolve("avatars"));
        chat.useWideArea(wideArea(saved.dnsSd()));
        java.nio.file.Path kept = data.resolve("picture"); // what the settings dialog saved (MainWindow.PICTURE_FILE)
        if (avatar == null && java.nio.file.Files.isRegularFile(kept)) {
            byte[] picture = java.nio.file.Files.readAllBytes(kept);
            if (picture.length > 0 && picture.length <= AvatarHash.MAX_PUBLISHED_BYTES) {
                chat.setAvatar(Optional.of(picture));
            }
        } else if (avatar != null) {
            byte[] picture = java.nio.file.Files.readAllBytes(avatar);
            AvatarHash.checkPublishable(picture); // a clear message now rather than a failed future
            chat.setAvatar(Optional.of(picture));
        }
        TerminalConsole terminal = desktop ? null : terminalFor(chat);
        Runtime.getRuntime().addShutdownHook(Threads.unstarted("pronto-shutdown", () -> {
            chat.close();
            TerminalConsole shown = terminalInUse;
            if (shown != null) {
                shown.flush(); // what a burst still held, and the log's last lines, before the process ends
            }
        }));
        Runnable listening = () -> System.out.printf("Pronto is listening as %s on port %d%nyour key: %s%ndata: %s%n",
                chat.self(), chat.port(), identity.join().fingerprint().toDisplayString(), data);
        if (desktop) {
            StartupMoments.note("core-made");
            KeyLoad loadKey = () -> {
                try {
                    identity.complete(Identity.loadOrCreate(data, instance));
                } catch (IOException | RuntimeException e) {
                    identity.completeExceptionally(e);
                    throw e;
                }
            };
            try {
                return runWindow(chat, data, saved, loadKey, listening);
            } catch (NoWindow e) {
                // A display is named but cannot be opened (an SSH session whose X forwarding ended):
                // the terminal, as with no display at all, rather than a process nobody can see or reach.
                System.out.println("(the window could not open: " + e.getMessage()
                        + "; Pronto runs in the terminal)");
                terminal = terminalFor(chat);
                loadKey.run();
                chat.start();
                listening.run();
                return runTerminal(terminal, saved);
            }
        }
        chat.start();
        if (diagnose) {
            // Our announcements loop back at once, others answer our queries within a second or two.
            Thread.sleep(Duration.ofSeconds(Math.max(1, diagnoseSeconds)).toMillis());
            DiagnosisReport.print(chat.diagnose().get(30, java.util.concurrent.TimeUnit.SECONDS), System.out);
            return 0;
        }
        listening.run();
        if (!console) {
            System.out.println("(no display found, so Pronto runs in the terminal; --console does so on purpose)");
        }
        return runTerminal(terminal, saved);
    }

    /** The terminal's console over {@code chat}, made before the core starts (it prints what happens from then on). */
    private TerminalConsole terminalFor(SessionManager chat) {
        TerminalConsole terminal = new TerminalConsole(chat, System.out, machine);
        // The log and this class's own lines go through the console too, or they would overtake lines it holds.
        System.setOut(terminal.sharedStream());
        terminalInUse = terminal;
        requests.handledBy(request -> System.out.println(request.link()
                .map(asked -> "* another launch asked to open a link; to add it: add " + asked)
                .orElse("* Pronto was launched again: this one runs here, in the terminal")));
        return terminal;
    }

    /** Reads commands until quit (or the input's end), then returns the exit code. */
    private int runTerminal(TerminalConsole terminal, Preferences saved) throws Exception {
        saved.damage().ifPresent(terminal::warn);
        System.out.println("(type help for commands)");
        boolean quit = terminal.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        if (!quit && System.console() == null && !quitAtEndOfInput) {
            // Started by a script or service with no input to give: keep chatting until stopped.
            new CountDownLatch(1).await();
        }
        return 0;
    }

    /**
     * The window first, then the network: listening, mDNS and the outbox start once the first frame is
     * on screen (nobody can be listed before mDNS has had its second anyway), so they do not compete
     * with it for the processor.
     */
    private int runWindow(SessionManager chat, Path data, Preferences saved, KeyLoad loadKey, Runnable listening)
            throws Exception {
        CountDownLatch painted = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Runnable> closeWindow = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        // This thread starts the core at the first frame, or 10 s after the toolkit is up if the window is slow
        // to paint; never before the toolkit is up: until then the window may still fail, and the terminal
        // that takes over then starts the core itself, after it is there to print what the core says.
        java.util.concurrent.atomic.AtomicBoolean noWindow = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch toolkitDecided = new CountDownLatch(1);
        Thread starting = Threads.start("pronto-start", () -> {
            try {
                toolkitDecided.await();
                painted.await(CORE_START_AT_THE_LATEST.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                if (noWindow.get()) {
                    return;
                }
                loadKey.run();
                chat.start();
                listening.run();
            } catch (Exception e) {
                failed.set(e);
                Optional.ofNullable(closeWindow.get()).ifPresent(Runnable::run);
            }
        });
        DesktopApp.FirstFrameListener report = StartupReport.firstFrame(exitAfterFirstFrame);
        try {
            DesktopApp.run(chat, data.resolve("ui.properties"), saved, requests, toolkitDecided::countDown, close -> {
                closeWindow.set(close);
                painted.countDown();
                report.painted(close);
                if (failed.get() != null) {
                    close.run();
                }
            });
        } catch (DesktopApp.ToolkitUnavailableException e) {
            noWindow.set(true); // before the starting thread may look: the terminal starts the core
            toolkitDecided.countDown();
            painted.countDown();
            starting.join();
            throw new NoWindow(e.getMessage());
        }
        starting.join();
        // Quit promptly: close streams and say goodbye, but never wait longer than 2.5 s for peers
        // that do not answer (the shutdown hook then finds everything closed or closing).
        Threads.start("pronto-close", chat::close).join(2500);
        if (failed.get() != null) {
            throw failed.get();
        }
        return 0;
    }

    /** The window could not open (no toolkit); the core has not been started. */
    private static final class NoWindow extends Exception {
        NoWindow(String why) {
            super(why);
        }
    }

    /** Wide-area DNS-SD as the flags, else the settings, configure it (off unless a domain is given). */
    private chat.pronto.widearea.WideAreaConfig wideArea(Preferences.DnsSd settings) throws IOException {
        String dnsServer = this.dnsServer != null ? this.dnsServer : blankToNull(settings.server());
        Path tsigKeyFile = this.tsigKeyFile != null ? this.tsigKeyFile
                : Optional.ofNullable(blankToNull(settings.tsigKeyFile())).map(Path::of).orElse(null);
        String wideAreaRegister = this.wideAreaRegister != null ? this.wideAreaRegister : blankToNull(settings.register());
        List<String> wideAreaDomains = this.wideAreaDomains.isEmpty() ? settings.domains() : this.wideAreaDomains;
        boolean wideAreaAskNetwork = this.wideAreaAskNetwork || settings.askNetwork();
        Optional<java.net.InetSocketAddress> server = Optional.empty();
        if (dnsServer != null) {
            chat.pronto.model.HostPort where = chat.pronto.model.HostPort.parse(dnsServer, 53);
            server = Optional.of(new java.net.InetSocketAddress(InetAddress.getByName(where.host()), where.port()));
        }
        Optional<chat.pronto.widearea.WideAreaConfig.TsigKey> key = tsigKeyFile == null ? Optional.empty()
                : Optional.of(chat.pronto.widearea.WideAreaConfig.TsigKey.parse(
                        java.nio.file.Files.readString(tsigKeyFile)));
        return new chat.pronto.widearea.WideAreaConfig(wideAreaDomains, wideAreaAskNetwork, server, Optional.ofNullable(wideAreaRegister),
                key, Duration.ofSeconds(Long.getLong("pronto.wideArea.everySeconds",
                        chat.pronto.widearea.WideAreaConfig.DEFAULT_EVERY.toSeconds())));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The history once open, or what stopped it, as opening it here would have thrown. */
    private static SqliteHistory opened(CompletableFuture<SqliteHistory> history) throws IOException {
        try {
            return history.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException failed) {
                throw failed;
            }
            throw e.getCause() instanceof RuntimeException failed ? failed : e;
        }
    }

    /** Reads (or makes) our identity. */
    @FunctionalInterface
    private interface KeyLoad {
        void run() throws IOException;
    }

    private static String first(String... choices) {
        for (String choice : choices) {
            if (choice != null) {
                return choice;
            }
        }
        return null;
    }

    /** A window can open: on Linux an X11 or Wayland display is set; elsewhere there always is one. */
    private static boolean hasDisplay() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return true;
        }
        return isSet(System.getenv("DISPLAY")) || isSet(System.getenv("WAYLAND_DISPLAY"));
    }

    /** {@code DISPLAY=} (set to nothing, as scripts do to keep X out) names no display. */
    private static boolean isSet(String variable) {
        return variable != null && !variable.isBlank();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "");
        }
    }
}
