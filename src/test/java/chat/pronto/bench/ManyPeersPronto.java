package chat.pronto.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.presence.JmdnsPresenceService;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceListener;

/**
 * Pronto's presence service alone, in a fresh JVM inside a lab host, for {@link ManyPeersBenchmark}:
 * counts the peers listed with their TXT record (what the people list shows: a first name) and prints,
 * with wall-clock milliseconds, {@code started T}, then {@code listed K T} at each tenth of COUNT and at
 * COUNT. Commands on standard input: {@code idle SECONDS} (process CPU over that long, and the threads
 * that used it), {@code memory} (heap used after a full GC, and RSS), {@code quit}.
 * Usage: {@code ManyPeersPronto ADDRESS COUNT}.
 */
public final class ManyPeersPronto {
    private ManyPeersPronto() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress address = InetAddress.getByName(args[0]);
        int count = Integer.parseInt(args[1]);
        int step = Math.max(1, count / 10);
        Set<PeerId> listed = ConcurrentHashMap.newKeySet();
        JmdnsPresenceService presence = new JmdnsPresenceService(List.of(address));
        presence.addListener(new PresenceListener() {
            @Override
            public void onPeerEvent(PeerEvent event) {
                PeerAdvert advert = event instanceof PeerEvent.Appeared appeared ? appeared.advert()
                        : event instanceof PeerEvent.Updated updated ? updated.advert() : null;
                if (advert != null && advert.firstName() != null && listed.add(advert.id())
                        && (listed.size() % step == 0 || listed.size() == count)) {
                    say("listed " + listed.size());
                }
            }
        });
        say("started");
        presence.start(PeerId.of("bench@hosta"), OwnPresence.available("Bench"), 5299);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.strip().split(" ");
            switch (words[0]) {
                case "idle" -> idle(Integer.parseInt(words[1]));
                case "memory" -> say("memory heap " + heapAfterGc() + " rss " + rss() + " peers "
                        + presence.peers().size());
                case "quit" -> {
                    presence.close();
                    say("closed");
                    System.exit(0);
                }
                default -> say("unknown " + line);
            }
        }
        presence.close();
        System.exit(0);
    }

    /** The process's CPU over {@code seconds}, as a share of one core, and the threads that used most of it. */
    private static void idle(int seconds) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = threadTimes(threads);
        long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long gc = gcMillis();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measured interval itself
        long usedCpu = os.getProcessCpuTime() - cpu;
        long elapsed = System.nanoTime() - wall;
        long jitMs = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit;
        long gcMs = gcMillis() - gc;
        Map<Long, Long> after = threadTimes(threads);
        List<String> busiest = new ArrayList<>();
        after.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed()).limit(5)
                .forEach(entry -> {
                    ThreadInfo info = threads.getThreadInfo(entry.getKey());
                    busiest.add((info == null ? "?" : info.getThreadName().replace(' ', '_')) + "=" + entry.getValue() / 1_000_000 + "ms");
                });
        // Besides the threads: the JIT compiler's and the collector's time (JVM threads ThreadMXBean does not list).
        say(String.format(java.util.Locale.ROOT, "idle %.2f %s,jit=%dms,gc=%dms", 100.0 * usedCpu / elapsed,
                String.join(",", busiest), jitMs, gcMs));
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(bean -> Math.max(0, bean.getCollectionTime()))
                .sum();
    }

    private static Map<Long, Long> threadTimes(ThreadMXBean threads) {
        Map<Long, Long> times = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long time = threads.getThreadCpuTime(id);
            if (time >= 0) {
                times.put(id, time);
            }
        }
        return times;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resident set size in bytes (Linux). */
    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    private static synchronized void say(String what) {
        System.out.println(System.currentTimeMillis() + " " + what);
        System.out.flush();
    }
}
