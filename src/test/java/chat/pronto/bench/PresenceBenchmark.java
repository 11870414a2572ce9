package chat.pronto.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import chat.pronto.lab.Avahi;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;

/**
 * Discovery timings between two lab hosts (network namespaces joined by a veth pair, real mDNS):
 * Pronto in host A, a python-zeroconf observer in host B, and avahi-publish in host A as the
 * baseline, all in one run. Needs root. Not a test: run it by hand (README, Benchmarks).
 * Usage: {@code PresenceBenchmark [runs]}.
 */
public final class PresenceBenchmark {
    private static final Pattern EVENT = Pattern.compile("^(\\d+) (add|update|remove) (\\S+)(?: status=(\\S+))?$");
    private static final long WAIT_MS = 20_000;

    private PresenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        try (NetnsLab lab = NetnsLab.twoHosts()) {
            NetnsLab.Host a = lab.host(0);
            NetnsLab.Host b = lab.host(1);
            Path script = b.directory().resolve("observe.py");
            try (InputStream in = PresenceBenchmark.class.getResourceAsStream("/chat/pronto/lab/observe.py")) {
                Files.copy(in, script);
            }
            lab.start(b, "observer.log", Map.of(), List.of("/usr/bin/python3", script.toString(), b.address()));
            Path observed = b.directory().resolve("observer.log");
            awaitLine(observed, "observing", 0);
            // Pronto itself as a second observer on host B: what a Pronto user sees.
            ProntoProcess prontoObserver = ProntoProcess.start(lab, b, PresenceLabMain.class,
                    List.of("observer@hostb", b.address(), "5300", "Observer"));
            awaitOutput(prontoObserver, "announced");

            for (int run = 0; run < runs; run++) {
                String name = "alice" + run + "@hosta";
                String instance = name + "._presence._tcp.local.";
                long launched = System.currentTimeMillis();
                ProntoProcess pronto = ProntoProcess.start(lab, a, PresenceLabMain.class,
                        List.of(name, a.address(), "5299", "Alice"));
                long started = Long.parseLong(awaitOutput(pronto, "started (\\d+)").group(1));
                long seen = awaitEvent(observed, "add", instance, null, launched);
                add(samples, "Pronto: service start -> resolved with TXT by the other host", seen - started);
                add(samples, "Pronto: process launch (new JVM) -> resolved with TXT", seen - launched);
                long seenByPronto = Long.parseLong(awaitOutput(prontoObserver, "(\\d+) \\+ " + Pattern.quote(name)
                        + " ").group(1));
                add(samples, "Pronto: service start -> appeared in another Pronto", seenByPronto - started);

                awaitOutput(pronto, "announced");
                pronto.tell("status away");
                long updating = Long.parseLong(awaitOutput(pronto, "(\\d+) updating away").group(1));
                long updated = awaitEvent(observed, "update", instance, "away", updating);
                add(samples, "Pronto: status change -> seen", updated - updating);
                long updatedInPronto = Long.parseLong(awaitOutput(prontoObserver, "(\\d+) ~ " + Pattern.quote(name)
                        + " status=AWAY").group(1));
                add(samples, "Pronto: status change -> seen by another Pronto", updatedInPronto - updating);

                pronto.tell("quit");
                long quitting = Long.parseLong(awaitOutput(pronto, "(\\d+) quitting").group(1));
                long removed = awaitEvent(observed, "remove", instance, null, quitting);
                add(samples, "Pronto: quit -> gone", removed - quitting);
                long goneInPronto = Long.parseLong(awaitOutput(prontoObserver, "(\\d+) - " + Pattern.quote(name)
                        + "$").group(1));
                add(samples, "Pronto: quit -> vanished in another Pronto", goneInPronto - quitting);
                if (!pronto.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IOException("Pronto did not exit after quit: " + pronto.output());
                }
                System.err.println(awaitOutput(pronto, "closed in \\d+ ms").group());
                System.err.printf("run %d: start->seen %d ms, status %d ms, quit %d ms%n", run, seen - started,
                        updated - updating, removed - quitting);
            }

            if (Avahi.installed()) {
                Avahi avahi = Avahi.start(lab, a, "hosta");
                for (int run = 0; run < runs; run++) {
                    String name = "bob" + run + "@hosta";
                    String instance = name + "._presence._tcp.local.";
                    long publishing = System.currentTimeMillis();
                    Process published = avahi.publish(name, 5562, List.of("txtvers=1", "port.p2pj=5562", "status=avail"));
                    long seen = awaitEvent(observed, "add", instance, null, publishing);
                    add(samples, "avahi-publish start -> resolved with TXT (same observer)", seen - publishing);
                    long killing = System.currentTimeMillis();
                    NetnsLab.kill(published);
                    long removed = awaitEvent(observed, "remove", instance, null, killing);
                    add(samples, "avahi-publish quit -> gone (same observer)", removed - killing);
                    long goneInPronto = Long.parseLong(awaitOutput(prontoObserver, "(\\d+) - " + Pattern.quote(name)
                            + "$").group(1));
                    add(samples, "avahi-publish quit -> vanished in Pronto", goneInPronto - killing);
                }
            }
        }
        System.out.printf("%nmedians over %d runs, two network-namespace hosts, observer: python-zeroconf%n%n", runs);
        System.out.println("| what | median | p10 | p90 |");
        System.out.println("|---|---|---|---|");
        samples.forEach((what, values) -> System.out.printf(Locale.ROOT, "| %s | %d ms | %d ms | %d ms |%n", what,
                percentile(values, 50), percentile(values, 10), percentile(values, 90)));
    }

    private static void add(Map<String, List<Long>> samples, String what, long millis) {
        samples.computeIfAbsent(what, key -> new ArrayList<>()).add(millis);
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }

    private static Matcher awaitOutput(ProntoProcess process, String regex) throws Exception {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            for (String line : process.lines()) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return matcher;
                }
            }
            Thread.sleep(5);
        }
        throw new IOException("no '" + regex + "' in: " + process.output());
    }

    private static void awaitLine(Path log, String text, long after) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IOException("no '" + text + "' in " + log);
    }

    /** The time of the first observer event of this kind for this instance at or after {@code after}. */
    private static long awaitEvent(Path log, String kind, String instance, String status, long after) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            Optional<Long> found = Files.readAllLines(log).stream().map(EVENT::matcher).filter(Matcher::matches)
                    .filter(m -> m.group(2).equals(kind) && m.group(3).equals(instance)
                            && (status == null || status.equals(m.group(4))))
                    .map(m -> Long.parseLong(m.group(1))).filter(time -> time >= after).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(5);
        }
        throw new IOException("the observer never reported " + kind + " " + instance + ": " + Files.readString(log));
    }
}
