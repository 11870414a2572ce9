package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.model.AvatarHash;

class AvatarCacheTest {
    private static final byte[] PICTURE = "a picture".getBytes();
    private static final String HASH = AvatarHash.of(PICTURE);

    @TempDir
    Path data;

    @Test
    void aStoredPictureIsKeptUnderItsHashAndKnownAfterARestart() throws Exception {
        Path folder = data.resolve("avatars");
        AvatarCache cache = AvatarCache.inFolder(folder);
        cache.load();
        assertFalse(cache.has(HASH));
        cache.store(HASH, PICTURE);
        assertTrue(Files.isRegularFile(folder.resolve(HASH)));
        assertArrayEquals(PICTURE, cache.read(HASH).orElseThrow());

        AvatarCache restarted = AvatarCache.inFolder(folder);
        restarted.load();
        assertTrue(restarted.has(HASH), "fetched once, also across restarts");
        assertArrayEquals(PICTURE, restarted.read(HASH).orElseThrow());
    }

    @Test
    void aPictureIsStoredOnlyUnderItsOwnHash() {
        AvatarCache cache = AvatarCache.inMemory();
        assertThrows(IllegalArgumentException.class, () -> cache.store(AvatarHash.of("other".getBytes()), PICTURE));
        assertFalse(cache.has(HASH));
    }

    @Test
    void aDamagedFileIsDroppedAndLeftoversAndStrangersAreNotTakenForPictures() throws Exception {
        Path folder = data.resolve("avatars");
        Files.createDirectories(folder);
        Files.write(folder.resolve(HASH), "not the picture".getBytes());
        Files.write(folder.resolve(HASH + ".part"), PICTURE);
        Files.write(folder.resolve("notes.txt"), PICTURE);
        AvatarCache cache = AvatarCache.inFolder(folder);
        cache.load();
        assertFalse(Files.exists(folder.resolve(HASH + ".part")), "half-written leftover removed");
        assertTrue(cache.has(HASH));
        assertTrue(cache.read(HASH).isEmpty(), "its bytes are not the picture its name says");
        assertFalse(cache.has(HASH), "fetched again next time");
        assertFalse(Files.exists(folder.resolve(HASH)));
        assertTrue(cache.read("../notes.txt").isEmpty());
        assertTrue(Files.exists(folder.resolve("notes.txt")), "not ours: left alone");
    }

    @Test
    void theOldestGoBeyondTheLimit() throws Exception {
        Path folder = data.resolve("avatars");
        AvatarCache cache = AvatarCache.inFolder(folder);
        String oldest = null;
        for (int i = 0; i <= AvatarCache.MAX_FILES; i++) {
            byte[] picture = ("picture " + i).getBytes();
            String hash = AvatarHash.of(picture);
            cache.store(hash, picture);
            Files.setLastModifiedTime(folder.resolve(hash), FileTime.fromMillis(1_000_000L + i * 1000L));
            if (i == 0) {
                oldest = hash;
            }
        }
        AvatarCache restarted = AvatarCache.inFolder(folder);
        restarted.load();
        assertFalse(restarted.has(oldest));
        assertFalse(Files.exists(folder.resolve(oldest)));
        assertTrue(restarted.has(AvatarHash.of(("picture " + AvatarCache.MAX_FILES).getBytes())));
    }
}
