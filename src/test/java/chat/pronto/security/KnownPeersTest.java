package chat.pronto.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownPeersTest {
    private final Fingerprint first = Identity.generate("bob@hostb").fingerprint();
    private final Fingerprint second = Identity.generate("bob@hostb").fingerprint();

    @TempDir
    Path data;

    @Test
    void tellsFirstUseMatchAndChange() throws IOException {
        KnownPeers known = KnownPeers.inMemory();

        assertInstanceOf(PinCheck.FirstUse.class, known.check("bob@hostb", first));
        known.pin("bob@hostb", first);
        assertInstanceOf(PinCheck.Match.class, known.check("bob@hostb", first));
        assertEquals(new PinCheck.Changed(first, second), known.check("bob@hostb", second));
    }

    /** A key taken on first use in this run is "new" until the user confirms one; pins from before are not. */
    @Test
    void aKeyPinnedOnFirstUseNowIsNewUntilConfirmed() throws IOException {
        KnownPeers.load(data).pin("bob@hostb", first);
        KnownPeers known = KnownPeers.load(data);
        known.pinFirstUse("eve@hoste", second);

        assertTrue(known.isNewlyPinned("eve@hoste"));
        assertFalse(known.isNewlyPinned("bob@hostb"), "pinned in an earlier run");
        known.pin("eve@hoste", second);
        assertFalse(known.isNewlyPinned("eve@hoste"), "the user confirmed it");
        assertFalse(KnownPeers.load(data).isNewlyPinned("eve@hoste"), "after a restart it is simply the pinned key");
    }

    @Test
    void keepsPinsAcrossRestarts() throws IOException {
        KnownPeers.load(data).pin("bob@hostb", first);

        assertEquals(Optional.of(first), KnownPeers.load(data).pinned("bob@hostb"));
    }

    @Test
    void acceptingAChangedKeyReplacesThePin() throws IOException {
        KnownPeers known = KnownPeers.load(data);
        known.pin("bob@hostb", first);
        known.pin("bob@hostb", second);

        assertInstanceOf(PinCheck.Match.class, KnownPeers.load(data).check("bob@hostb", second));
    }

    @Test
    void skipsADamagedLineAndKeepsTheRest() throws IOException {
        KnownPeers.load(data).pin("bob@hostb", first);
        Files.writeString(data.resolve("known-peers.properties"), "eve@hoste=garbage\n",
                java.nio.file.StandardOpenOption.APPEND);

        KnownPeers reloaded = KnownPeers.load(data);
        assertEquals(Optional.of(first), reloaded.pinned("bob@hostb"));
        assertEquals(Optional.empty(), reloaded.pinned("eve@hoste"));
    }

    /** A bad escape used to stop Pronto from starting at all (Properties.load gave up on the whole file). */
    @Test
    void aBadEscapeSkipsItsLineAndProntoStillStartsWithTheOtherPins() throws IOException {
        KnownPeers.load(data).pin("bob@hostb", first);
        Files.writeString(data.resolve("known-peers.properties"), "eve\\uZZZZ@hoste=00\n",
                java.nio.file.StandardOpenOption.APPEND);

        assertEquals(Optional.of(first), KnownPeers.load(data).pinned("bob@hostb"));
    }

    /** The pins, the key and the history are the user's alone, also in a folder made before (0755). */
    @Test
    void theDataFolderIsTightenedToTheUserAlone() throws IOException {
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        KnownPeers.load(data).pin("bob@hostb", first);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("known-peers.properties"))));
    }

    /** Five first streams in one name at once, with five keys: one wins the name, four are key changes. */
    @Test
    void onlyOneFirstKeyCanWinAName() throws Exception {
        KnownPeers known = KnownPeers.inMemory();
        java.util.List<Fingerprint> keys = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> Fingerprint.parse(String.format("%02x", i + 1).repeat(32))).toList();
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(keys.size());
        java.util.List<java.util.concurrent.CompletableFuture<PinCheck>> answers = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(keys.size());
        try {
            for (Fingerprint key : keys) {
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                        return known.pinFirstUse("bob@hostb", key);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            java.util.List<PinCheck> checks = answers.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            java.util.List<PinCheck> won = checks.stream().filter(PinCheck.FirstUse.class::isInstance).toList();
            assertEquals(1, won.size(), checks.toString());
            assertEquals(4, checks.stream().filter(PinCheck.Changed.class::isInstance).count());
            assertEquals(won.get(0).presented(), known.pinned("bob@hostb").orElseThrow());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aVerifiedMarkSurvivesARestartAndHoldsForThatKeyOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
            throws Exception {
        Fingerprint bobs = Fingerprint.parse("0b".repeat(32));
        Fingerprint another = Fingerprint.parse("0c".repeat(32));
        KnownPeers known = KnownPeers.load(folder);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> known.verify("bob@b", bobs),
                "nothing pinned yet: nothing to verify");
        known.pinFirstUse("bob@b", bobs);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> known.verify("bob@b", another),
                "only the key pinned can be marked");
        known.verify("bob@b", bobs);
        org.junit.jupiter.api.Assertions.assertFalse(known.isNewlyPinned("bob@b"), "compared: no longer new");

        KnownPeers again = KnownPeers.load(folder);
        org.junit.jupiter.api.Assertions.assertTrue(again.isVerified("bob@b"), "survives a restart");
        again.pin("bob@b", another); // a changed key, accepted by hand
        org.junit.jupiter.api.Assertions.assertFalse(again.isVerified("bob@b"), "the mark was for the old key");
        org.junit.jupiter.api.Assertions.assertFalse(KnownPeers.load(folder).isVerified("bob@b"));
    }

    @Test
    void anInviteLinksKeyIsPinnedVerifiedUnlessAnotherIsPinned(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
            throws Exception {
        Fingerprint linked = Fingerprint.parse("1a".repeat(32));
        KnownPeers known = KnownPeers.load(folder);
        org.junit.jupiter.api.Assertions.assertInstanceOf(PinCheck.FirstUse.class, known.pinVerified("carol@c", linked));
        org.junit.jupiter.api.Assertions.assertTrue(known.isVerified("carol@c"));
        org.junit.jupiter.api.Assertions.assertInstanceOf(PinCheck.Match.class, known.pinVerified("carol@c", linked));
        PinCheck other = known.pinVerified("carol@c", Fingerprint.parse("2b".repeat(32)));
        org.junit.jupiter.api.Assertions.assertInstanceOf(PinCheck.Changed.class, other);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(linked), known.pinned("carol@c"),
                "a link with another key changes nothing");
    }
}
