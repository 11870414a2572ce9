package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import chat.pronto.presence.TieBreak.Outcome;
import chat.pronto.presence.TieBreak.Proposed;

/** RFC 6762 §8.2 and §8.2.1, case by case. */
class TieBreakTest {
    private static Proposed a(int... bytes) {
        byte[] rdata = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            rdata[i] = (byte) bytes[i];
        }
        return new Proposed(1, MdnsMessage.TYPE_A, rdata);
    }

    @Test
    void laterRdataWinsAndEarlierLoses() {
        assertEquals(Outcome.WON, TieBreak.compare(List.of(a(192, 168, 1, 50)), List.of(a(192, 168, 1, 48))));
        assertEquals(Outcome.LOST, TieBreak.compare(List.of(a(192, 168, 1, 48)), List.of(a(192, 168, 1, 50))));
    }

    @Test
    void bytesCompareUnsigned() {
        assertEquals(Outcome.WON, TieBreak.compare(List.of(a(200)), List.of(a(100))));
    }

    @Test
    void classComesBeforeTypeWhichComesBeforeData() {
        Proposed srvLowData = new Proposed(1, MdnsMessage.TYPE_SRV, new byte[] {0});
        Proposed txtHighData = new Proposed(1, MdnsMessage.TYPE_TXT, new byte[] {(byte) 255});
        assertEquals(Outcome.WON, TieBreak.compare(List.of(srvLowData), List.of(txtHighData)), "type 33 is later than 16");
        Proposed otherClass = new Proposed(3, MdnsMessage.TYPE_TXT, new byte[] {0});
        assertEquals(Outcome.LOST, TieBreak.compare(List.of(srvLowData), List.of(otherClass)));
    }

    @Test
    void rdataThatRunsOutFirstIsEarlier() {
        assertEquals(Outcome.LOST, TieBreak.compare(List.of(a(192, 168, 1, 49)), List.of(a(192, 168, 1, 49, 0))));
    }

    @Test
    void theListsAreSortedBeforeTheyAreComparedAndALongerListWins() {
        List<Proposed> ours = List.of(a(10, 0, 0, 2), a(10, 0, 0, 1));
        assertEquals(Outcome.IDENTICAL, TieBreak.compare(ours, List.of(a(10, 0, 0, 1), a(10, 0, 0, 2))));
        assertEquals(Outcome.WON, TieBreak.compare(ours, List.of(a(10, 0, 0, 1))));
        assertEquals(Outcome.LOST, TieBreak.compare(List.of(a(10, 0, 0, 1)), ours));
    }

    @Test
    void exactlyOneOfTwoProntoHostsWinsWhateverTheirHostNames() {
        for (String other : List.of("hosta-0000.local.", "hosta-ffff.local.", "hostb-1234.local.", "a.local.")) {
            Proposed mine = NameKeeper.ourProbe("hosta-7f3a.local.", 5299);
            Proposed theirs = NameKeeper.ourProbe(other, 5299);
            Outcome fromMySide = TieBreak.compare(List.of(mine), List.of(theirs));
            Outcome fromTheirs = TieBreak.compare(List.of(theirs), List.of(mine));
            assertEquals(fromMySide == Outcome.WON ? Outcome.LOST : Outcome.WON, fromTheirs, other);
        }
    }
}
