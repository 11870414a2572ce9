package chat.pronto.ui.chat;

import java.util.ArrayDeque;
import java.util.Deque;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;

/**
 * A file transfer on screen: the latest state from the service, and the speed worked out from the
 * progress it reports over the last few seconds (reports can reach the screen in bursts: a speed from
 * two of them alone would jump about, and with it the time left). FX thread only.
 */
public final class TransferItem {
    /** The speed is the bytes moved over this window. */
    static final long WINDOW_NANOS = 3_000_000_000L;
    /** Shorter than this, there is no speed yet. */
    static final long SHORTEST_NANOS = 500_000_000L;

    private record Sample(long nanos, long done) {
    }

    private final ObjectProperty<Transfer> transfer = new SimpleObjectProperty<>();
    private final Deque<Sample> samples = new ArrayDeque<>();

    TransferItem(Transfer first) {
        transfer.set(first);
    }

    /** Takes the service's news; {@code nanos} is when it came (System.nanoTime, or a test's clock). */
    void update(Transfer next, long nanos) {
        if (next.state() == TransferState.ACTIVE) {
            if (!samples.isEmpty() && next.done() < samples.peekLast().done()) {
                samples.clear(); // a new attempt started lower (a resume from an earlier point)
            }
            samples.addLast(new Sample(nanos, next.done()));
            while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > WINDOW_NANOS) {
                samples.removeFirst();
            }
        } else {
            samples.clear();
        }
        transfer.set(next);
    }

    public Transfer transfer() {
        return transfer.get();
    }

    public ObjectProperty<Transfer> transferProperty() {
        return transfer;
    }

    /** Bytes a second over the last few seconds; 0 when not moving or not known yet. */
    public double bytesPerSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long span = last.nanos() - first.nanos();
        return span < SHORTEST_NANOS ? 0 : (last.done() - first.done()) * 1e9 / span;
    }

    /** Seconds left at the current speed; -1 when unknown. */
    public long secondsLeft() {
        Transfer now = transfer.get();
        double speed = bytesPerSecond();
        if (speed <= 0 || now.state() != TransferState.ACTIVE) {
            return -1;
        }
        return (long) Math.ceil((now.size() - now.done()) / speed);
    }
}
