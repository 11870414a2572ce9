package chat.pronto.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import chat.pronto.model.Problem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreferencesTest {
    /** What Pronto's window wrote before the core's preferences had a file of their own. */
    private static final String OLDER_UI_PROPERTIES = """
            theme=DARK
            window.width=1100.0
            nick=Ally
            first=Alice
            last=Liddell
            publish.email=alice@example.org
            publish.jid=alice@jabber.example.org
            require.encryption=true
            idle.seconds=600
            interfaces=wlan0, eth0
            notifications=false
            """;

    @Test
    void preferencesSurviveARestart(@TempDir Path data) throws Exception {
        Preferences preferences = Preferences.load(data);
        preferences.names("Ally", "Alice", " ");
        preferences.contacts("alice@example.org", "");
        preferences.requireEncryption(true);
        preferences.idleSeconds(600);
        preferences.interfaces(" wlan0, eth0 192.168.1.20 ");
        preferences.syncEveryCommit(true);
        preferences.save();

        assertTrue(Files.exists(data.resolve("settings.properties")));
        Preferences again = Preferences.load(data);
        assertEquals("Ally", again.nick());
        assertEquals("Alice", again.firstName());
        assertNull(again.lastName(), "blank is not published");
        assertEquals("alice@example.org", again.email());
        assertNull(again.jid());
        assertTrue(again.requireEncryption());
        assertEquals(600, again.idleSeconds());
        assertEquals(List.of("wlan0", "eth0", "192.168.1.20"), again.interfaces());
        assertTrue(again.syncEveryCommit());
    }

    @Test
    void nothingSavedYetGivesTheDefaults(@TempDir Path data) {
        Preferences preferences = Preferences.load(data.resolve("not-made-yet"));
        assertNull(preferences.nick());
        assertNull(preferences.email());
        assertFalse(preferences.requireEncryption());
        assertEquals(180, preferences.idleSeconds());
        assertEquals(List.of(), preferences.interfaces());
        assertFalse(preferences.syncEveryCommit(), "crash-safe, not synced at every commit, by default");
    }

    @Test
    void aDamagedValueKeepsTheOtherSettingsAndSaysWhichOneIsDamaged(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("settings.properties"), "nick=Ally\nrequire.encryption=true\nidle.seconds=soon\n");
        Preferences preferences = Preferences.load(data);
        assertEquals("Ally", preferences.nick());
        assertTrue(preferences.requireEncryption(), "one bad value must not turn encryption off");
        assertEquals(180, preferences.idleSeconds());
        assertEquals(Problem.Kind.SETTINGS_DAMAGED, preferences.damage().orElseThrow().kind());
        assertTrue(preferences.damage().get().facts().toString().contains("idle.seconds"));
    }

    @Test
    void aRequireEncryptionValueThatIsNeitherTrueNorFalseRequiresEncryption(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("settings.properties"), "require.encryption=ture\n");
        Preferences preferences = Preferences.load(data);
        assertTrue(preferences.requireEncryption(), "a damaged security choice errs on the safe side");
        assertTrue(preferences.damage().isPresent());
    }

    @Test
    void aFileWithABadEscapeRequiresEncryptionUntilSavedAgain(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("settings.properties"), "require.encryption=false\nnick=\\uZZZZ\n");
        Preferences preferences = Preferences.load(data);
        assertTrue(preferences.requireEncryption(), "unreadable: what the user chose is unknown, so the safe side");
        assertTrue(preferences.damage().isPresent());
        preferences.requireEncryption(false);
        preferences.save();
        Preferences again = Preferences.load(data);
        assertFalse(again.requireEncryption(), "saving writes a whole file again");
        assertTrue(again.damage().isEmpty());
    }

    @Test
    void aFileThatCannotBeReadGivesTheSafeDefaultsNotAnError(@TempDir Path data) throws Exception {
        Files.createDirectory(data.resolve("settings.properties"));
        Preferences preferences = Preferences.load(data);
        assertEquals(180, preferences.idleSeconds());
        assertTrue(preferences.requireEncryption());
        assertTrue(preferences.damage().isPresent());
    }

    @Test
    void anUndamagedFileReportsNoDamage(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("settings.properties"), "require.encryption=false\nidle.seconds=60\n");
        assertTrue(Preferences.load(data).damage().isEmpty());
        assertTrue(Preferences.load(data.resolve("nothing-here")).damage().isEmpty());
    }

    @Test
    void withoutASettingsFileTheOnesAnOlderProntoKeptInUiPropertiesAreTaken(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("ui.properties"), OLDER_UI_PROPERTIES);
        Preferences preferences = Preferences.load(data);
        assertEquals("Ally", preferences.nick());
        assertEquals("Alice", preferences.firstName());
        assertEquals("Liddell", preferences.lastName());
        assertEquals("alice@example.org", preferences.email());
        assertEquals("alice@jabber.example.org", preferences.jid());
        assertTrue(preferences.requireEncryption());
        assertEquals(600, preferences.idleSeconds());
        assertEquals(List.of("wlan0", "eth0"), preferences.interfaces());
        assertFalse(Files.exists(data.resolve("settings.properties")), "loading writes nothing");
    }

    @Test
    void takenFromAnOlderUiPropertiesTheyAreWrittenToTheSettingsFileAtTheNextSave(@TempDir Path data)
            throws Exception {
        Path older = data.resolve("ui.properties");
        Files.writeString(older, OLDER_UI_PROPERTIES);
        Preferences.load(data).save();
        // The window's own save then drops the keys from ui.properties: the settings file must have them.
        Files.writeString(older, "theme=DARK\n");

        Preferences again = Preferences.load(data);
        assertEquals("Ally", again.nick());
        assertTrue(again.requireEncryption());
        assertEquals(600, again.idleSeconds());
        assertEquals(List.of("wlan0", "eth0"), again.interfaces());
        assertEquals("theme=DARK\n", Files.readString(older), "the window's file is the window's business");
    }

    @Test
    void anOlderUiPropertiesIsIgnoredOnceThereIsASettingsFile(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("ui.properties"), OLDER_UI_PROPERTIES);
        Files.writeString(data.resolve("settings.properties"), "nick=Bee\n");
        Preferences preferences = Preferences.load(data);
        assertEquals("Bee", preferences.nick());
        assertNull(preferences.firstName());
        assertFalse(preferences.requireEncryption());
        assertEquals(180, preferences.idleSeconds());
    }

    @Test
    void theIdleTimeIsNeverUnderFiveSeconds(@TempDir Path data) throws Exception {
        Preferences preferences = Preferences.inMemory();
        preferences.idleSeconds(1);
        assertEquals(5, preferences.idleSeconds());
        preferences.idleSeconds(-60);
        assertEquals(5, preferences.idleSeconds());

        Files.writeString(data.resolve("settings.properties"), "idle.seconds=0\n");
        assertEquals(5, Preferences.load(data).idleSeconds());
    }

    @Test
    void wideAreaSettingsSurviveARestartAndAreOffByDefault(@TempDir Path data) throws Exception {
        Preferences preferences = Preferences.load(data);
        assertEquals(Preferences.DnsSd.OFF, preferences.dnsSd());
        preferences.dnsSd(new Preferences.DnsSd(Preferences.DnsSd.split(" chat.example.org, lab.test "), true,
                " chat.example.org ", "10.0.0.53:5353", "/etc/pronto/tsig.key"));
        preferences.save();
        Preferences again = Preferences.load(data);
        assertEquals(new Preferences.DnsSd(List.of("chat.example.org", "lab.test"), true, "chat.example.org",
                "10.0.0.53:5353", "/etc/pronto/tsig.key"), again.dnsSd());
        assertTrue(again.damage().isEmpty());
    }

    @Test
    void aDamagedWideAreaSwitchIsReportedAndReadAsOff(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("settings.properties"), "dnssd.ask.network=perhaps\ndnssd.domains=lab.test\n");
        Preferences preferences = Preferences.load(data);
        assertTrue(preferences.damage().isPresent());
        assertEquals(false, preferences.dnsSd().askNetwork());
        assertEquals(List.of("lab.test"), preferences.dnsSd().domains());
    }
}
