package chat.pronto.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.app.Main;
import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.ProntoProcess;

/**
 * Issue 14's "done when": a large file (1 GiB of random bytes) from one Pronto process to another on a
 * lab link, over TLS with the pinned keys, with one side killed ({@code kill -9}) part-way. The killed
 * side starts again on the same data folder (identity, pins, the transfer's state in the history) and
 * the same download folder; the transfer resumes where it stopped (never from byte 0), ends done on
 * both sides, and what arrived has the SHA-256 of what was sent. The receiving process's memory stays
 * flat (its resident size far below the file's).
 */
class FileTransferLabIT {
    private static final long MIB = 1024 * 1024;
    /** {@code -Dpronto.lab.bigFileMiB=…} for a larger (or, by hand, smaller) file. */
    private static final long SIZE = Long.getLong("pronto.lab.bigFileMiB", 1024) * MIB;
    /** The receiver holds at least this much when one side is killed. */
    private static final long KILL_AFTER = Math.min(200 * MIB, SIZE / 5);
    /** The receiving process's resident memory stays under this (the file is 1 GiB). */
    private static final long MAX_RSS = 400 * MIB;
    private static final Duration START = Duration.ofSeconds(40);
    /** A whole transfer (1 GiB over TLS) and its resume, on a slow shared CI machine. */
    private static final Duration MOVE = Duration.ofSeconds(240);
    /** The resume has not started (or stopped) when the partial file has not grown for this long. */
    private static final Duration STUCK = Duration.ofSeconds(60);
    private static final String NAME = "big random.bin";

