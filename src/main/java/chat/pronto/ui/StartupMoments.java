package chat.pronto.ui;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The moments of a start that decide when the first frame comes (the toolkit up, the core made, the
 * window built), noted as they pass so that a start-up report can say which one the window waited for.
 * Noting costs a clock read; nothing is printed here.
 */
public final class StartupMoments {
    /** A moment and when it passed ({@link System#currentTimeMillis}). */
    public record Moment(String name, long epochMillis) {
    }

    private static final ConcurrentLinkedQueue<Moment> MOMENTS = new ConcurrentLinkedQueue<>();

    private StartupMoments() {
    }

    /** Notes that {@code name} passed now. */
    public static void note(String name) {
        MOMENTS.add(new Moment(name, System.currentTimeMillis()));
    }

    /** The moments noted so far, in the order they were noted. */
    public static List<Moment> all() {
        return List.copyOf(MOMENTS);
    }
}
