package chat.pronto.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadFolderTest {
    @TempDir
    Path home;

    @Test
    void theXdgDownloadFolderIsUsedWithProntoInsideIt() throws Exception {
        Files.createDirectories(home.resolve(".config"));
        Files.writeString(home.resolve(".config/user-dirs.dirs"), """
                # This file is written by xdg-user-dirs-update
                XDG_DESKTOP_DIR="$HOME/Desktop"
                XDG_DOWNLOAD_DIR="$HOME/Téléchargements"
                """, StandardCharsets.UTF_8);

        assertEquals(home.resolve("Téléchargements/Pronto"), DownloadFolder.standard(home, Map.of()).path());
    }

    @Test
    void anAbsoluteXdgFolderAndXdgConfigHomeAreHonoured() throws Exception {
        Path config = Files.createDirectories(home.resolve("cfg"));
        Files.writeString(config.resolve("user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"/srv/incoming\"\n");

        assertEquals(Path.of("/srv/incoming/Pronto"),
                DownloadFolder.standard(home, Map.of("XDG_CONFIG_HOME", config.toString())).path());
    }

    @Test
    void withoutAUsableXdgEntryItIsDownloadsInTheHomeFolder() throws Exception {
        assertEquals(home.resolve("Downloads/Pronto"), DownloadFolder.standard(home, Map.of()).path(), "no file");
        Files.createDirectories(home.resolve(".config"));
        for (String entry : List.of("XDG_DOWNLOAD_DIR=\"$HOME\"", "XDG_DOWNLOAD_DIR=Downloads",
                "XDG_DOWNLOAD_DIR=\"relative/path\"", "XDG_DOWNLOAD_DIR=\"$HOME", "XDG_MUSIC_DIR=\"$HOME/Music\"")) {
            Files.writeString(home.resolve(".config/user-dirs.dirs"), entry + "\n");
            assertEquals(home.resolve("Downloads/Pronto"), DownloadFolder.standard(home, Map.of()).path(), entry);
        }
    }

    @Test
    void aTakenNameGetsTheNextNumberAndNothingIsOverwritten() throws Exception {
        DownloadFolder folder = new DownloadFolder(home.resolve("Downloads/Pronto"));
        Path first = folder.claim("photo.jpg");
        Files.writeString(first, "first");

        Path second = folder.claim("photo.jpg");
        Path third = folder.claim("../photo.jpg");
        Path noExtension = folder.claim("README");
        Path noExtensionAgain = folder.claim("README");

        assertEquals("photo.jpg", first.getFileName().toString());
        assertEquals("photo (1).jpg", second.getFileName().toString());
        assertEquals("photo (2).jpg", third.getFileName().toString());
        assertEquals("README (1)", noExtensionAgain.getFileName().toString());
        assertEquals("README", noExtension.getFileName().toString());
        assertEquals("first", Files.readString(first));
        assertEquals(0, Files.size(second));
    }

    @Test
    void claimedFilesStayInTheFolderAndAreNotExecutable() throws Exception {
        DownloadFolder folder = new DownloadFolder(home.resolve("in"));
        for (String hostile : List.of("../../escape.sh", "/tmp/abs.sh", "..", "sub/dir/x.sh", "\u202Ehs.txt")) {
            Path file = folder.claim(hostile);
            assertEquals(folder.path(), file.getParent(), hostile);
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            assertFalse(permissions.contains(PosixFilePermission.OWNER_EXECUTE), hostile + ": " + permissions);
            assertFalse(permissions.contains(PosixFilePermission.GROUP_EXECUTE), hostile + ": " + permissions);
            assertFalse(permissions.contains(PosixFilePermission.OTHERS_EXECUTE), hostile + ": " + permissions);
            assertFalse(permissions.contains(PosixFilePermission.OTHERS_WRITE), hostile + ": " + permissions);
        }
        try (var listed = Files.list(home)) {
            assertEquals(List.of(home.resolve("in")), listed.toList(), "nothing made beside the folder");
        }
    }

    @Test
    void aNumberedCopyOfALongNameStillFits() throws Exception {
        DownloadFolder folder = new DownloadFolder(home.resolve("in"));
        String longName = "é".repeat(200) + ".tar";
        Path first = folder.claim(longName);
        Path second = folder.claim(longName);

        String name = second.getFileName().toString();
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, name);
        assertTrue(name.endsWith(" (1).tar"), name);
        assertFalse(first.equals(second));
    }

    @Test
    void transfersClaimingOneNameAtOnceGetDifferentFiles() throws Exception {
        DownloadFolder folder = new DownloadFolder(home.resolve("in"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String name = "race" + round + ".bin";
                List<Callable<Path>> claims = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    claims.add(() -> folder.claim(name));
                }
                Set<Path> files = new HashSet<>();
                for (Future<Path> claimed : pool.invokeAll(claims)) {
                    files.add(claimed.get(10, TimeUnit.SECONDS));
                }
                assertEquals(8, files.size(), "round " + round + ": " + files);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
