package chat.pronto.lab;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What a {@link PresenceLabMain} says about its own name: the name it advertises on each of its responders. */
public final class Names {
    private Names() {
    }

    /** Asks the process ({@code names}) and returns the distinct names its responders advertise, with its own view first. */
    public static List<String> advertised(ProntoProcess pronto) throws Exception {
        long before = pronto.lines().stream().filter(line -> line.contains(" names ")).count();
        pronto.tell("names");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> pronto.lines().stream().filter(line -> line.contains(" names ")).count() > before);
        String line = pronto.lines().stream().filter(found -> found.contains(" names ")).reduce((a, b) -> b).orElseThrow();
        // "<millis> names SELF {address=name, address=name}"
        String[] parts = line.split(" ", 4);
        Set<String> perResponder = Arrays.stream(parts[3].replaceAll("[{}]", "").split(", "))
                .map(entry -> entry.substring(entry.lastIndexOf('=') + 1)).collect(Collectors.toSet());
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(parts[2]), perResponder.stream()).distinct().toList();
    }

    /** How often the process said it renamed itself. */
    public static long renames(ProntoProcess pronto) throws Exception {
        return pronto.lines().stream().filter(line -> line.contains(" renamed ")).count();
    }
}
