package chat.pronto.soak;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The end's bounded wait for both outboxes to drain: until every message the senders said they
 * stored is DELIVERED; or until nothing moved at all for the stall time while nothing waits in a
 * queue (what is left was sent and waits for a receipt that is not coming), and the wait itself has
 * lasted that long (processes just restarted get their chance); or the bound.
 */
final class OutboxDrain {
    private OutboxDrain() {
    }

    /** Waits, and says how the wait ended, for the report. */
    static String awaitDrained(List<DirectionLedger> ledgers, SoakSettings settings) {
        long begin = System.nanoTime();
        try {
            await().atMost(settings.drain()).pollInterval(Duration.ofMillis(100))
                    .until(() -> allDelivered(ledgers) || stalled(ledgers, settings.stall())
                            && System.nanoTime() - begin >= settings.stall().toNanos());
        } catch (ConditionTimeoutException bound) {
            return "gave up at the " + settings.drain().toSeconds() + " s bound; still not delivered: " + left(ledgers);
        }
        String after = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - begin) / 1e9);
        if (allDelivered(ledgers)) {
            return "every message the senders said they stored was delivered, " + after + " after the wait began";
        }
        return "gave up after " + after + ": nothing moved for " + settings.stall().toSeconds()
                + " s and nothing was queued; still not delivered: " + left(ledgers);
    }

    private static boolean allDelivered(List<DirectionLedger> ledgers) {
        return ledgers.stream().allMatch(DirectionLedger::allDelivered);
    }

    private static boolean stalled(List<DirectionLedger> ledgers, Duration stall) {
        return ledgers.stream().allMatch(ledger -> ledger.sinceLastMove().compareTo(stall) >= 0
                && !ledger.undelivered().containsKey("queued"));
    }

    private static String left(List<DirectionLedger> ledgers) {
        StringBuilder left = new StringBuilder();
        for (DirectionLedger ledger : ledgers) {
            left.append(left.isEmpty() ? "" : ", ").append(ledger.way()).append(' ').append(ledger.undelivered());
        }
        return left.toString();
    }
}
