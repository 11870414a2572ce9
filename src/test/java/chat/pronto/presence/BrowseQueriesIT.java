package chat.pronto.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import chat.pronto.lab.NetnsLab;
import chat.pronto.lab.PresenceLabMain;
import chat.pronto.lab.ProntoProcess;
import chat.pronto.lab.ZeroconfPeer;

/**
 * Browsing as the link sees it (RFC 6762 §5.2, continuous querying): the interval between the first
 * two queries is at least one second, and each interval at least twice the one before. JmDNS asked
 * three times 225 ms apart; a host answering for thousands of peers built its whole answer three
 * times over, and 5,000 peers were listed about half a second later for it (issue 13). A listener
 * beside the link's other host tallies every packet; the only PTR questions host A sends are Pronto's
 * browse for {@code _presence._tcp}.
 */
class BrowseQueriesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** What the tally's clock may add to or take from one interval (it stamps packets as it reads them). */
    private static final long READ_JITTER_MS = 25;
    private NetnsLab lab;

    @BeforeEach
    void startLab() throws Exception {
        assumeTrue(NetnsLab.available(), "needs root to make network namespaces (CI runs as root)");
        assumeTrue(ZeroconfPeer.installed(), "needs python3-zeroconf (.ci/run installs it)");
        lab = NetnsLab.twoHosts();
    }

    @AfterEach
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void browsingAsksOnceThenOneSecondLaterThenTwoSecondsAfterThat() throws Exception {
        Path tallyLog = lab.host(1).directory().resolve("tally.log");
        ZeroconfPeer.tally(lab, lab.host(1), "tally.log");
        await().atMost(WAIT).until(() -> Files.exists(tallyLog) && Files.readString(tallyLog).contains("listening"));

        ProntoProcess.start(lab, lab.host(0), PresenceLabMain.class,
                List.of("alice@hosta", lab.host(0).address(), "5299", "Alice"));
        String pronto = lab.host(0).address();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> browseQueries(tallyLog, pronto).size() >= 3);

        List<Long> at = browseQueries(tallyLog, pronto);
        long first = at.get(1) - at.get(0);
        long second = at.get(2) - at.get(1);
        System.out.printf("browse queries %d ms and %d ms apart%n", first, second);
        assertTrue(first >= 1000 - READ_JITTER_MS, "the first two queries only " + first + " ms apart: " + at);
        assertTrue(second >= 2 * 1000 - READ_JITTER_MS, "the third query only " + second + " ms after the second: " + at);
    }

    /** When each query with a PTR question from {@code sender} was heard, in order. */
    private static List<Long> browseQueries(Path tallyLog, String sender) throws IOException {
        return Files.readAllLines(tallyLog).stream()
                .map(line -> line.split(" "))
                .filter(words -> words.length > 3 && words[1].equals("q") && words[2].equals(sender)
                        && List.of(words).subList(3, words.length).stream().anyMatch(word -> word.matches("qptr=[1-9]\\d*")))
                .map(words -> Long.parseLong(words[0]))
                .toList();
    }
}
