package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        settings.notifications(false);
        settings.sound(true);
        settings.save();

        UiSettings again = UiSettings.load(file);
        assertEquals(UiSettings.Theme.DARK, again.theme());
        assertEquals(10, again.x());
        assertEquals(20, again.y());
        assertEquals(1100, again.width());
        assertEquals(700, again.height());
        assertFalse(again.notifications());
        assertTrue(again.sound());
    }

    @Test
    void aDamagedFileGivesTheDefaultsNotAnError(@TempDir Path data) throws Exception {
        Path file = data.resolve("ui.properties");
        Files.writeString(file, "theme=PURPLE\nwindow.width=wide\n");
        UiSettings settings = UiSettings.load(file);
        assertEquals(UiSettings.Theme.LIGHT, settings.theme());
        assertEquals(1000, settings.width());
        assertTrue(settings.notifications());
    }

    @Test
    void anOlderFileWithTheCoresPreferencesGivesTheWindowItsOwnAndSavesOnlyThose(@TempDir Path data)
            throws Exception {
        Path file = data.resolve("ui.properties");
        Files.writeString(file, "theme=DARK\nwindow.width=1200\nnick=Ally\nrequire.encryption=true\nidle.seconds=600\n");
        UiSettings settings = UiSettings.load(file);
        assertEquals(UiSettings.Theme.DARK, settings.theme());
        assertEquals(1200, settings.width());

        settings.save();
        assertTrue(Files.readAllLines(file).stream().noneMatch(line -> line.startsWith("nick")
                || line.startsWith("require.encryption") || line.startsWith("idle.seconds")),
                "the core's preferences live in settings.properties now");
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
