package chat.pronto.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SafetyCodeTest {
    private static final String ALICE = "a1".repeat(32);
    private static final String BOB = "b2".repeat(32);
    private static final String MALLORY = "b3".repeat(32);

    @Test
    void bothSidesSeeTheSameCodeWhateverTheOrderOrTheFormOfTheFingerprints() {
        SafetyCode mine = SafetyCode.of(ALICE, BOB);
        SafetyCode theirs = SafetyCode.of(BOB.toUpperCase().replaceAll("(.{4})", "$1 "), ALICE);
        assertEquals(mine, theirs);
        assertEquals(12, mine.groups().size());
        mine.groups().forEach(group -> assertTrue(group.matches("[0-9]{5}"), group));
        assertEquals(64, mine.grid().size());
        mine.grid().forEach(colour -> assertTrue(colour >= 0 && colour < SafetyCode.COLOURS));
        assertEquals(2, mine.digits().split("\n").length);
    }

    @Test
    void anotherKeyGivesAnotherCode() {
        SafetyCode real = SafetyCode.of(ALICE, BOB);
        SafetyCode forged = SafetyCode.of(ALICE, MALLORY);
        assertNotEquals(real.groups(), forged.groups());
        assertNotEquals(real.grid(), forged.grid());
    }
}
