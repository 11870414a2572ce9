package chat.pronto.ui.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class KeyTextTest {
    private static final String HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void theDisplayFormWithItsLineBreakGivesBackTheHexDigits() {
        String shown = "9F86 D081 884C 7D65 9A2F EAA0 C55A D015\nA3BF 4F1B 2B0B 822C D15D 6C15 B0F0 0A08";
        assertEquals(Optional.of(HEX), KeyText.hex(shown));
        assertEquals(shown, KeyText.grouped(HEX));
    }

    @Test
    void aShortOrMissingKeyIsNoKeyToCompare() {
        assertEquals(Optional.empty(), KeyText.hex("1234 5678 9ABC DEF0"));
        assertEquals(Optional.empty(), KeyText.hex(null));
    }
}
