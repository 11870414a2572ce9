package chat.pronto.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReceivedNamesTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiterString = " => ", ignoreLeadingAndTrailingWhitespace = false, value = {
            "holiday.jpg => holiday.jpg",
            "Résumé final.pdf => Résumé final.pdf",
            "../../.bashrc => bashrc",
            "/etc/passwd => passwd",
            "..\\..\\Windows\\System32\\evil.dll => evil.dll",
            "C:\\Users\\bob\\notes.txt => notes.txt",
            ".. => file",
            ". => file",
            "... => file",
            ".hidden => hidden",
            "  .config => config",
            "report.pdf.    => report.pdf",
            "CON => _CON",
            "con.txt => _con.txt",
            "LPT1.tar.gz => _LPT1.tar.gz",
            "Aux  => _Aux",
            "console.txt => console.txt",
            "what?*<>|.txt => what_____.txt",
            "a:b\"c.txt => a_b_c.txt",
    })
    void aPeersNameBecomesOnePlainName(String offered, String expected) {
        assertEquals(expected, ReceivedNames.clean(offered));
    }

    @Test
    void controlCharactersAndReorderingMarksAreRemoved() {
        assertEquals("bell.txt", ReceivedNames.clean("be\u0007ll\n.txt"));
        assertEquals("_nul.txt", ReceivedNames.clean("nu\u0000l.txt"), "without its NUL character it names the device NUL");
        assertEquals("photogpj.exe", ReceivedNames.clean("photo\u202Egpj.exe"), "a right-to-left override hides the extension");
        assertEquals("invisible.txt", ReceivedNames.clean("in\u200Bvisi\uFEFFble\u2066.txt"));
        assertEquals("c1.txt", ReceivedNames.clean("c\u00851.txt"));
    }

    @Test
    void nothingUsableLeftGivesAPlainName() {
        assertEquals("file", ReceivedNames.clean(null));
        assertEquals("file", ReceivedNames.clean(""));
        assertEquals("file", ReceivedNames.clean("\u202E\u0000"));
        assertEquals("file", ReceivedNames.clean("folder/"));
    }

    @Test
    void decomposedAccentsAreComposed() {
        assertEquals("é.txt", ReceivedNames.clean("e\u0301.txt"));
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 300, 1000, 5000})
    void longNamesAreCutToWhatFileSystemsTakeKeepingTheExtension(int length) {
        String cleaned = ReceivedNames.clean("x".repeat(length) + ".jpeg");
        assertTrue(cleaned.getBytes(StandardCharsets.UTF_8).length <= 255, cleaned.length() + " characters");
        assertTrue(cleaned.endsWith("x.jpeg"), cleaned);
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String cleaned = ReceivedNames.clean("ü".repeat(200) + "😀".repeat(20) + ".png");
        byte[] bytes = cleaned.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= 255);
        assertEquals(cleaned, new String(bytes, StandardCharsets.UTF_8));
        assertFalse(cleaned.contains("\uFFFD"));
        assertTrue(cleaned.endsWith(".png"));
    }

    @Test
    void aHugeExtensionIsNotKeptWhole() {
        String cleaned = ReceivedNames.clean("a." + "b".repeat(400));
        assertTrue(cleaned.getBytes(StandardCharsets.UTF_8).length <= 255);
        assertTrue(cleaned.startsWith("a."));
    }
}
