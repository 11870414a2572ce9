package chat.pronto.soak;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeoutException;

/**
 * Types one way's numbered messages into whichever process of the sending side is alive, each
 * exactly once, in bursts of random size at an average rate: a person who keeps typing while the
 * program crashes and comes back. A message typed into a process that dies before it answers is
 * not typed again (the count then finds whether that process had stored it).
 */
final class Typist implements Runnable {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final SoakSide side;
    private final String way;
    private final SoakSettings settings;
    private final Random random;
    private final DirectionLedger ledger;
    private final SoakClock clock;
    private final Timeline timeline;
    private final Duration origin;
    private volatile Exception failure;

    /** {@code origin}: when typing begins, on the soak's clock. */
    Typist(SoakSide side, String way, SoakSettings settings, Random random, DirectionLedger ledger, SoakClock clock,
           Timeline timeline, Duration origin) {
        this.side = side;
        this.way = way;
        this.settings = settings;
        this.random = random;
        this.ledger = ledger;
        this.clock = clock;
        this.timeline = timeline;
        this.origin = origin;
    }

    @Override
    public void run() {
        double at = 0;
        int sequence = 1;
        int tenth = Math.max(1, settings.messages() / 10);
        try {
            while (sequence <= settings.messages()) {
                int burst = 1 + random.nextInt(2 * settings.burst() - 1);
                clock.sleepUntil(origin.plusMillis(Math.round(at * 1000)));
                for (int i = 0; i < burst && sequence <= settings.messages(); i++, sequence++) {
                    int generation = side.type(sequence, new MessageText(way, sequence).text(), PATIENCE);
                    ledger.typed(sequence, generation);
                    if (sequence % tenth == 0) {
                        timeline.note(way + ": " + sequence + " typed");
                    }
                }
                at += burst / settings.rate();
            }
        } catch (InterruptedException e) {
            failure = e;
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            failure = e;
            timeline.note(way + ": typing stopped at #" + sequence + ": " + e.getMessage());
        }
    }

    /** Why typing stopped before the last message, or null. */
    Exception failure() {
        return failure;
    }
}
