package chat.pronto.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads what the firewalls say, where they let themselves be read (ufw and nftables need root;
 * firewalld answers anyone): whether one is active, and a rule that drops mDNS (UDP 5353). Each
 * command is bounded by a few seconds and never fails the diagnosis; one that is not installed is
 * skipped.
 */
final class FirewallProbe {
    private static final long TIMEOUT_SECONDS = 3;
    private static final int MAX_OUTPUT = 256 * 1024;

    /** What one firewall said. */
    record Reading(String firewall, String summary, boolean active, Optional<String> dropsMdns) {
    }

    /** Runs a command and gives its output; empty when it is not installed, failed to run, or took too long. */
    interface Runner {
        Optional<Result> run(List<String> command);
    }

    record Result(int exit, String output) {
    }

    private final Runner runner;

    FirewallProbe(Runner runner) {
        this.runner = runner;
    }

    static FirewallProbe system() {
        return new FirewallProbe(FirewallProbe::runForReal);
    }

    List<Reading> read() {
        List<Reading> readings = new ArrayList<>();
        runner.run(List.of("ufw", "status")).map(FirewallProbe::ufw).ifPresent(readings::add);
        runner.run(List.of("firewall-cmd", "--state")).flatMap(this::firewalld).ifPresent(readings::add);
        runner.run(List.of("nft", "list", "ruleset")).map(FirewallProbe::nftables).ifPresent(readings::add);
        return readings;
    }

    static Reading ufw(Result result) {
        String output = result.output();
        if (result.exit() != 0 || !output.contains("Status:")) {
            return new Reading("ufw", "cannot be read (" + firstLine(output) + ")", false, Optional.empty());
        }
        boolean active = output.contains("Status: active");
        boolean allowsMdns = output.lines().anyMatch(line -> (line.contains("5353") || line.toLowerCase(Locale.ROOT)
                .contains("mdns")) && line.contains("ALLOW"));
        Optional<String> drops = output.lines().filter(line -> line.contains("5353")
                && (line.contains("DENY") || line.contains("REJECT"))).findFirst().map(String::strip);
        return new Reading("ufw", active ? "active" + (allowsMdns ? ", mDNS allowed" : ", no rule allows mDNS (UDP 5353)")
                : "inactive", active, drops);
    }

    private Optional<Reading> firewalld(Result state) {
        if (!state.output().strip().equals("running")) {
            return Optional.of(new Reading("firewalld", firstLine(state.output()), false, Optional.empty()));
        }
        boolean mdns = runner.run(List.of("firewall-cmd", "--list-services"))
                .map(services -> List.of(services.output().strip().split("\\s+")).contains("mdns")).orElse(false);
        return Optional.of(new Reading("firewalld", "running" + (mdns ? ", mDNS allowed"
                : ", the mdns service is not allowed in the default zone"), true, Optional.empty()));
    }

    static Reading nftables(Result result) {
        if (result.exit() != 0) {
            return new Reading("nftables", "cannot be read (" + firstLine(result.output()) + ")", false,
                    Optional.empty());
        }
        String rules = result.output();
        boolean active = rules.lines().anyMatch(line -> line.contains("hook input"));
        Optional<String> drops = rules.lines().map(String::strip)
                .filter(line -> line.contains("5353") && (line.contains("drop") || line.contains("reject")))
                .findFirst();
        long chains = rules.lines().filter(line -> line.contains("hook input")).count();
        return new Reading("nftables", active ? chains + " input chain" + (chains == 1 ? "" : "s") : "no input rules",
                active, drops);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("no output").strip();
    }

    /** Output goes to a temporary file: a command that hangs cannot block us reading a pipe. */
    private static Optional<Result> runForReal(List<String> command) {
        java.nio.file.Path output;
        try {
            output = java.nio.file.Files.createTempFile("pronto-firewall-", ".txt");
        } catch (IOException e) {
            return Optional.empty();
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("LC_ALL", "C");
        Process process = null;
        try {
            process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
            byte[] bytes;
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(output)) {
                bytes = in.readNBytes(MAX_OUTPUT);
            }
            return Optional.of(new Result(process.exitValue(), new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException notInstalled) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            try {
                java.nio.file.Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // A temporary file left behind; the system's cleaning takes it.
            }
        }
    }
}
