package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.Avahi;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.threads.Threads;

/**
 * A peer that registers while Pronto starts. The root cause of the old race: JmDNS reports a service
 * only when its PTR record is added to the cache while a listener is attached, and an attached
 * listener is told only of cached SRV records. A PTR that arrived alone in the moment between the
 * responder's socket opening and browsing starting (avahi answers browsing hosts with the PTR of a
 * service whose SRV it is still probing) was cached silently; every later announcement of it only
 * refreshed the cache, and the peer was never reported.
 */
class StartRaceIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final PeerId BOB = PeerId.of("bob@hostb");
    private final List<JmdnsPresenceService> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(JmdnsPresenceService::close);
    }

    /** Bob's PTR record alone, again and again, until told to stop: what avahi sends while bob is still probing. */
    private static Thread sendBobsPtrAlone(AtomicBoolean stop) throws Exception {
        DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_RESPONSE | DNSConstants.FLAGS_AA);
        out.addAnswer(new DNSRecord.Pointer(PresenceService.SERVICE_TYPE, DNSRecordClass.CLASS_IN, false, 4500,
                BOB.name() + "." + PresenceService.SERVICE_TYPE), 0);
        byte[] ptr = out.data();
        MulticastSocket socket = new MulticastSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        socket.setNetworkInterface(NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()));
        InetSocketAddress group = new InetSocketAddress(InetAddress.getByName(DNSConstants.MDNS_GROUP), DNSConstants.MDNS_PORT);
        return Threads.start("pronto-test-ptr", () -> {
            try (socket) {
                while (!stop.get()) {
                    socket.send(new DatagramPacket(ptr, ptr.length, group));
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aPeerWhosePtrArrivedBeforeBrowsingStartedIsReported() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread ptrs = sendBobsPtrAlone(stop);
        JmdnsPresenceService alice = new JmdnsPresenceService(List.of(InetAddress.getLoopbackAddress()));
        started.add(alice);
        try {
            alice.start(PeerId.of("alice@hosta"), OwnPresence.available("Alice"), 41001);
        } finally {
            stop.set(true);
            ptrs.join();
        }

        JmdnsPresenceService bob = new JmdnsPresenceService(List.of(InetAddress.getByName("127.0.0.2")));
        started.add(bob);
        bob.start(BOB, OwnPresence.available("Bob"), 41002); // now bob's whole record arrives

        await().atMost(WAIT).until(() -> alice.peer(BOB).isPresent());
    }

    /**
     * The same in real processes, {@code -Dpronto.lab.startRaceRuns=N} times (4 in {@code mvn verify};
     * README gives the command for 50): avahi publishes bob while another avahi client browses, both
     * timed to fall into Pronto's start, and Pronto must see bob every time. Before the fix this
     * missed bob in 3 of 20 runs.
     */
    @Test
    void aPeerRegisteringWhileProntoStartsIsAlwaysSeen() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        assumeTrue(Avahi.installed(), "needs avahi-daemon, avahi-utils and dbus (.ci/run installs them)");
        int runs = Integer.getInteger("pronto.lab.startRaceRuns", 4);
        List<String> missed = new CopyOnWriteArrayList<>();
        try (NetnsLab lab = NetnsLab.twoHosts()) {
            Avahi avahi = Avahi.start(lab, lab.host(1), "hostb");
            java.util.Random jitter = new java.util.Random(6762);
            for (int run = 1; run <= runs; run++) {
                long startAt = System.currentTimeMillis() + 2000;
                ProntoProcess pronto = ProntoProcess.start(lab, lab.host(0), PresenceLabMain.class,
                        List.of("alice@hosta", lab.host(0).address(), "5299", "Alice", "hosta", "start-at=" + startAt));
                String name = "bob" + run + "@hostb";
                // Bob is published about 0.3 s before Pronto starts, so he is still probing when it does;
                // the browser starts a quarter of a second later and draws his PTR out of avahi.
                Thread.sleep(Math.max(0, startAt - 300 + jitter.nextInt(200) - 100 - System.currentTimeMillis()));
                Process published = avahi.publish(name, 5562, List.of("txtvers=1", "status=avail"));
                Thread.sleep(250);
                Process browser = avahi.browseLive();
                try {
                    await().atMost(Duration.ofSeconds(8)).until(() -> pronto.output().contains("+ " + name + " "));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    missed.add("run " + run + " in " + lab);
                }
                NetnsLab.kill(browser);
                NetnsLab.kill(published);
                NetnsLab.kill(pronto.process());
            }
        }
        System.out.println("start race: missed " + missed.size() + " of " + runs);
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), missed, runs + " runs");
    }
}
