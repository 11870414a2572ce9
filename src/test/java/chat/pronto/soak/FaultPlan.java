package chat.pronto.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The chaos, decided up front from the seed: which faults, in which order, at which moments of the
 * typing, and their details (which end of the link, how long it stays down, how long a killed process
 * stays dead, how long the conversation goes on after the last recovery). The kinds take turns in a
 * shuffled order, so a few faults already hold every kind.
 */
final class FaultPlan {
    enum Kind {
        /** {@code kill -9} of side a's process, then a restart on its data folder. */
        KILL_A,
        /** {@code kill -9} of side b's process, then a restart on its data folder. */
        KILL_B,
        /** One end of the veth down for a while, then up again. */
        LINK_DOWN_UP,
        /** Both told to {@code quit} at once (the ordinary way out), then both started again. */
        RESTART_BOTH
    }

    /**
     * @param at      when, after the start, it should begin (later if the fault before still runs)
     * @param sideA   for a link fault: side a's end (else side b's)
     * @param lasting how long the link stays down, or a killed process stays dead
     * @param settle  how long the conversation goes on, at least, between recovering from the fault
     *                before and this one (so that messages are on their way when it hits)
     */
    record Fault(Kind kind, Duration at, boolean sideA, Duration lasting, Duration settle) {
    }

    private FaultPlan() {
    }

    static List<Fault> make(SoakSettings settings, Random random) {
        List<Kind> kinds = new ArrayList<>();
        while (kinds.size() < settings.faults()) {
            List<Kind> round = new ArrayList<>(List.of(Kind.values()));
            Collections.shuffle(round, random);
            kinds.addAll(round);
        }
        long typing = settings.typingTime().toMillis();
        List<Duration> moments = new ArrayList<>();
        for (int i = 0; i < settings.faults(); i++) {
            moments.add(Duration.ofMillis(Math.round(typing * (0.05 + 0.9 * random.nextDouble()))));
        }
        moments.sort(Comparator.naturalOrder());
        List<Fault> plan = new ArrayList<>();
        for (int i = 0; i < settings.faults(); i++) {
            Kind kind = kinds.get(i);
            Duration lasting = kind == Kind.LINK_DOWN_UP
                    ? Duration.ofMillis(500 + random.nextInt(5500))
                    : Duration.ofMillis(random.nextInt(1500));
            plan.add(new Fault(kind, moments.get(i), random.nextBoolean(), lasting,
                    Duration.ofMillis(300 + random.nextInt(1500))));
        }
        return plan;
    }
}
