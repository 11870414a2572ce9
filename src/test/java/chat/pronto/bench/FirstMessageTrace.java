package chat.pronto.bench;

import java.util.List;

/**
 * Looks into the first message to a peer with no stream, between two Pronto processes: prints both
 * consoles' lines timed from typing, and the moment each sample starts, to match with recordings of
 * the processes. Usage, e.g. with JFR in both:
 * {@code BENCH_JAVA_OPTIONS="-Dpronto.lab.javaOptions=-XX:StartFlightRecording:filename=/tmp/fm/" .bench/main chat.pronto.bench.FirstMessageTrace 25}.
 * With {@code -Dpronto.bench.tail=true} both consoles also print every stream's raw XML ({@code tail on}),
 * each stanza timed as it comes: where the stream's set-up spends its time, step by step.
 */
public final class FirstMessageTrace {
    public static void main(String[] args) throws Exception {
        try (ProntoPath path = ProntoPath.create()) {
            path.trace(Integer.parseInt(args[0]));
        }
    }
}
