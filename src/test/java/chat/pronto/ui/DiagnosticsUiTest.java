package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import chat.pronto.model.InterfaceCheck;
import chat.pronto.model.NetworkCheck;
import chat.pronto.model.NetworkCheck.Cause;
import chat.pronto.model.NetworkCheck.Finding;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.testing.FakeChatService;
import chat.pronto.threads.Threads;
import chat.pronto.words.DiagnosisText;

/** "Network diagnostics…": the real window over a chat service whose diagnosis the test writes. */
@ExtendWith(ApplicationExtension.class)
class DiagnosticsUiTest {
    private static final Finding BLOCKED = Finding.of(Cause.MDNS_BLOCKED_HERE, "eth0", 30);
    private static final Finding DROPS = Finding.of(Cause.FIREWALL_DROPS_MDNS, "nftables",
            "table inet filter chain input: udp dport 5353 drop");
    private final WindowOverFake fixture = new WindowOverFake();
    private final FakeChatService chat = fixture.chat;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = fixture.show(stage);
    }

    @AfterEach
    void closeDialogs(FxRobot robot) {
        fixture.closeDialogsAndStop(robot);
    }

    /** mDNS dropped on this computer by an nftables rule; docker0 left alone. */
    static NetworkCheck blockedByTheFirewall() {
        return new NetworkCheck(Instant.parse("2024-05-01T10:15:30Z"), PeerId.of("alice@wonderland"), 5298,
                List.of(new InterfaceCheck("eth0", List.of("192.168.1.12", "fe80::1"), "", 0, 0, 0, 30, true, ""),
                        new InterfaceCheck("docker0", List.of("172.17.0.1"),
                                "leads to containers, virtual machines or a VPN", 0, 0, 0, 0, null, "")),
                List.of(BLOCKED, DROPS), List.of("nftables: table inet filter chain input: udp dport 5353 drop"),
                List.of(Problem.of(Problem.Kind.NO_PEERS_SEEN, "192.168.1.12", 30)), 0, 0);
    }

    private static NetworkCheck peersSeen() {
        return new NetworkCheck(Instant.parse("2024-05-01T10:16:00Z"), PeerId.of("alice@wonderland"), 5298,
                List.of(new InterfaceCheck("eth0", List.of("192.168.1.12"), "", 9, 14, 2, 60, true, "")),
                List.of(Finding.of(Cause.PEERS_SEEN, 2, 0)), List.of(), List.of(), 2, 0);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    private static List<String> texts(FxRobot robot, String query) throws Exception {
        return onFx(() -> robot.lookup(query).queryAll().stream().filter(Visible::onScreen)
                .map(node -> node instanceof TextField field ? field.getText() : ((Label) node).getText()).toList());
    }

    private static boolean disabled(FxRobot robot, String query) throws Exception {
        return onFx(() -> Visible.node(robot, query).isDisabled());
    }

    @Test
    void theEmptyListsLinkShowsTheLikelyCausesFirstAndEachInterface(FxRobot robot) throws Exception {
        chat.networkCheck = blockedByTheFirewall();
        Visible.click(robot, "Why does nobody show up?");
        waitUntil(() -> Visible.find(robot, ".finding").isPresent());

        assertEquals(List.of(DiagnosisText.of(BLOCKED), DiagnosisText.of(DROPS)), texts(robot, ".finding-text"));
        assertEquals(2, onFx(() -> robot.lookup(".finding-problem").queryAll().size()), "both warn");
        assertEquals(List.of("eth0", "docker0"), texts(robot, ".interface-name"));
        assertEquals(List.of("192.168.1.12  fe80::1", "172.17.0.1"), texts(robot, ".interface-addresses"));
        assertEquals(List.of("in use", "not used"), texts(robot, ".interface-state"));
        assertEquals(List.of("Not used: leads to containers, virtual machines or a VPN"),
                texts(robot, ".interface-why"));
        assertEquals(List.of("own packets seen back: 0", "from others: 0"), texts(robot, ".fact-bad"),
                "the counts that point at the cause are marked");
        assertTrue(texts(robot, ".interface-fact").contains("chat port answers"));
        assertEquals(List.of("nftables: table inet filter chain input: udp dport 5353 drop"),
                texts(robot, ".firewall-line"));
        assertTrue(texts(robot, ".recent-problem").get(0).startsWith("Nobody seen on 192.168.1.12 for 30 s."));
        assertFalse(onFx(() -> ((TextField) Visible.node(robot, ".firewall-line")).isEditable()),
                "a line to select and copy, not to edit");
    }

    @Test
    void whileLookingItSaysSoAndRunAgainWaits(FxRobot robot) throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        ExecutorService core = Threads.single("pronto-test-core");
        core.execute(() -> await(answer)); // the check takes a while, as the real one does
        chat.answerFrom = core;
        chat.networkCheck = blockedByTheFirewall();
        robot.interact(window::openDiagnostics);

        waitUntil(() -> Visible.find(robot, ".diagnostics-running").isPresent());
        assertEquals("Looking at the network…", Visible.text(robot, ".diagnostics-looking"));
        assertTrue(Visible.find(robot, ".diagnostics-running .progress-indicator").isPresent());
        assertTrue(disabled(robot, ".run-again") && disabled(robot, ".copy-report"), "nothing to copy yet");

        answer.countDown();
        waitUntil(() -> Visible.find(robot, ".finding").isPresent());
        assertTrue(Visible.find(robot, ".diagnostics-running").isEmpty());
        assertFalse(disabled(robot, ".run-again") || disabled(robot, ".copy-report"));
        Threads.shutdown(core, Duration.ofSeconds(2));
    }

    @Test
    void runAgainAsksTheNetworkAgainAndShowsTheNewAnswer(FxRobot robot) throws Exception {
        chat.networkCheck = blockedByTheFirewall();
        robot.interact(window::openDiagnostics);
        waitUntil(() -> Visible.find(robot, ".finding-problem").isPresent());
        assertEquals(1, chat.diagnoses.get());

        chat.networkCheck = peersSeen();
        Visible.click(robot, ".run-again");
        waitUntil(() -> Visible.find(robot, ".finding-ok").isPresent());
        assertEquals(2, chat.diagnoses.get());
        assertEquals(List.of("2 people seen on the network: discovery works."), texts(robot, ".finding-text"));
        assertTrue(Visible.find(robot, ".finding-ok .icon-ok").isPresent(), "a green check, not a warning");
        assertTrue(Visible.find(robot, ".diagnostics").isPresent(), "Run again keeps the dialog open");
    }

    @Test
    void copyPutsTheWholeReportOnTheClipboardAsText(FxRobot robot) throws Exception {
        NetworkCheck check = blockedByTheFirewall();
        chat.networkCheck = check;
        robot.interact(() -> Clipboard.getSystemClipboard().clear());
        robot.interact(window::openDiagnostics);
        waitUntil(() -> Visible.find(robot, ".finding").isPresent());

        Visible.click(robot, ".copy-report");
        waitUntil(() -> DiagnosisText.of(check).equals(Clipboard.getSystemClipboard().getString()));
        waitUntil(() -> Visible.find(robot, ".diagnostics-note").isPresent());
        assertTrue(Visible.text(robot, ".diagnostics-note").startsWith("Copied"));
        assertTrue(Visible.find(robot, ".diagnostics").isPresent(), "Copy keeps the dialog open");
    }

    @Test
    void aFailedDiagnosisSaysWhyAndCanBeRunAgain(FxRobot robot) throws Exception {
        chat.networkCheck = null;
        robot.interact(window::openDiagnostics);
        waitUntil(() -> Visible.find(robot, ".diagnostics-failed").isPresent());

        assertEquals("Could not look at the network: no diagnosis in this fake",
                Visible.text(robot, ".diagnostics-failed"));
        assertTrue(disabled(robot, ".copy-report"), "no report to copy");
        assertFalse(disabled(robot, ".run-again"));

        chat.networkCheck = peersSeen();
        Visible.click(robot, ".run-again");
        waitUntil(() -> Visible.find(robot, ".finding-ok").isPresent());
        assertTrue(Visible.find(robot, ".diagnostics-failed").isEmpty());
    }

    @Test
    void theAppMenuOpensTheDiagnostics(FxRobot robot) throws Exception {
        chat.networkCheck = peersSeen();
        MenuItem item = onFx(() -> ((MenuButton) Visible.node(robot, ".app-menu")).getItems().stream()
                .filter(entry -> "Network diagnostics…".equals(entry.getText())).findFirst().orElseThrow());
        robot.interact(item::fire);
        waitUntil(() -> Visible.find(robot, ".finding-ok").isPresent());
        Node dialog = Visible.node(robot, ".diagnostics");
        assertEquals("Network diagnostics", onFx(() -> ((Stage) dialog.getScene().getWindow()).getTitle()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
