package chat.pronto.lab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.presence.JmdnsPresenceService;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceListener;

/**
 * Pronto's presence service alone, as a process inside a lab host: prints what it sees with
 * wall-clock milliseconds, takes commands on standard input ({@code status away lunch}, {@code quit}).
 * Usage: {@code PresenceLabMain NAME ADDRESS PORT NICK [MDNS-HOST-NAME]}.
 */
public final class PresenceLabMain {
    private PresenceLabMain() {
    }

    public static void main(String[] args) throws Exception {
        // What JmDNS reported, in the log a failing lab test leaves behind.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chat.pronto.presence"))
                .setLevel(ch.qos.logback.classic.Level.DEBUG);
        PeerId name = PeerId.of(args[0]);
        InetAddress address = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        OwnPresence own = OwnPresence.available(args[3]);
        JmdnsPresenceService presence = new JmdnsPresenceService(List.of(address));
        if (args.length > 4) {
            presence.useHostName(args[4]);
        }
        presence.addListener(new PresenceListener() {
            @Override
            public void onPeerEvent(PeerEvent event) {
                if (event instanceof PeerEvent.Vanished) {
                    say("- " + event.id());
                } else {
                    PeerAdvert advert = event instanceof PeerEvent.Appeared appeared ? appeared.advert()
                            : ((PeerEvent.Updated) event).advert();
                    say((event instanceof PeerEvent.Appeared ? "+ " : "~ ") + advert.id() + " status="
                            + advert.status() + " name=" + advert.displayName() + " port=" + advert.port());
                }
            }

            @Override
            public void onRenamed(PeerId newName) {
                say("renamed " + newName);
            }
        });
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

    private static synchronized void say(String what) {
        System.out.println(System.currentTimeMillis() + " " + what);
        System.out.flush();
    }
}