    private NetnsLab lab;
    private Path downloads;
    private final List<Path> bigFiles = new ArrayList<>();
    private RssWatch rss;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        lab = NetnsLab.twoHosts();
        downloads = Files.createDirectories(lab.host(1).directory().resolve("downloads"));
    }

    @AfterEach
    void stopLab() throws Exception {
        if (rss != null) {
            rss.stop();
        }
        if (lab != null) {
            lab.close();
        }
        // The lab's folder keeps the logs for a look after a failure; the big files go.
        for (Path file : bigFiles) {
            Files.deleteIfExists(file);
        }
        if (downloads != null && Files.isDirectory(downloads)) {
            try (Stream<Path> left = Files.list(downloads)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void theReceiverKilledMidwayResumesAfterItsRestartAndTheFileArrivesWhole() throws Exception {
        killMidwayAndResume(false);
    }

    @Test
    void theSenderKilledMidwayResumesAfterItsRestartAndTheFileArrivesWhole() throws Exception {
        killMidwayAndResume(true);
    }

    private void killMidwayAndResume(boolean killSender) throws Exception {
        long began = System.nanoTime();
        ProntoProcess alice = pronto(0, "alice@hosta");
        ProntoProcess bob = pronto(1, "bob@hostb");
        Path sent = lab.host(0).directory().resolve(NAME);
        bigFiles.add(sent);
        String sentHash = writeRandom(sent, SIZE, 14);
        long written = System.nanoTime();
        awaitLine(alice, "sees bob", fields -> fields[0].equals("contact") && fields[1].equals("bob@hostb"));
        awaitLine(bob, "sees alice", fields -> fields[0].equals("contact") && fields[1].equals("alice@hosta"));

        alice.tell("send-file bob@hostb \"" + sent + "\"");
        String[] offered = awaitTransfer(bob, "in", null, "offered", 0);
        String id = offered[1];
        assertEquals(NAME, offered[4]);
        assertEquals(Long.toString(SIZE), offered[5]);
        bob.tell("accept " + id); // into --downloads
        Path part = downloads.resolve(".pronto-" + id + ".part");
        bigFiles.add(part);
        rss = new RssWatch(bob);

        // Part-way: the receiver's partial file holds a good share of it (watched closely: the link is fast).
        try {
            await().atMost(MOVE).pollInterval(Duration.ofMillis(10))
                    .until(() -> Files.exists(part) && Files.size(part) >= KILL_AFTER);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("bob's partial file never reached " + KILL_AFTER + " bytes\n" + logs(alice, bob), e);
        }
        ProntoProcess victim = killSender ? alice : bob;
        long killedAt = Files.size(part);
        killHard(victim);
        long atKill = Files.size(part);
        assertTrue(atKill < SIZE, "the kill came after the whole file had arrived (" + atKill + " bytes): no resume tested");
        long killed = System.nanoTime();

        // The survivor sees the transfer interrupted, then the killed side starts again as it was.
        ProntoProcess survivor = killSender ? bob : alice;
        int survivorFrom = awaitTransferIndex(survivor, killSender ? "in" : "out", killSender ? id : null, "interrupted", 0);
        ProntoProcess restarted = pronto(killSender ? 0 : 1, killSender ? "alice@hosta" : "bob@hostb");
        if (killSender) {
            alice = restarted;
        } else {
            bob = restarted;
            rss.follow(bob);
        }

        // The file goes again when the sender sees the receiver on the network (an offer that could not go
        // out meanwhile, refused while the peer did not see us yet, is tried again with a backoff).
        awaitBothDone(alice, bob, part, id);
        String[] bobDone = awaitTransfer(bob, "in", id, "done", 0, alice, bob);
        String[] aliceDone = awaitTransfer(alice, "out", null, "done", 0, alice, bob);
        long finished = System.nanoTime();
        rss.stop();

        // Resumed, not started again: every attempt after the kill starts where the partial file ended.
        String[] bobResumed = firstAttempt(bob, "in", id, killSender ? bobIndexAfter(bob, id) : 0);
        String[] aliceResumed = firstAttempt(alice, "out", null, killSender ? 0 : survivorFrom);
        long bobFrom = Long.parseLong(bobResumed[7]);
        long aliceFrom = Long.parseLong(aliceResumed[7]);
        assertTrue(bobFrom >= killedAt && bobFrom < SIZE, "bob resumed at byte " + bobFrom + ", the partial file had "
                + killedAt + " when the kill came\n" + logs(alice, bob));
        if (!killSender) {
            assertEquals(atKill, bobFrom, "the restarted receiver asks for what its partial file lacks");
        }
        assertEquals(bobFrom, aliceFrom, "alice sends from where bob asked");
        assertNoRestartFromZero(bob, "in", id, killSender ? bobIndexAfter(bob, id) : 0);
        assertNoRestartFromZero(alice, "out", null, killSender ? 0 : survivorFrom);

        // Done on both sides, over TLS, whole, with the offered hash, and no partial file left.
        assertEquals("tls", bobDone[8]);
        assertEquals("tls", aliceDone[8]);
        assertEquals(Long.toString(SIZE), bobDone[7]);
        Path received = Path.of(bobDone[9]);
        bigFiles.add(received);
        assertEquals(downloads.resolve(NAME), received);
        assertFalse(Files.exists(part), "the partial file became the file");
        assertEquals(SIZE, Files.size(received));
        assertEquals(sentHash, sha256(received), "what arrived is what was sent");
        try (Stream<Path> left = Files.list(downloads)) {
            assertEquals(List.of(received), left.toList(), "nothing else in the download folder");
        }
        assertTrue(rss.max() < MAX_RSS, "bob's resident memory reached " + rss.max() / MIB + " MiB for a "
                + SIZE / MIB + " MiB file");

        System.out.printf("FileTransferLabIT %s killed at %d MiB, resumed at %d MiB; file written in %.1f s, "
                        + "kill after %.1f s, done %.1f s after the kill; bob's max RSS %d MiB (of %d samples)%n",
                killSender ? "sender" : "receiver", atKill / MIB, bobFrom / MIB, (written - began) / 1e9,
                (killed - written) / 1e9, (finished - killed) / 1e9, rss.max() / MIB, rss.samples());
    }

    /**
     * Waits for the transfer to end done on both sides, as long as it moves: it fails once the partial
     * file has not grown for {@link #STUCK} (a resume that never starts), not after a fixed time.
     */
    private void awaitBothDone(ProntoProcess alice, ProntoProcess bob, Path part, String id) throws Exception {
        long size = -1;
        long movedAt = System.nanoTime();
        long deadline = System.nanoTime() + MOVE.toNanos();
        while (true) {
            boolean bobDone = fields(bob).stream().anyMatch(fields -> isTransfer(fields, "in", id, "done"));
            boolean aliceDone = fields(alice).stream().anyMatch(fields -> isTransfer(fields, "out", null, "done"));
            if (bobDone && aliceDone) {
                return;
            }
            long now = Files.exists(part) ? Files.size(part) : -2;
            if (now != size || bobDone) {
                size = now;
                movedAt = System.nanoTime();
            }
            if (System.nanoTime() - movedAt > STUCK.toNanos() || System.nanoTime() > deadline) {
                throw new AssertionError("the transfer did not end done on both sides (bob done: " + bobDone
                        + ", alice done: " + aliceDone + "); bob's partial file stayed at " + size + " bytes for "
                        + (System.nanoTime() - movedAt) / 1_000_000_000 + " s\n"
                        + logs(alice, bob));
            }
            Thread.sleep(200);
        }
    }

    /**
     * The installed app's heap and collector (packaging/jvm-options): at most 256 MiB of heap, so the
     * memory check holds on any machine (the default heap is a quarter of the RAM). Not its compiler
     * thresholds: chosen when the launcher was C1 only, which ran TLS at a third of the speed and
     * this class for over three minutes.
     */
    private static final List<String> APP_JVM = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx256m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

    /** Pronto in terminal mode with machine lines, on a fixed port, keeping everything in its data folder. */
    private ProntoProcess pronto(int host, String name) throws IOException {
        NetnsLab.Host where = lab.host(host);
        List<String> args = new ArrayList<>(List.of("--console", "--machine", "--name", name,
                "--interface", where.address(), "--bind", where.address(), "--port", "5299",
                "--data-dir", where.directory().resolve("pronto").toString(), "--nick", name.substring(0, name.indexOf('@'))));
        if (host == 1) {
            args.addAll(List.of("--downloads", downloads.toString()));
        }
        return ProntoProcess.start(lab, where, Main.class, args, APP_JVM);
    }

    /** {@code kill -9} of the Pronto JVM (not a quit: no shutdown hook, no goodbye, nothing flushed). */
    private static void killHard(ProntoProcess pronto) throws InterruptedException {
        Process process = pronto.process();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly(); // SIGKILL
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the killed process is gone");
    }

    /** The Pronto JVM's pid ({@code ip netns exec} may run it as itself or as a child). */
    private static long javaPid(Process process) {
        if (process.info().command().map(command -> command.endsWith("java")).orElse(false)) {
            return process.pid();
        }
        return process.descendants().filter(handle -> handle.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    /** Samples a process's VmRSS every 100 ms until stopped (the highest seen, whichever process it followed). */
    private static final class RssWatch {
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong samples = new AtomicLong();
        private final Thread thread;
        private volatile Path status;
        private volatile boolean running = true;

        RssWatch(ProntoProcess pronto) {
            follow(pronto);
            thread = new Thread(() -> {
                while (running) {
                    try {
                        for (String line : Files.readAllLines(status)) {
                            if (line.startsWith("VmRSS:")) {
                                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                                max.accumulateAndGet(kib * 1024, Math::max);
                                samples.incrementAndGet();
                            }
                        }
                    } catch (IOException gone) {
                        // killed: it follows the restarted process next
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-watch");
            thread.setDaemon(true);
            thread.start();
        }

        /** From now on, samples {@code pronto} (the same peer, started again). */
        void follow(ProntoProcess pronto) {
            status = Path.of("/proc", Long.toString(javaPid(pronto.process())), "status");
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(2000);
        }

        long max() {
            return max.get();
        }

        long samples() {
            return samples.get();
        }
    }

    // ---- machine lines ---------------------------------------------------------------------------------

    private static List<String[]> fields(ProntoProcess pronto) throws IOException {
        return pronto.lines().stream().map(line -> line.split("\t", -1)).toList();
    }

    private static boolean isTransfer(String[] fields, String way, String id, String state) {
        return fields.length == 11 && fields[0].equals("transfer") && fields[2].equals(way)
                && (id == null || fields[1].equals(id)) && fields[4].equals(NAME)
                && (state == null || fields[6].equals(state));
    }

    private void awaitLine(ProntoProcess pronto, String what, Predicate<String[]> wanted) throws IOException {
        try {
            await().atMost(START).until(() -> fields(pronto).stream().anyMatch(wanted));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("never: " + what + "; it printed:\n" + pronto.output() + "\n(lab files in " + lab + ")", e);
        }
    }

    private String[] awaitTransfer(ProntoProcess pronto, String way, String id, String state, int from,
                                   ProntoProcess... shown) throws IOException {
        int index = awaitTransferIndex(pronto, way, id, state, from, shown);
        return fields(pronto).get(index);
    }

    /** Waits for {@code transfer ID way PEER NAME SIZE state …} at or after line {@code from}; its index. */
    private int awaitTransferIndex(ProntoProcess pronto, String way, String id, String state, int from,
                                   ProntoProcess... shown) throws IOException {
        try {
            return await().atMost(MOVE).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<String[]> lines = fields(pronto);
                for (int i = from; i < lines.size(); i++) {
                    if (isTransfer(lines.get(i), way, id, state)) {
                        return Optional.of(i);
                    }
                }
                return Optional.<Integer>empty();
            }, Optional::isPresent).get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("never a " + way + " transfer " + state + " in " + pronto.log() + "\n"
                    + logs(shown.length == 0 ? new ProntoProcess[] {pronto} : shown), e);
        }
    }

    /** Bob's line index just past his first {@code interrupted} line for the transfer. */
    private static int bobIndexAfter(ProntoProcess bob, String id) throws IOException {
        List<String[]> lines = fields(bob);
        for (int i = 0; i < lines.size(); i++) {
            if (isTransfer(lines.get(i), "in", id, "interrupted")) {
                return i + 1;
            }
        }
        throw new AssertionError("bob never showed the transfer interrupted:\n" + bob.output());
    }

    /** The first {@code connecting} line at or after {@code from}: where the attempt starts (DONE). */
    private static String[] firstAttempt(ProntoProcess pronto, String way, String id, int from) throws IOException {
        List<String[]> lines = fields(pronto);
        for (int i = from; i < lines.size(); i++) {
            if (isTransfer(lines.get(i), way, id, "connecting")) {
                return lines.get(i);
            }
        }
        throw new AssertionError("no " + way + " attempt after line " + from + " in " + pronto.log() + ":\n" + pronto.output());
    }

    private static void assertNoRestartFromZero(ProntoProcess pronto, String way, String id, int from) throws IOException {
        List<String[]> lines = fields(pronto);
        for (int i = from; i < lines.size(); i++) {
            String[] line = lines.get(i);
            if (isTransfer(line, way, id, null) && (line[6].equals("connecting") || line[6].equals("active"))) {
                assertTrue(Long.parseLong(line[7]) > 0, "an attempt after the kill started from byte 0: "
                        + String.join("\t", line) + " in " + pronto.log());
            }
        }
    }

    private String logs(ProntoProcess... processes) throws IOException {
        StringBuilder all = new StringBuilder();
        for (ProntoProcess pronto : processes) {
            List<String> lines = pronto.lines();
            all.append("---- ").append(pronto.log()).append(" (last 60 of ").append(lines.size()).append(" lines)\n");
            lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(line -> all.append(line).append('\n'));
        }
        return all.append("(lab files in ").append(lab).append(")").toString();
    }

    // ---- the big file ----------------------------------------------------------------------------------

    /** {@code size} bytes of a fast PRNG (real bytes on the disk, not a sparse file), written in 1 MiB chunks; its SHA-256. */
    private static String writeRandom(Path file, long size, long seed) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer chunk = ByteBuffer.allocate((int) MIB).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < size; ) {
                chunk.clear();
                while (chunk.remaining() >= Long.BYTES) {
                    chunk.putLong(random.nextLong());
                }
                chunk.flip();
                chunk.limit((int) Math.min(chunk.limit(), size - done));
                digest.update(chunk.array(), 0, chunk.limit());
                while (chunk.hasRemaining()) {
                    done += channel.write(chunk);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of a file, streamed through one buffer. */
    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ByteBuffer buffer = ByteBuffer.allocate((int) MIB);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer.clear()) >= 0) {
                digest.update(buffer.array(), 0, buffer.position());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
