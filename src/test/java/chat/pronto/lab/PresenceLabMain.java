package chat.pronto.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.presence.JmdnsPresenceService;
import chat.pronto.presence.LinkInterfaces;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceListener;
import chat.pronto.threads.Threads;

/**
 * Pronto's presence service alone, as a process inside a lab host: prints what it sees with
 * wall-clock milliseconds, takes commands on standard input ({@code status away lunch}, {@code names},
 * {@code gone PEER}, {@code avatar FILE} (publish FILE as our picture), {@code noavatar}, {@code quit}).
 * A peer's picture is fetched when its {@code phsh} is new: {@code picture PEER SHA1 LENGTH} or
 * {@code no picture PEER SHA1}.
 * Usage: {@code PresenceLabMain NAME WHERE PORT NICK [MDNS-HOST-NAME] [OPTION…]}, where WHERE is what
 * {@code --interface} takes (interface names or addresses, comma-separated) and the options are
 * {@code listen} (accept TCP connections on PORT), {@code connect} (open a TCP connection to every
 * address of every peer that appears, and say whether it worked) and {@code start-at=EPOCH-MILLIS}
 * (start advertising at that instant, to start two hosts at the same moment).
 */
public final class PresenceLabMain {
    private PresenceLabMain() {
    }

    public static void main(String[] args) throws Exception {
        // What JmDNS reported, in the log a failing lab test leaves behind.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chat.pronto.presence"))
                .setLevel(ch.qos.logback.classic.Level.DEBUG);
        if (Boolean.getBoolean(ProntoProcess.JMDNS_DEBUG)) { // every record JmDNS handles, for hunting a race
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("javax.jmdns.impl.JmDNSImpl"))
                    .setLevel(ch.qos.logback.classic.Level.DEBUG);
        }
        PeerId name = PeerId.of(args[0]);
        List<String> where = List.of(args[1].split(","));
        int port = Integer.parseInt(args[2]);
        OwnPresence own = OwnPresence.available(args[3]);
        List<String> options = Arrays.asList(args).subList(4, args.length);
        JmdnsPresenceService presence = new JmdnsPresenceService(
                () -> LinkInterfaces.select(LinkInterfaces.current(), where),
                java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60));
        if (!options.isEmpty() && !options.get(0).contains("=") && !List.of("listen", "connect").contains(options.get(0))) {
            presence.useHostName(options.get(0));
        }
        if (options.contains("listen")) {
            listen(port);
        }
        boolean connect = options.contains("connect");
        java.util.Set<String> fetching = java.util.concurrent.ConcurrentHashMap.newKeySet();
        presence.addListener(new PresenceListener() {
            @Override
            public void onPeerEvent(PeerEvent event) {
                if (event instanceof PeerEvent.Vanished) {
                    say("- " + event.id());
                    return;
                }
                PeerAdvert advert = event instanceof PeerEvent.Appeared appeared ? appeared.advert()
                        : ((PeerEvent.Updated) event).advert();
                say((event instanceof PeerEvent.Appeared ? "+ " : "~ ") + advert.id() + " status="
                        + advert.status() + " name=" + advert.displayName() + " port=" + advert.port()
                        + " addresses=" + advert.addresses() + advert.avatarHash().map(hash -> " phsh=" + hash).orElse(""));
                advert.avatarHash().filter(hash -> fetching.add(advert.id() + " " + hash)).ifPresent(hash ->
                        presence.fetchAvatar(advert.id(), hash).thenAccept(picture -> say(picture
                                .map(bytes -> "picture " + advert.id() + " " + chat.pronto.model.AvatarHash.of(bytes)
                                        + " " + bytes.length)
                                .orElse("no picture " + advert.id() + " " + hash))));
                if (connect) {
                    Threads.start("pronto-lab-connect", () -> tryEach(advert));
                }
            }

            @Override
            public void onRenamed(PeerId newName) {
                say("renamed " + newName);
            }
        });
        for (String option : options) {
            if (option.startsWith("start-at=")) {
                long wait = Long.parseLong(option.substring("start-at=".length())) - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait); // a start at an agreed instant, not a wait for something to happen
                }
            }
        }
        long begin = System.currentTimeMillis();
        presence.start(name, own, port);
        say("started " + begin);
        while (!presence.isAnnounced()) {
            Thread.sleep(10);
        }
        say("announced");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.strip().split(" ", 3);
            if (words[0].equals("status")) {
                own = own.withStatus(Status.fromTxt(words[1]), words.length > 2 ? words[2] : null);
                say("updating " + words[1]);
                presence.update(own);
            } else if (words[0].equals("avatar")) {
                byte[] picture = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(words[1]));
                presence.setAvatar(java.util.Optional.of(picture));
                say("avatar " + chat.pronto.model.AvatarHash.of(picture) + " " + picture.length);
            } else if (words[0].equals("noavatar")) {
                presence.setAvatar(java.util.Optional.empty());
                say("noavatar");
            } else if (words[0].equals("names")) {
                say("names " + presence.self() + " " + presence.advertisedNames());
            } else if (words[0].equals("gone")) {
                say("marking gone " + words[1]);
                presence.markGone(PeerId.of(words[1]));
            } else if (words[0].equals("quit")) {
                say("quitting");
                long closing = System.currentTimeMillis();
                presence.close();
                say("closed in " + (System.currentTimeMillis() - closing) + " ms");
                System.exit(0); // whatever JmDNS left running
                return;
            }
        }
        presence.close();
        System.exit(0);
    }

    /** Accepts and closes connections on {@code port}, so a peer can check that an advertised address works. */
    private static void listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(port));
        Threads.start("pronto-lab-listen", () -> {
            while (true) {
                try (Socket accepted = server.accept()) {
                    accepted.getOutputStream().write('!');
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void tryEach(PeerAdvert advert) {
        for (InetAddress address : advert.addresses()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, advert.port()), 3000);
                say("connect " + advert.id() + " " + address.getHostAddress() + " ok");
            } catch (IOException e) {
                say("connect " + advert.id() + " " + address.getHostAddress() + " failed: " + e.getMessage());
            }
        }
    }

    private static synchronized void say(String what) {
        System.out.println(System.currentTimeMillis() + " " + what);
        System.out.flush();
    }
}
