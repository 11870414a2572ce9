package chat.pronto.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FingerprintTest {
    private final Fingerprint fingerprint = Identity.generate("a@x").fingerprint();

    @Test
    void showsSixteenGroupsOfFourHexDigitsOnTwoLines() {
        String shown = fingerprint.toDisplayString();

        String[] lines = shown.split("\n");
        assertEquals(2, lines.length);
        for (String line : lines) {
            assertTrue(line.matches("([0-9A-F]{4} ){7}[0-9A-F]{4}"), line);
        }
    }

    @Test
    void readsBackWhatItShowsAndColonSeparatedForms() {
        assertEquals(fingerprint, Fingerprint.parse(fingerprint.toDisplayString()));
        assertEquals(fingerprint, Fingerprint.parse(fingerprint.hex().replaceAll("(..)(?!$)", "$1:")));
    }

    @Test
    void refusesTextThatIsNoSha256() {
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("abcd"));
    }
}
