package chat.pronto.ui.chat;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;

/**
 * A file transfer on screen: the latest state from the service, and the speed worked out from the
 * progress it reports (smoothed, so the "time left" does not jump about). FX thread only.
 */
public final class TransferItem {
    /** Weight of the newest sample in the moving average of the speed. */
    private static final double SMOOTHING = 0.3;

    private final ObjectProperty<Transfer> transfer = new SimpleObjectProperty<>();
    private double bytesPerSecond;
    private long lastDone = -1;
    private long lastNanos;

    TransferItem(Transfer first) {
        transfer.set(first);
    }

    /** Takes the service's news; {@code nanos} is when it came (System.nanoTime, or a test's clock). */
    void update(Transfer next, long nanos) {
        Transfer before = transfer.get();
        if (next.state() == TransferState.ACTIVE && before.state() == TransferState.ACTIVE && lastDone >= 0
                && nanos > lastNanos && next.done() >= lastDone) {
            double sample = (next.done() - lastDone) * 1e9 / (nanos - lastNanos);
            bytesPerSecond = bytesPerSecond == 0 ? sample : SMOOTHING * sample + (1 - SMOOTHING) * bytesPerSecond;
        } else if (next.state() != TransferState.ACTIVE) {
            bytesPerSecond = 0;
        }
        lastDone = next.done();
        lastNanos = nanos;
        transfer.set(next);
    }

    public Transfer transfer() {
        return transfer.get();
    }

    public ObjectProperty<Transfer> transferProperty() {
        return transfer;
    }

    /** Bytes a second lately; 0 when not moving or not known yet. */
    public double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Seconds left at the current speed; -1 when unknown. */
    public long secondsLeft() {
        Transfer now = transfer.get();
        if (bytesPerSecond <= 0 || now.state() != TransferState.ACTIVE) {
            return -1;
        }
        return (long) Math.ceil((now.size() - now.done()) / bytesPerSecond);
    }
}
