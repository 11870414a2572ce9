package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Modality;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import chat.pronto.model.Contact;
import chat.pronto.model.InviteLink;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.SafetyCode;
import chat.pronto.model.Status;
import chat.pronto.session.ChatEvent;
import chat.pronto.testing.FakeChatService;
import chat.pronto.threads.Threads;

/** Adding people by address or link, inviting, verifying keys: the real window over a chat service the test drives. */
@ExtendWith(ApplicationExtension.class)
class ReachAndTrustUiTest {
    private static final PeerId BOB = PeerId.of("bob@teaparty");
    private static final String BOB_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
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

    private void emit(ChatEvent event) {
        chat.emit(event);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static Contact bob(LinkSecurity link) {
        return FakeChatService.contact(BOB.name(), "Bob the Builder", Status.AVAILABLE, "reading", link);
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    // ---- add someone ---------------------------------------------------------------------------------

    @Test
    void aMalformedAddressShowsWhyAndCannotBeAdded(FxRobot robot) throws Exception {
        Visible.click(robot, "Nobody nearby? Add someone by address");
        robot.clickOn(Visible.node(robot, ".add-address")).write("laptop.local:99999");
        waitUntil(() -> robot.lookup(".field-problem").queryAs(Label.class).isVisible());
        assertEquals("The port must be between 1 and 65535, not 99999.", Visible.text(robot, ".field-problem"));
        assertTrue(onFx(() -> robot.lookup("Add").queryButton().isDisabled()), "Add is off while the address is wrong");

        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(chat.added.isEmpty(), "nothing was dialed");
    }

    @Test
    void aValidAddressIsDialedAndThePeersConversationOpens(FxRobot robot) throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        ExecutorService core = Threads.single("pronto-test-core");
        core.execute(() -> await(answer)); // the peer takes a while to answer
        chat.answerFrom = core;
        robot.interact(() -> window.openAddSomeone());
        robot.clickOn(Visible.node(robot, ".add-address")).write("192.168.1.20:5298");
        robot.clickOn("Add");

        waitUntil(() -> Visible.find(robot, ".add-progress").isPresent());
        assertEquals("Connecting to 192.168.1.20:5298…", Visible.text(robot, ".add-progress"));
        assertEquals(List.of("192.168.1.20:5298"), chat.added);
        answer.countDown();

        waitUntil(() -> robot.lookup(".add-someone").tryQuery().isEmpty());
        waitUntil(() -> Visible.find(robot, ".conversation-name").isPresent());
        assertEquals("bob@builder", Visible.text(robot, ".conversation-name"), "the peer that answered is open");
        Threads.shutdown(core, Duration.ofSeconds(2));
    }

    @Test
    void aFailureShowsItsMessageAndTheDialogStaysOpen(FxRobot robot) throws Exception {
        chat.reachable = null;
        robot.interact(() -> window.openAddSomeone());
        robot.clickOn(Visible.node(robot, ".add-address")).write("laptop.local");
        robot.clickOn("Add");

        waitUntil(() -> Visible.find(robot, ".add-progress.problem").isPresent());
        assertEquals("Could not add laptop.local: nobody answers at that address",
                Visible.text(robot, ".add-progress"));
        assertTrue(Visible.find(robot, ".add-someone").isPresent(), "still open, to correct and try again");
        assertFalse(onFx(() -> robot.lookup("Add").queryButton().isDisabled()), "and Add can be tried again");
        assertTrue(Visible.find(robot, ".conversation-name").isEmpty());
    }

    @Test
    void aPastedInviteLinkIsOpenedAndItsPeersConversationOpens(FxRobot robot) throws Exception {
        String link = new InviteLink(PeerId.of("carol@garden"), "ab".repeat(32), 5298, List.of("10.0.0.7")).format();
        robot.interact(() -> Clipboard.getSystemClipboard().setContent(
                java.util.Map.of(javafx.scene.input.DataFormat.PLAIN_TEXT, link)));
        robot.interact(() -> window.openAddSomeone());
        robot.clickOn(Visible.node(robot, ".add-address"));
        robot.press(KeyCode.CONTROL, KeyCode.V).release(KeyCode.V, KeyCode.CONTROL);
        waitUntil(() -> link.equals(((TextField) Visible.node(robot, ".add-address")).getText()));
        assertTrue(Visible.find(robot, ".field-problem").isEmpty(), "a whole link is fine");
        robot.clickOn("Add");

        waitUntil(() -> Visible.find(robot, ".conversation-name").isPresent());
        assertEquals(List.of(link), chat.added, "opened as an invite (the fake's openInvite records it)");
        assertEquals("carol@garden", Visible.text(robot, ".conversation-name"));
    }

    @Test
    void aLinkFromAnotherLaunchWaitsInTheDialogUntilTheUserAddsIt(FxRobot robot) throws Exception {
        String link = new InviteLink(PeerId.of("dave@cellar"), "cd".repeat(32), 5298, List.of("10.0.0.8")).format();
        robot.interact(() -> window.openAddSomeone(link));
        assertEquals(link, ((TextField) Visible.node(robot, ".add-address")).getText());
        assertTrue(chat.added.isEmpty(), "a clicked link adds nobody by itself");
        robot.clickOn("Add");
        waitUntil(() -> Visible.find(robot, ".conversation-name").isPresent());
        assertEquals(List.of(link), chat.added);
        assertEquals("dave@cellar", Visible.text(robot, ".conversation-name"));
    }

    @Test
    void aBrokenInviteLinkSaysWhatIsWrongWithIt(FxRobot robot) throws Exception {
        robot.interact(() -> window.openAddSomeone());
        robot.clickOn(Visible.node(robot, ".add-address")).write("xmpp:carol@garden");
        waitUntil(() -> Visible.find(robot, ".field-problem").isPresent());
        assertEquals("This xmpp: link is an address, not a Pronto invite (no ?pronto part).",
                Visible.text(robot, ".field-problem"));
    }

    // ---- invite ----------------------------------------------------------------------------------------

    @Test
    void theInviteShowsTheLinkAsTextAndAsAQrCodeAndCopiesIt(FxRobot robot) throws Exception {
        String link = chat.inviteLink().get().format();
        robot.interact(window::openInvite);
        waitUntil(() -> link.equals(((TextArea) Visible.node(robot, ".invite-link")).getText()));
        ImageView qr = (ImageView) Visible.node(robot, ".invite-qr");
        assertNotNull(qr.getImage());
        assertEquals(link, decode(qr.getImage()), "the QR code holds the link");
        assertTrue(onFx(() -> robot.lookup(".fingerprint").queryAs(Label.class).getText()).startsWith("0123 4567 89AB"));

        robot.clickOn("Copy link");
        waitUntil(() -> link.equals(Clipboard.getSystemClipboard().getString()));
    }

    /** Reads a QR code back with ZXing, as a phone would. */
    private static String decode(javafx.scene.image.Image image) throws Exception {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] pixels = new int[width * height];
        image.getPixelReader().getPixels(0, 0, width, height, javafx.scene.image.PixelFormat.getIntArgbInstance(),
                pixels, 0, width);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(width, height, pixels)))).getText();
    }

    // ---- verification --------------------------------------------------------------------------------

    @Test
    void theVerificationScreenShowsBothKeysAndTheSafetyNumberAndMarksTheKeyVerified(FxRobot robot) throws Exception {
        emit(new ChatEvent.ContactChanged(FakeChatService.withKey(bob(LinkSecurity.ENCRYPTED), BOB_KEY)));
        robot.interact(() -> window.open(BOB));
        Visible.click(robot, "Verify…");
        waitUntil(() -> Visible.find(robot, ".safety-grid").isPresent());

        List<String> keys = onFx(() -> robot.lookup(".verify .fingerprint").queryAll().stream()
                .map(node -> ((Label) node).getText()).toList());
        assertEquals(List.of("0123 4567 89AB CDEF 0123 4567 89AB CDEF\n0123 4567 89AB CDEF 0123 4567 89AB CDEF",
                "9F86 D081 884C 7D65 9A2F EAA0 C55A D015\nA3BF 4F1B 2B0B 822C D15D 6C15 B0F0 0A08"), keys);
        SafetyCode expected = SafetyCode.of(chat.ownKey, BOB_KEY);
        assertEquals(expected.digits(), Visible.text(robot, ".safety-digits"), "the digits Bob's screen shows too");
        assertEquals(expected.grid(), onFx(() -> robot.lookup(".safety-cell").queryAll().stream()
                .map(cell -> (Integer) cell.getUserData()).toList()), "and the same colours, row by row");
        assertTrue(onFx(() -> robot.lookup(".verify-qr").queryAs(ImageView.class).getImage() != null));
        assertTrue(onFx(() -> robot.lookup(".verify .dialog-explain").queryAs(Label.class).getText())
                .contains("Compare these with Bob the Builder in person or on a call"));

        robot.clickOn("Mark as verified");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> chat.verifications.size() == 1);
        assertEquals(List.of("bob@teaparty " + BOB_KEY), chat.verifications);
        waitUntil(() -> Visible.find(robot, ".unmark-verified").isPresent());
        robot.clickOn("Remove verification");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> chat.verifications.size() == 2);
        assertEquals("bob@teaparty -", chat.verifications.get(1));
    }

    @Test
    void withoutAPinnedKeyThereIsNothingToVerify(FxRobot robot) throws Exception {
        emit(new ChatEvent.ContactChanged(bob(LinkSecurity.NONE)));
        robot.interact(() -> window.open(BOB));
        Visible.click(robot, "Verify…");
        waitUntil(() -> Visible.find(robot, ".mark-verified").isPresent());
        WaitForAsyncUtils.waitForFxEvents();

        assertTrue(onFx(() -> robot.lookup(".mark-verified").queryButton().isDisabled()));
        assertTrue(onFx(() -> robot.lookup(".verify .fingerprint").queryAll().stream()
                .anyMatch(node -> ((Label) node).getText().startsWith("No key yet"))));
        assertTrue(Visible.find(robot, ".safety-cell").isEmpty(), "no safety code without their key");
    }

    @Test
    void aRowsContextMenuOpensTheVerificationScreen(FxRobot robot) throws Exception {
        emit(new ChatEvent.ContactChanged(FakeChatService.withKey(bob(LinkSecurity.ENCRYPTED), BOB_KEY)));
        // Headless Monocle sends no context-menu request for a right click: the row's menu item is fired.
        javafx.scene.control.MenuItem verify = onFx(() -> robot.lookup(".people .list-cell").queryAll().stream()
                .map(node -> (javafx.scene.control.ListCell<?>) node)
                .filter(cell -> cell.getItem() != null && cell.getContextMenu() != null)
                .findFirst().orElseThrow().getContextMenu().getItems().get(0));
        assertEquals("Verify key…", verify.getText());
        robot.interact(verify::fire);
        waitUntil(() -> Visible.find(robot, ".safety-digits").isPresent());
        assertEquals(SafetyCode.of(chat.ownKey, BOB_KEY).digits(), Visible.text(robot, ".safety-digits"));
    }

    // ---- verified, shown -----------------------------------------------------------------------------

    @Test
    void aVerifiedContactWearsTheShieldInTheListAndTheHeaderAndADirectOneSaysSo(FxRobot robot) throws Exception {
        emit(new ChatEvent.ContactChanged(FakeChatService.direct(FakeChatService.verified(
                FakeChatService.withKey(bob(LinkSecurity.ENCRYPTED), BOB_KEY), true))));
        emit(new ChatEvent.ContactChanged(FakeChatService.contact("carol@garden", "Carol", Status.AVAILABLE, "",
                LinkSecurity.ENCRYPTED)));

        // Among nodes on screen: the list's spare cells may still hold an old row.
        assertEquals(1, onFx(() -> robot.lookup(".key-verified").queryAll().stream().filter(Visible::onScreen).count()),
                "Bob's row only");
        assertEquals(1, onFx(() -> robot.lookup(".link-encrypted").queryAll().stream().filter(Visible::onScreen)
                .count()), "Carol's key is trusted on first use: the plain lock");
        assertTrue(Visible.find(robot, "bob@teaparty · by address · reading").isPresent());

        robot.interact(() -> window.open(BOB));
        waitUntil(() -> Visible.find(robot, ".verified-badge").isPresent());
        assertEquals("Verified", Visible.text(robot, ".verified-badge"));

        robot.interact(() -> window.open(PeerId.of("carol@garden")));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(Visible.find(robot, ".verified-badge").isEmpty(), "Carol is not verified");
    }

    @Test
    void aVerifiedKeyThatChangedBlocksInRedAndIsTrustedOnlyOnceCompared(FxRobot robot) throws Exception {
        emit(new ChatEvent.ContactChanged(FakeChatService.verified(bob(LinkSecurity.ENCRYPTED), true)));
        emit(new ChatEvent.KeyChanged(BOB, "AAAA BBBB", "CCCC DDDD", true));

        Node warning = Visible.node(robot, ".verified-key-changed");
        assertTrue(robot.lookup(".key-changed").tryQuery().isEmpty(), "not the first-use dialog");
        assertEquals(Modality.APPLICATION_MODAL, ((Stage) warning.getScene().getWindow()).getModality());
        String said = onFx(() -> robot.lookup(".verified-key-changed .danger-text").queryAs(Label.class).getText());
        assertTrue(said.contains("You had verified Bob the Builder") && said.contains("held back"), said);
        assertTrue(onFx(() -> robot.lookup("Trust the new key").queryButton().isDisabled()),
                "trusting needs the tick that says it was compared");

        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".verified-key-changed").tryQuery().isEmpty(), "Enter keeps refusing");
        assertTrue(chat.acceptedKeys.isEmpty());

        emit(new ChatEvent.KeyChanged(BOB, "AAAA BBBB", "EEEE FFFF", true));
        robot.clickOn(Visible.node(robot, ".compared-new-key"));
        robot.clickOn("Trust the new key");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !chat.acceptedKeys.isEmpty());
        assertEquals(List.of("bob@teaparty EEEE FFFF"), chat.acceptedKeys);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
