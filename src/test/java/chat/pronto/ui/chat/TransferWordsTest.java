package chat.pronto.ui.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;

/** What a file's card says, and the speed and time left it works out from the progress reports. */
class TransferWordsTest {
    private static final long MIB = 1024 * 1024;

    private static Transfer transfer(Direction direction, TransferState state, long done, String reason) {
        return new Transfer("t1", PeerId.of("bob@b"), direction, "film.mkv", 100 * MIB, "", "", state, done, "", true,
                reason, Instant.EPOCH);
    }

    @Test
    void eachStateSaysWhereTheFileStands() {
        assertEquals("100.0 MiB · wants to send you this file",
                TransferWords.of(transfer(Direction.INCOMING, TransferState.OFFERED, 0, ""), 0, -1));
        assertEquals("100.0 MiB · waiting for them to accept",
                TransferWords.of(transfer(Direction.OUTGOING, TransferState.OFFERED, 0, ""), 0, -1));
        assertEquals("25.0 MiB of 100.0 MiB · 10.0 MiB/s · 8 s left",
                TransferWords.of(transfer(Direction.OUTGOING, TransferState.ACTIVE, 25 * MIB, ""), 10 * MIB, 8));
        assertEquals("100.0 MiB · stopped at 25%, resumes when you are both online: the disk is full",
                TransferWords.of(transfer(Direction.INCOMING, TransferState.INTERRUPTED, 25 * MIB, "the disk is full"),
                        0, -1));
        assertEquals("100.0 MiB · they declined it",
                TransferWords.of(transfer(Direction.OUTGOING, TransferState.DECLINED, 0, "declined by bob@b"), 0, -1));
        assertEquals("100.0 MiB · cancelled by them",
                TransferWords.of(transfer(Direction.INCOMING, TransferState.CANCELLED, 0, "cancelled by bob@b"), 0, -1));
        assertEquals("100.0 MiB · failed: the file arrived damaged",
                TransferWords.of(transfer(Direction.INCOMING, TransferState.FAILED, 0, "the file arrived damaged"), 0, -1));
    }

    @Test
    void timeLeftIsRoundedUpToWhatPeopleRead() {
        assertEquals("1 s left", TransferWords.timeLeft(0));
        assertEquals("59 s left", TransferWords.timeLeft(59));
        assertEquals("2 min left", TransferWords.timeLeft(61));
        assertEquals("1 h 1 min left", TransferWords.timeLeft(3_660));
    }

    @Test
    void theSpeedIsTheBytesMovedOverTheLastSecondsSoABurstOfReportsDoesNotMakeItJump() {
        TransferItem item = new TransferItem(transfer(Direction.OUTGOING, TransferState.ACTIVE, 0, ""));
        item.update(transfer(Direction.OUTGOING, TransferState.ACTIVE, 0, ""), 0);
        item.update(transfer(Direction.OUTGOING, TransferState.ACTIVE, MIB, ""), 100_000_000L);
        assertEquals(0, item.bytesPerSecond(), "no speed from a tenth of a second");
        item.update(transfer(Direction.OUTGOING, TransferState.ACTIVE, 10 * MIB, ""), 1_000_000_000L);
        assertEquals(10.0 * MIB, item.bytesPerSecond(), 1);
        // Two reports reach the screen together: over the window it is still 10 MiB/s.
        item.update(transfer(Direction.OUTGOING, TransferState.ACTIVE, 20 * MIB, ""), 2_000_000_000L);
        item.update(transfer(Direction.OUTGOING, TransferState.ACTIVE, 22 * MIB, ""), 2_001_000_000L);
        assertEquals(22.0 * MIB / 2.001, item.bytesPerSecond(), 1);
        assertEquals((long) Math.ceil(78 * MIB / item.bytesPerSecond()), item.secondsLeft());
        // Old reports leave the window.
        item.update(transfer(Direction.OUTGOING, TransferState.ACTIVE, 30 * MIB, ""), 6_000_000_000L);
        assertEquals(8.0 * MIB / 3.999, item.bytesPerSecond(), 1);
        item.update(transfer(Direction.OUTGOING, TransferState.INTERRUPTED, 30 * MIB, ""), 7_000_000_000L);
        assertEquals(0, item.bytesPerSecond());
        assertEquals(-1, item.secondsLeft());
    }
}
