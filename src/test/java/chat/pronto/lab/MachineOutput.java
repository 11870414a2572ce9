package chat.pronto.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.awaitility.core.ConditionTimeoutException;

/** What a Pronto process started with {@code --console --machine} printed: tab-separated lines, awaited. */
public final class MachineOutput {
    private MachineOutput() {
    }

    /** Every line so far, split at its tabs. */
    public static List<String[]> fields(ProntoProcess pronto) throws IOException {
        return pronto.lines().stream().map(line -> line.split("\t", -1)).toList();
    }

    /** The first line {@code wanted} takes, waited for up to {@code wait}; the failure shows all it printed. */
    public static String[] awaitLine(ProntoProcess pronto, Duration wait, String what, Predicate<String[]> wanted,
                                     Object lab) throws IOException {
        try {
            return await().atMost(wait).until(() -> fields(pronto).stream().filter(wanted).findFirst(),
                    Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("never: " + what + "; it printed:\n" + pronto.output() + "\n(lab files in " + lab
                    + ")", e);
        }
    }

    /** A {@code contact} line about {@code peer} (eight fields: … link, key, how it was found). */
    public static boolean isContact(String[] line, String peer) {
        return line.length == 8 && line[0].equals("contact") && line[1].equals(peer);
    }
}
