package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import chat.pronto.ui.settings.UiSettings;

class UiSettingsTest {
    @Test
    void settingsSurviveARestart(@TempDir Path data) throws Exception {
        Path file = data.resolve("ui.properties");
        UiSettings settings = UiSettings.load(file);
        settings.theme(UiSettings.Theme.DARK);
        settings.window(10, 20, 1100, 700);
        settings.names("Ally", "Alice", " ");
        settings.contacts("alice@example.org", "");
        settings.requireEncryption(true);
        settings.idleSeconds(600);
        settings.save();

        UiSettings again = UiSettings.load(file);
        assertEquals(UiSettings.Theme.DARK, again.theme());
        assertEquals(1100, again.width());
        assertEquals(20, again.y());
        assertEquals("Ally", again.nick());
        assertEquals("Alice", again.firstName());
        assertNull(again.lastName(), "blank is not published");
        assertEquals("alice@example.org", again.email());
        assertNull(again.jid());
        assertTrue(again.requireEncryption());
        assertEquals(600, again.idleSeconds());
    }

    @Test
    void aDamagedFileGivesTheDefaultsNotAnError(@TempDir Path data) throws Exception {
        Path file = data.resolve("ui.properties");
        Files.writeString(file, "theme=PURPLE\nwindow.width=wide\n");
        UiSettings settings = UiSettings.load(file);
        assertEquals(UiSettings.Theme.LIGHT, settings.theme());
        assertEquals(1000, settings.width());
        assertEquals(180, settings.idleSeconds());
    }

    @Test
    void theSystemThemeFollowsWhatTheDesktopPrefers() {
        UiSettings settings = UiSettings.load(null);
        settings.theme(UiSettings.Theme.SYSTEM);
        assertTrue(!settings.dark());
        settings.systemPrefersDark(true);
        assertTrue(settings.dark());
        settings.theme(UiSettings.Theme.LIGHT);
        assertTrue(!settings.dark(), "a choice of its own wins");
    }
}
