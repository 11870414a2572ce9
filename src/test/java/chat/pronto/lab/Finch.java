package chat.pronto.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Pidgin's console client {@code finch} (libpurple's Bonjour protocol) as a real XEP-0174 peer in a
 * lab host that runs {@link Avahi}: a throw-away HOME with one Bonjour account, run in tmux so the
 * test can read its screen; {@code -d} writes every stanza it receives to a debug log.
 */
public final class Finch {
    private final NetnsLab lab;
    private final NetnsLab.Host host;
    private final Map<String, String> environment;
    private final Path socket;

    private Finch(NetnsLab lab, NetnsLab.Host host, Map<String, String> environment, Path socket) {
        this.lab = lab;
        this.host = host;
        this.environment = environment;
        this.socket = socket;
    }

    private static final String AUTOACCEPT = "/usr/lib/x86_64-linux-gnu/purple-2/autoaccept.so";

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/finch")) && Files.isExecutable(Path.of("/usr/bin/tmux"));
    }

    /** Starts finch as {@code account} (user@machine), first and last name given, listening on {@code port}. */
    public static Finch start(NetnsLab lab, NetnsLab.Host host, Avahi avahi, String account, String first,
                              String last, int port) throws IOException, InterruptedException {
        return start(lab, host, avahi, account, first, last, port, null);
    }

    /**
     * As {@link #start(NetnsLab, NetnsLab.Host, Avahi, String, String, String, int)}, with {@code icon}
     * (a PNG; null for none) as the account's buddy icon: the file goes into ~/.purple/icons/ under
     * the name libpurple gives its own (SHA-1 of the bytes, .png) and the account's {@code buddy_icon}
     * setting names it; libpurple loads it at login and publishes it (NULL record, TXT phsh).
     */
    public static Finch start(NetnsLab lab, NetnsLab.Host host, Avahi avahi, String account, String first,
                              String last, int port, Path icon) throws IOException, InterruptedException {
        Path home = Files.createDirectories(host.directory().resolve("finch-home"));
        Path purple = Files.createDirectories(home.resolve(".purple"));
        String iconSetting = "";
        if (icon != null) {
            byte[] bytes = Files.readAllBytes(icon);
            String name = chat.pronto.model.AvatarHash.of(bytes) + ".png";
            Files.write(Files.createDirectories(purple.resolve("icons")).resolve(name), bytes);
            iconSetting = "\n   <setting name='buddy_icon' type='string'>" + name + "</setting>";
        }
        Files.writeString(purple.resolve("accounts.xml"), """
                <?xml version='1.0' encoding='UTF-8' ?>
                <account version='1.0'>
                 <account>
                  <protocol>prpl-bonjour</protocol>
                  <name>%s</name>
                  <settings>
                   <setting name='first' type='string'>%s</setting>
                   <setting name='last' type='string'>%s</setting>
                   <setting name='port' type='int'>%d</setting>%s
                  </settings>
                  <settings ui='gnt-purple'>
                   <setting name='auto-login' type='bool'>1</setting>
                  </settings>
                 </account>
                </account>
                """.formatted(account, first, last, port, iconSetting), StandardCharsets.UTF_8);
        // libpurple's Autoaccept plugin, loaded but idle until a contact is set to it (autoAcceptFrom).
        Path inbox = Files.createDirectories(host.directory().resolve("finch-inbox"));
        Files.writeString(purple.resolve("prefs.xml"), """
                <?xml version='1.0' encoding='UTF-8' ?>
                <pref version='1' name='/'>
                 <pref name='finch'><pref name='plugins'><pref name='loaded' type='pathlist'>
                  <item value='%s'/>
                 </pref></pref></pref>
                 <pref name='plugins'><pref name='core'><pref name='core-plugin_pack-autoaccept'>
                  <pref name='path' type='string' value='%s'/>
                  <pref name='stranger' type='int' value='0'/>
                  <pref name='notify' type='bool' value='0'/>
                  <pref name='newdir' type='bool' value='0'/>
                  <pref name='escape' type='bool' value='0'/>
                 </pref></pref></pref>
                </pref>
                """.formatted(AUTOACCEPT, inbox), StandardCharsets.UTF_8);
        // A session bus lets the test change finch's status the way Pidgin users script it (purple-remote).
        String sessionBus = DbusBus.start(lab, host, "session");
        Path socket = host.directory().resolve("tmux.sock");
        Map<String, String> environment = Map.of("HOME", home.toString(), "TERM", "screen-256color",
                "DBUS_SYSTEM_BUS_ADDRESS", avahi.busAddress(), "DBUS_SESSION_BUS_ADDRESS", sessionBus);
        Finch finch = new Finch(lab, host, environment, socket);
        finch.tmux("new-session", "-d", "-s", "finch", "-x", "160", "-y", "48",
                "finch -d 2>" + host.directory().resolve("finch-debug.log"));
        return finch;
    }

    /** Sets finch's status to Away with {@code message}, through libpurple's D-Bus interface. */
    public String goAway(String message) throws IOException, InterruptedException {
        return lab.run(host, environment, Duration.ofSeconds(10), List.of("/usr/bin/python3", "/usr/bin/purple-remote",
                "setstatus?status=away&message=" + message));
    }

    /**
     * Opens a conversation with {@code buddy} and sends {@code text} through libpurple's D-Bus API,
     * as a user typing it in finch would; finch dials the buddy if no stream is open.
     */
    public String sendIm(String buddy, String text) throws IOException, InterruptedException {
        String script = String.join("\n",
                "import dbus, sys",
                "bus = dbus.SessionBus()",
                "obj = bus.get_object('im.pidgin.purple.PurpleService', '/im/pidgin/purple/PurpleObject')",
                "purple = dbus.Interface(obj, 'im.pidgin.purple.PurpleInterface')",
                "account = purple.PurpleAccountsGetAllActive()[0]",
                "conversation = purple.PurpleConversationNew(1, account, sys.argv[1])",
                "purple.PurpleConvImSend(purple.PurpleConvIm(conversation), sys.argv[2])",
                "print('sent')");
        return lab.run(host, environment, Duration.ofSeconds(10), List.of("/usr/bin/python3", "-c", script, buddy, text));
    }

    /**
     * Sends {@code file} to {@code buddy} as a finch user picking it would (libpurple's
     * {@code serv_send_file}, which offers it at once). Returns "sent" once libpurple has made the
     * transfer, "unknown buddy" while finch does not know {@code buddy} yet (then nothing was done).
     */
    public String sendFile(String buddy, Path file) throws IOException, InterruptedException {
        String script = String.join("\n",
                PURPLE,
                "account = purple.PurpleAccountsFindConnected('', 'prpl-bonjour')",
                "if account == 0 or purple.PurpleFindBuddy(account, sys.argv[1]) == 0:",
                "    print('unknown buddy'); sys.exit(0)",
                "purple.ServSendFile(purple.PurpleAccountGetConnection(account), sys.argv[1], sys.argv[2])",
                "sending = [x for x in purple.PurpleXfersGetAll() if purple.PurpleXferGetType(x) == 1",
                "           and purple.PurpleXferGetRemoteUser(x) == sys.argv[1]]",
                "print('sent' if sending else 'not sent')");
        return python(script, Duration.ofSeconds(10), buddy, file.toString());
    }

    /**
     * Waits (at most {@code within}) for a file offered by {@code buddy} and declines it, as a user
     * clicking "cancel" in finch's request would (libpurple then answers 403 with the sid as id).
     * Returns "declined NAME" or "nothing offered". (Accepting the same way, with
     * PurpleXferRequestAccepted while finch's request window is open, crashed finch 2.14.12 here:
     * {@link #autoAcceptFrom} accepts before that window opens.)
     */
    public String declineFileOffer(String buddy, Duration within) throws IOException, InterruptedException {
        String script = String.join("\n",
                PURPLE,
                "import time",
                "deadline = time.time() + float(sys.argv[2])",
                "while time.time() < deadline:",
                // RECEIVE (2) not yet accepted: status 0 (unknown) or 1 (not started) while the request waits.
                "    for x in purple.PurpleXfersGetAll():",
                "        if purple.PurpleXferGetType(x) == 2 and purple.PurpleXferGetStatus(x) < 2 \\",
                "                and purple.PurpleXferGetRemoteUser(x) == sys.argv[1]:",
                "            name = purple.PurpleXferGetFilename(x)",
                "            purple.PurpleXferRequestDenied(x)",
                "            print('declined ' + name)",
                "            sys.exit(0)",
                "    time.sleep(0.1)",
                "print('nothing offered')");
        return python(script, within.plusSeconds(5), buddy, Long.toString(within.toSeconds()));
    }

    /**
     * From now on finch takes every file {@code buddy} offers, into {@link #inbox()}, as a user who
     * set "Autoaccept File Transfers…" on that contact. Returns "set" once finch knows the buddy.
     */
    public String autoAcceptFrom(String buddy) throws IOException, InterruptedException {
        String script = String.join("\n",
                PURPLE,
                "account = purple.PurpleAccountsFindConnected('', 'prpl-bonjour')",
                "buddy = purple.PurpleFindBuddy(account, sys.argv[1]) if account else 0",
                "if buddy == 0:",
                "    print('unknown buddy'); sys.exit(0)",
                "purple.PurpleBlistNodeSetInt(purple.PurpleBuddyGetContact(buddy), 'autoaccept', 1)",
                "print('set')");
        return python(script, Duration.ofSeconds(10), buddy);
    }

    /**
     * The buddy icon finch holds for {@code buddy}, through libpurple's D-Bus API
     * ({@code purple_buddy_icons_find}): "checksum SHA1\npath FILE" (libpurple computes the checksum
     * from the bytes it got, and keeps them in FILE under ~/.purple/icons/), or "unknown buddy" / "no icon".
     */
    public String buddyIcon(String buddy) throws IOException, InterruptedException {
        String script = String.join("\n",
                PURPLE,
                "account = purple.PurpleAccountsFindConnected('', 'prpl-bonjour')",
                "if account == 0 or purple.PurpleFindBuddy(account, sys.argv[1]) == 0:",
                "    print('unknown buddy'); sys.exit(0)",
                "icon = purple.PurpleBuddyIconsFind(account, sys.argv[1])",
                "if icon == 0:",
                "    print('no icon'); sys.exit(0)",
                "print('checksum ' + purple.PurpleBuddyIconGetChecksum(icon))",
                "print('path ' + purple.PurpleBuddyIconGetFullPath(icon))");
        return python(script, Duration.ofSeconds(10), buddy);
    }

    public static boolean autoAcceptInstalled() {
        return Files.exists(Path.of(AUTOACCEPT));
    }

    /** Where finch's Autoaccept plugin puts the files it takes. */
    public Path inbox() {
        return host.directory().resolve("finch-inbox");
    }

    private static final String PURPLE = String.join("\n",
            "import dbus, sys",
            "bus = dbus.SessionBus()",
            "obj = bus.get_object('im.pidgin.purple.PurpleService', '/im/pidgin/purple/PurpleObject')",
            "purple = dbus.Interface(obj, 'im.pidgin.purple.PurpleInterface')");

    private String python(String script, Duration timeout, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        command.addAll(List.of(arguments));
        return lab.run(host, environment, timeout, command);
    }

    public static boolean remoteInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/purple-remote"));
    }

    /** Brings finch's next window to the front (Alt+N), as a user does to see a new conversation. */
    public void nextWindow() throws IOException, InterruptedException {
        tmux("send-keys", "-t", "finch", "M-n");
    }

    /** What finch shows now. */
    public String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", "finch");
    }

    /** What finch logged (with {@code -d}: every stanza it received). */
    public String debugLog() throws IOException {
        Path log = host.directory().resolve("finch-debug.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    public void stop() throws IOException, InterruptedException {
        tmux("kill-server");
    }

    private String tmux(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(List.of(arguments));
        return lab.run(host, environment, Duration.ofSeconds(5), command);
    }
}
