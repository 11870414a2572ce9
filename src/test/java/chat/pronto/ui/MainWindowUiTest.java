package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.session.ChatEvent;
import chat.pronto.settings.Preferences;
import chat.pronto.testing.FakeChatService;
import chat.pronto.threads.Threads;
import chat.pronto.ui.common.FxEvents;
import chat.pronto.ui.common.Notifier;
import chat.pronto.ui.roster.ContactItem;
import chat.pronto.ui.settings.UiSettings;

/** The real main window (headless, Monocle) over a chat service the test drives. */
@ExtendWith(ApplicationExtension.class)
class MainWindowUiTest {
    private static final PeerId BOB = PeerId.of("bob@teaparty");
    private final FakeChatService chat = new FakeChatService();
    @TempDir
    Path data;
    private UiSettings settings;
    private Preferences preferences;
    /** Notifications the window asked for: title, text, and what a click does. */
    private final java.util.List<String> notifications = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Runnable> clicks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService background = Threads.pool("pronto-ui-background", 2);
    private Stage stage;
    private MainWindow mainWindow;

    @Start
    void start(Stage window) {
        stage = window;
        settings = UiSettings.load(data.resolve("ui.properties"));
        preferences = Preferences.load(data);
        FxEvents events = new FxEvents(Platform::runLater);
        chat.addListener(events);
        mainWindow = new MainWindow(chat, events, Platform::runLater, background, settings, preferences,
                (title, text, onClick) -> {
                    notifications.add(title + ": " + text);
                    clicks.add(onClick);
                });
        mainWindow.attach(window);
        window.show();
    }

    @AfterEach
    void stopBackground() {
        Threads.shutdown(background, Duration.ofSeconds(2));
    }

    private void emit(ChatEvent event) throws Exception {
        chat.emit(event);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void bobAppears() throws Exception {
        emit(new ChatEvent.ContactChanged(FakeChatService.contact("bob@teaparty", "Bob the Builder", Status.AVAILABLE,
                "reading", LinkSecurity.ENCRYPTED)));
    }

    @Test
    void aPeerAppearsChangesAndGoesOffline(FxRobot robot) throws Exception {
        bobAppears();
        assertTrue(robot.lookup("Bob the Builder").tryQuery().isPresent());
        assertTrue(robot.lookup("bob@teaparty · reading").tryQuery().isPresent());
        assertTrue(robot.lookup(".status-avail").tryQuery().isPresent());

        emit(new ChatEvent.ContactChanged(FakeChatService.contact("bob@teaparty", "Bob the Builder", Status.AWAY,
                "at lunch", LinkSecurity.NONE)));
        assertTrue(robot.lookup("bob@teaparty · at lunch").tryQuery().isPresent());
        assertTrue(robot.lookup(".status-away").tryQuery().isPresent());

        emit(new ChatEvent.ContactGone(BOB));
        assertTrue(robot.lookup(".status-offline").tryQuery().isPresent());
    }

    /** Someone else taking Bob's nick and putting Bob's address in their status message. */
    @Test
    void aLookAlikeCannotHideItsOwnAddressAndItsKeyShowsAsNew(FxRobot robot) throws Exception {
        bobAppears();
        emit(new ChatEvent.ContactChanged(FakeChatService.withNewKey(FakeChatService.contact("mallory@hostm",
                "Bob the Builder", Status.AVAILABLE, "bob@teaparty · reading", LinkSecurity.ENCRYPTED))));

        assertTrue(robot.lookup("mallory@hostm · bob@teaparty · reading").tryQuery().isPresent(),
                "the instance name, which nobody else can hold, comes first on the line");
        assertEquals(1, robot.lookup(".key-new").queryAll().size(), "only the look-alike's key is new");
    }

    @Test
    void aDamagedSettingsFileIsShownWhenTheWindowOpens(FxRobot robot, @TempDir Path damaged) throws Exception {
        Files.writeString(damaged.resolve("settings.properties"), "require.encryption=maybe\n");
        Preferences read = Preferences.load(damaged);
        AtomicReference<Stage> opened = new AtomicReference<>();
        robot.interact(() -> {
            Stage second = new Stage();
            opened.set(second);
            new MainWindow(new FakeChatService(), new FxEvents(Platform::runLater), Platform::runLater, background,
                    UiSettings.load(damaged.resolve("ui.properties")), read, (title, text, onClick) -> { })
                    .attach(second);
            second.show();
        });
        assertTrue(robot.lookup(".notice").queryAll().stream().map(node -> ((Label) node).getText())
                .anyMatch(text -> text.contains("settings file") && text.contains("requires encryption")));
        robot.interact(() -> opened.get().close());
    }

    /** The network starts after the window opened (issue 13): a name it finds taken shows where our own name is. */
    @Test
    void aNameTakenOnTheLinkReplacesOurOwnNameAtTheTop(FxRobot robot) throws Exception {
        assertEquals("alice@wonderland", robot.lookup(".me-address").queryAs(Label.class).getText());
        emit(new ChatEvent.Renamed(PeerId.of("alice-1@wonderland")));
        assertEquals("alice-1@wonderland", robot.lookup(".me-address").queryAs(Label.class).getText());
    }

    /** What start-up measurements and the start of the network wait for: told once, after the window is up. */
    @Test
    void theFirstPaintedFrameWithThePeopleListIsToldOnce(FxRobot robot) throws Exception {
        AtomicReference<Stage> opened = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean showingWhenTold = new AtomicBoolean();
        CountDownLatch painted = new CountDownLatch(1);
        robot.interact(() -> {
            Stage second = new Stage();
            opened.set(second);
            MainWindow window = new MainWindow(new FakeChatService(), new FxEvents(Platform::runLater),
                    Platform::runLater, background, UiSettings.load(null), Preferences.inMemory(), Notifier.NONE);
            window.attach(second);
            window.whenFirstPainted(() -> {
                told.incrementAndGet();
                showingWhenTold.set(second.isShowing() && Platform.isFxApplicationThread());
                painted.countDown();
            });
            second.show();
        });
        assertTrue(painted.await(10, TimeUnit.SECONDS), "the first frame was told");
        assertTrue(showingWhenTold.get(), "told on the FX thread, with the window showing");
        robot.interact(() -> opened.get().setWidth(opened.get().getWidth() + 10)); // more frames: nothing more is told
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, told.get());
        robot.interact(() -> opened.get().close());
    }

    @Test
    void sendingAMessageShowsItAndItsDeliveryMarkChanges(FxRobot robot) throws Exception {
        bobAppears();
        Visible.click(robot, "Bob the Builder");
        WaitForAsyncUtils.waitForFxEvents();
        robot.write("Hello Bob").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> chat.sent.size() == 1);
        assertEquals("Hello Bob", chat.sent.get(0).body());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".delivery-queued").tryQuery().isPresent());

        emit(new ChatEvent.MessageUpdated(chat.sent.get(0).withState(DeliveryState.SENT, null)));
        assertTrue(robot.lookup(".delivery-sent").tryQuery().isPresent());
        emit(new ChatEvent.MessageUpdated(chat.sent.get(0).withState(DeliveryState.DELIVERED, null)));
        assertTrue(robot.lookup(".delivery-delivered").tryQuery().isPresent());
        assertTrue(robot.lookup("Encrypted").tryQuery().isPresent(), "the header says the stream is encrypted");
    }

    /**
     * A long link, a long word and a long name in a narrow window (found looking at the window: the
     * bubbles kept their full width, so the whole conversation scrolled sideways and every message was
     * cut at the right; a long word's last line was cut off; the header's marks and the Send button
     * shrank to "…"). Every bubble fits the conversation, no bubble hides a line, the marks stay whole.
     */
    @Test
    void longMessagesAndNamesFitANarrowWindow(FxRobot robot) throws Exception {
        emit(new ChatEvent.ContactChanged(FakeChatService.withNewKey(FakeChatService.contact("bob@teaparty",
                "Bob the Builder of Very Long Names and Even Longer Titles", Status.AVAILABLE,
                "reading a very long book about very long names, back later this afternoon", LinkSecurity.ENCRYPTED))));
        robot.interact(() -> {
            stage.setWidth(MainWindow.MIN_WIDTH); // as narrow as it goes
            stage.setHeight(600);
            mainWindow.open(BOB);
        });
        String link = "https://example.org/" + "averyveryverylongpathsegment".repeat(12) + "?q=1";
        emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "l1", link, Instant.now())));
        emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "l2", "Supercalifragilisticexpialidocious".repeat(8),
                Instant.now())));
        emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "l3", "A sentence long enough to wrap over more than"
                + " one line in a conversation this narrow, as people write when they have something to say.", Instant.now())));
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            log.append("line ").append(i).append(" of a pasted log\n");
        }
        emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "l4", log.toString(), Instant.now())));
        robot.interact(() -> mainWindow.open(BOB)); // and the draft's Send button enabled, as when typing
        robot.interact(() -> robot.lookup(".compose").queryAs(javafx.scene.control.TextArea.class).setText("hello"));
        assertEquals(null, settled(() -> longContentProblem(robot)));
    }

    /** What is wrong with the conversation on screen, or null: a bubble too wide, a line cut off, a mark cut. */
    private static String longContentProblem(FxRobot robot) {
        javafx.scene.control.ListView<?> messages = robot.lookup(".messages").queryAs(javafx.scene.control.ListView.class);
        double right = messages.localToScene(messages.getLayoutBounds()).getMaxX();
        java.util.Set<javafx.scene.Node> bubbles = robot.lookup(".bubble").queryAll();
        if (bubbles.size() != 4) {
            return bubbles.size() + " bubbles, not 4";
        }
        for (javafx.scene.Node bubble : bubbles) {
            double end = bubble.localToScene(bubble.getLayoutBounds()).getMaxX();
            if (end > right) {
                return "a bubble ends at " + end + ", the conversation at " + right;
            }
        }
        if (robot.lookup(".messages .scroll-bar").queryAllAs(javafx.scene.control.ScrollBar.class).stream()
                .anyMatch(bar -> bar.getOrientation() == javafx.geometry.Orientation.HORIZONTAL && bar.isVisible())) {
            return "the conversation scrolls sideways";
        }
        java.util.Set<javafx.scene.text.Text> texts = robot.lookup(".message-body").queryAllAs(javafx.scene.text.Text.class);
        if (texts.size() != 3) {
            return texts.size() + " messages shown whole, not 3";
        }
        for (javafx.scene.Node bubble : bubbles) {
            javafx.scene.Node cell = bubble;
            while (cell != null && !(cell instanceof javafx.scene.control.ListCell)) {
                cell = cell.getParent();
            }
            if (cell == null || bubble.localToScene(bubble.getLayoutBounds()).getMaxY()
                    > cell.localToScene(cell.getLayoutBounds()).getMaxY() + 0.5) {
                return "a bubble is taller than its row: it runs into the next";
            }
        }
        for (javafx.scene.text.Text text : texts) {
            javafx.scene.layout.Region box = (javafx.scene.layout.Region) text.getParent();
            javafx.geometry.Bounds lines = text.getBoundsInParent();
            javafx.scene.Node bubble = box.getParent();
            if (box.localToScene(box.getLayoutBounds()).getMaxX() > bubble.localToScene(bubble.getLayoutBounds()).getMaxX() + 0.5) {
                return "a message's text is wider than its bubble: " + text.getText().substring(0, 20);
            }
            if (lines.getMaxY() > box.getHeight() + 0.5 || lines.getMaxX() > box.getWidth() + 0.5) {
                return "a line is cut off (" + lines + " of text in " + box.getWidth() + " × " + box.getHeight() + "): "
                        + text.getText().substring(0, 20);
            }
        }
        // Too long to show whole: it scrolls inside a bubble that still fits (its own check is its scroll bar).
        if (robot.lookup(".message-text").queryAll().stream().noneMatch(node -> node instanceof javafx.scene.control.TextArea area
                && area.getText().startsWith("line 0 of a pasted log"))) {
            return "the pasted log is not in a text area of its own";
        }
        Label detail = robot.lookup(".conversation-detail").queryAs(Label.class);
        if (!detail.getTooltip().getText().startsWith("bob@teaparty · ")) {
            return "the shortened line is not whole on hover: " + detail.getTooltip().getText();
        }
        for (String whole : java.util.List.of(".security-badge", ".key-button", ".send-button")) {
            javafx.scene.control.Labeled mark = robot.lookup(whole).queryAs(javafx.scene.control.Labeled.class);
            if (mark.getWidth() < mark.prefWidth(-1) - 0.5) {
                return whole + " is cut: " + mark.getWidth() + " of " + mark.prefWidth(-1);
            }
        }
        return null;
    }

    /**
     * Waits, pulse by pulse and 10 s at the most, until {@code problem} (asked on the FX thread) finds
     * nothing wrong: a layout can take more than one pulse to settle. Returns what it last found.
     */
    private static String settled(java.util.concurrent.Callable<String> problem) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String found;
        do {
            WaitForAsyncUtils.waitForFxEvents();
            found = WaitForAsyncUtils.asyncFx(problem).get(5, TimeUnit.SECONDS);
            if (found == null) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        } while (System.nanoTime() < until);
        return found;
    }

    /** A conversation opened on its history shows the newest message, not the oldest (it opened at the top). */
    @Test
    void aConversationOpensOnItsNewestMessage(FxRobot robot) throws Exception {
        opensOnItsNewest(robot, false);
    }

    /** The same when a message comes live before the history is read: the history goes above it. */
    @Test
    void aConversationOpensOnItsNewestMessageWhenOneCameBeforeItsHistory(FxRobot robot) throws Exception {
        opensOnItsNewest(robot, true);
    }

    private void opensOnItsNewest(FxRobot robot, boolean liveFirst) throws Exception {
        bobAppears();
        for (int i = 0; i < 30; i++) {
            emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "h" + i, "message number " + i, Instant.now())));
        }
        chat.historyAnswers = new java.util.concurrent.CompletableFuture<>();
        robot.interact(() -> mainWindow.open(BOB));
        WaitForAsyncUtils.waitForFxEvents(); // the conversation is laid out, still empty
        String newest = "message number 29";
        if (liveFirst) {
            newest = "and one more, live";
            emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "live", newest, Instant.now().plusSeconds(1))));
        }
        chat.historyAnswers.complete(null); // the history comes after that, as from the real store
        String wanted = newest;

        assertEquals(null, settled(() -> {
            javafx.scene.control.ListView<?> messages = robot.lookup(".messages").queryAs(javafx.scene.control.ListView.class);
            javafx.geometry.Bounds list = messages.localToScene(messages.getLayoutBounds());
            java.util.Optional<javafx.scene.text.Text> row = robot.lookup(".message-body")
                    .queryAllAs(javafx.scene.text.Text.class).stream()
                    .filter(text -> text.getText().equals(wanted) && text.getScene() != null).findFirst();
            if (row.isEmpty()) {
                return "the newest message has no row on screen";
            }
            javafx.geometry.Bounds shown = row.get().localToScene(row.get().getLayoutBounds());
            return shown.getMinY() >= list.getMinY() && shown.getMaxY() <= list.getMaxY() ? null
                    : "the newest message at " + shown + ", the list " + list;
        }));
    }

    @Test
    void aMessageForAConversationNotOnScreenRaisesTheUnreadBadgeAndTheTitle(FxRobot robot) throws Exception {
        bobAppears();
        emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "1", "Tea at six?", Instant.now())));
        Label badge = robot.lookup(".unread-badge").queryAs(Label.class);
        assertEquals("1", badge.getText());
        assertEquals("Pronto (1)", stage.getTitle());

        Visible.click(robot, "Bob the Builder");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".unread-badge").tryQuery().isEmpty());
        assertEquals("Pronto", stage.getTitle());
    }

    @Test
    void peopleSeenBeforeTheWindowOpenedShowWhenPresenceAnswersWithoutHoldingUpTheWindow(FxRobot robot)
            throws Exception {
        PeerId carol = PeerId.of("carol@garden");
        FakeChatService seenBefore = new FakeChatService();
        seenBefore.seen.put(carol, FakeChatService.contact(carol.name(), "Carol", Status.AVAILABLE, "", LinkSecurity.NONE));
        ExecutorService presence = Threads.single("pronto-test-presence");
        CountDownLatch presenceAnswers = new CountDownLatch(1);
        presence.execute(() -> awaitQuietly(presenceAnswers)); // presence is busy: its answer waits
        seenBefore.answerFrom = presence;
        AtomicReference<MainWindow> window = new AtomicReference<>();
        AtomicBoolean changedOffTheFxThread = new AtomicBoolean();
        robot.interact(() -> {
            window.set(new MainWindow(seenBefore, new FxEvents(Platform::runLater), Platform::runLater, background,
                    UiSettings.load(null), Preferences.inMemory(), Notifier.NONE));
            window.get().roster().contacts().addListener((javafx.collections.ListChangeListener<ContactItem>) change ->
                    changedOffTheFxThread.compareAndSet(false, !Platform.isFxApplicationThread()));
        });
        // The window was built while presence had not answered yet.
        assertTrue(WaitForAsyncUtils.asyncFx(() -> window.get().roster().find(carol).isEmpty()).get());

        presenceAnswers.countDown();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(() -> window.get().roster().find(carol).isPresent()).get());
        assertFalse(changedOffTheFxThread.get(), "the people list is changed only on the FX thread");
        Threads.shutdown(presence, Duration.ofSeconds(2));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void changingOwnStatusPublishesIt(FxRobot robot) throws Exception {
        robot.clickOn(".status-message").write("in the garden").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !chat.published.isEmpty());
        assertEquals("in the garden", chat.published.get(chat.published.size() - 1).message());
    }

    @Test
    void aChangedKeyAsksOnceShowingBothFingerprintsAndTrustsOnlyWhenTold(FxRobot robot) throws Exception {
        bobAppears();
        ChatEvent.KeyChanged changed = new ChatEvent.KeyChanged(BOB, "AAAA BBBB", "CCCC DDDD");
        chat.emit(changed);
        chat.emit(changed); // every refused attempt reports it again: still one dialog
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".key-changed").tryQuery().isPresent());
        String text = robot.lookup(".key-changed .content").queryLabeled().getText();
        assertTrue(text.contains("AAAA BBBB") && text.contains("CCCC DDDD"), text);

        robot.clickOn("Trust the new key");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !chat.acceptedKeys.isEmpty());
        assertEquals(java.util.List.of("bob@teaparty CCCC DDDD"), chat.acceptedKeys);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".key-changed").tryQuery().isEmpty(), "one dialog, answered");
    }

    @Test
    void enterInTheKeyDialogRefuses(FxRobot robot) throws Exception {
        bobAppears();
        emit(new ChatEvent.KeyChanged(BOB, "AAAA BBBB", "EEEE FFFF"));
        assertTrue(robot.lookup(".key-changed").tryQuery().isPresent());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".key-changed").tryQuery().isEmpty());
        assertTrue(chat.acceptedKeys.isEmpty(), "Enter must not trust a key");
    }

    @Test
    void theSettingsDialogPublishesNewNamesAndSwitchesTheTheme(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.COMMA).release(KeyCode.COMMA, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".settings").tryQuery().isPresent());
        robot.doubleClickOn(".settings .text-field").eraseText(20).write("Ally");
        robot.interact(() -> robot.lookup(".theme-choice").<javafx.scene.control.ChoiceBox<UiSettings.Theme>>query()
                .setValue(UiSettings.Theme.DARK));
        assertTrue(robot.lookup("People see you as “Ally” — your address stays alice@wonderland").tryQuery()
                .isPresent());
        robot.clickOn("OK");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !chat.published.isEmpty());
        assertEquals("Ally", chat.published.get(chat.published.size() - 1).nick());
        assertEquals(UiSettings.Theme.DARK, settings.theme());
        assertTrue(stage.getScene().getStylesheets().stream().anyMatch(sheet -> sheet.endsWith("pronto-dark.css")));
    }

    /**
     * A conversation not opened for a while lets go of its view (about 2.4 MB of nodes each, kept for every
     * conversation opened since the start before), can be collected, and comes back whole when opened again.
     */
    @Test
    void conversationsOpenedLongAgoLetGoOfTheirViews(FxRobot robot) throws Exception {
        java.util.List<PeerId> people = new java.util.ArrayList<>();
        for (int i = 0; i <= MainWindow.KEPT_VIEWS + 1; i++) {
            PeerId peer = PeerId.of("friend" + i + "@host" + i);
            people.add(peer);
            emit(new ChatEvent.ContactChanged(FakeChatService.contact(peer.name(), "Friend " + i, Status.AVAILABLE, "",
                    LinkSecurity.ENCRYPTED)));
        }
        PeerId first = people.get(0);
        robot.interact(() -> mainWindow.open(first));
        for (int i = 0; i < 30; i++) {
            emit(new ChatEvent.MessageAdded(ChatMessage.incoming(first, "e" + i, "earlier " + i, Instant.now())));
        }
        emit(new ChatEvent.MessageAdded(ChatMessage.incoming(first, "f1", "Remember the dormouse", Instant.now())));
        robot.interact(() -> mainWindow.conversationFor(first).draftProperty().set("half a thought"));
        java.lang.ref.WeakReference<javafx.scene.Node> firstView = WaitForAsyncUtils.asyncFx(
                () -> new java.lang.ref.WeakReference<javafx.scene.Node>(mainWindow.keptView(first).orElseThrow()))
                .get(5, TimeUnit.SECONDS);
        for (PeerId peer : people.subList(1, people.size())) {
            robot.interact(() -> mainWindow.open(peer));
        }
        // TestFX records the events fired in the window (a list's scroll among them, its target the list).
        java.lang.reflect.Field fired = org.testfx.api.FxToolkitContext.class.getDeclaredField("firedEvents");
        fired.setAccessible(true);
        org.testfx.service.support.FiredEvents record =
                (org.testfx.service.support.FiredEvents) fired.get(org.testfx.api.FxToolkit.toolkitContext());
        robot.interact(record::clearEvents);
        for (int i = 0; i < 100 && firstView.get() != null; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertEquals(null, firstView.get(), "nothing that lives on (the model, the contact, the window) holds the view let go");
        assertTrue(WaitForAsyncUtils.asyncFx(() -> mainWindow.keptView(first).isEmpty()).get(5, TimeUnit.SECONDS),
                "the least recently opened view is let go");
        assertTrue(WaitForAsyncUtils.asyncFx(() -> mainWindow.keptView(people.get(people.size() - 1)).isPresent())
                .get(5, TimeUnit.SECONDS));
        robot.interact(() -> mainWindow.open(first));
        assertEquals(null, settled(() -> {
            javafx.scene.control.ListView<?> list = robot.lookup(".messages").queryAs(javafx.scene.control.ListView.class);
            javafx.geometry.Bounds shown = list.localToScene(list.getLayoutBounds());
            return robot.lookup(".message-body").queryAllAs(javafx.scene.text.Text.class).stream()
                    .filter(text -> text.getText().equals("Remember the dormouse") && text.getScene() != null)
                    .map(text -> text.localToScene(text.getLayoutBounds()))
                    .anyMatch(at -> at.getMinY() >= shown.getMinY() && at.getMaxY() <= shown.getMaxY())
                    ? null : "opened again, it does not show its newest message";
        }), "its messages are still there, the newest on screen");
        assertEquals("half a thought", robot.lookup(".compose").queryAs(javafx.scene.control.TextArea.class).getText());
    }

    /** Our message's mark says in words what it means when the pointer is on it, and follows its state. */
    @Test
    void aDeliveryMarkExplainsItselfOnHover(FxRobot robot) throws Exception {
        bobAppears();
        robot.interact(() -> mainWindow.open(BOB));
        ChatMessage sent = ChatMessage.outgoing(BOB, "m1", "Tea at six?", Instant.now()).withState(DeliveryState.SENT, null);
        emit(new ChatEvent.MessageAdded(sent));
        Label mark = robot.lookup(".delivery-mark").queryAs(Label.class);
        assertEquals("Sent", mark.getAccessibleText());

        robot.moveTo(mark);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Sent", mark.getTooltip().getText());

        emit(new ChatEvent.MessageUpdated(sent.withState(DeliveryState.DELIVERED, null)));
        Label now = robot.lookup(".delivery-mark").queryAs(Label.class);
        assertEquals("Delivered", now.getAccessibleText());
        robot.moveTo(".message-body").moveTo(now);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Delivered", now.getTooltip().getText());
    }

    /**
     * What someone types reads well in both themes: in the dark one the compose box's text came out dark
     * on the dark composer (Modena takes a text box's text colour from a background it derives from the
     * base colour, light from a dark one), contrast 1.4 : 1.
     */
    @Test
    void typedTextReadsWellInBothThemes(FxRobot robot) throws Exception {
        bobAppears();
        robot.interact(() -> mainWindow.open(BOB));
        robot.interact(() -> {
            robot.lookup(".compose").queryAs(javafx.scene.control.TextArea.class).setText("And tell the Hatter");
            robot.lookup(".status-message").queryAs(javafx.scene.control.TextField.class).setText("at tea");
        });
        for (boolean dark : new boolean[] {false, true}) {
            if (dark) {
                robot.interact(() -> stage.getScene().getStylesheets()
                        .add(MainWindow.class.getResource("pronto-dark.css").toExternalForm()));
            }
            WaitForAsyncUtils.waitForFxEvents();
            String theme = dark ? "dark" : "light";
            double compose = WaitForAsyncUtils.asyncFx(() -> contrast(
                    typed(robot.lookup(".compose").queryAs(javafx.scene.control.TextArea.class)), innermost(robot.lookup(".composer").query()))).get(5, TimeUnit.SECONDS);
            assertTrue(compose >= 4.5, theme + ": the compose box's text has a contrast of " + compose);
            double status = WaitForAsyncUtils.asyncFx(() -> contrast(
                    typed(robot.lookup(".status-message").queryAs(javafx.scene.control.TextField.class)), innermost(robot.lookup(".status-message").query())))
                    .get(5, TimeUnit.SECONDS);
            assertTrue(status >= 4.5, theme + ": the status message's text has a contrast of " + status);
        }
    }

    /** The colour of the text typed into {@code input} (not its prompt's). */
    private static javafx.scene.paint.Color typed(javafx.scene.control.TextInputControl input) {
        return (javafx.scene.paint.Color) input.lookupAll(".text").stream()
                .filter(node -> node instanceof javafx.scene.text.Text text && text.getText().equals(input.getText()))
                .map(node -> ((javafx.scene.text.Text) node).getFill()).findFirst().orElseThrow();
    }

    /** The colour a region paints last, the one its content sits on. */
    private static javafx.scene.paint.Color innermost(javafx.scene.layout.Region region) {
        java.util.List<javafx.scene.layout.BackgroundFill> fills = region.getBackground().getFills();
        return (javafx.scene.paint.Color) fills.get(fills.size() - 1).getFill();
    }

    /** WCAG 2's contrast ratio between two opaque colours (4.5 : 1 is its minimum for text). */
    private static double contrast(javafx.scene.paint.Color a, javafx.scene.paint.Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(javafx.scene.paint.Color c) {
        java.util.function.DoubleUnaryOperator linear = v -> v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        return 0.2126 * linear.applyAsDouble(c.getRed()) + 0.7152 * linear.applyAsDouble(c.getGreen())
                + 0.0722 * linear.applyAsDouble(c.getBlue());
    }

    /** Scrolls the settings so that the node showing {@code text} is in view, near the top. */
    private static void scrollSettingsTo(FxRobot robot, String text) {
        robot.interact(() -> {
            javafx.scene.control.ScrollPane scroll = robot.lookup(".settings-scroll").query();
            javafx.scene.Node node = robot.lookup(text).query();
            javafx.geometry.Bounds at = scroll.getContent().sceneToLocal(node.localToScene(node.getBoundsInLocal()));
            double room = scroll.getContent().getBoundsInLocal().getHeight() - scroll.getViewportBounds().getHeight();
            scroll.setVvalue(room <= 0 ? 0 : Math.min(1, Math.max(0, (at.getMinY() - 20) / room)));
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theSettingsDialogSavesWhatTheCoreUsesApartFromWhatOnlyTheWindowUses(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.COMMA).release(KeyCode.COMMA, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        robot.doubleClickOn(".settings .text-field").eraseText(20).write("Ally");
        // The dialog scrolls when the screen is short (this test's screen is), as a person would.
        scrollSettingsTo(robot, "Refuse people who cannot encrypt (Pidgin and other older clients)");
        robot.clickOn("Refuse people who cannot encrypt (Pidgin and other older clients)");
        scrollSettingsTo(robot, "Take files from people whose key is pinned without asking");
        robot.clickOn("Take files from people whose key is pinned without asking");
        robot.doubleClickOn(".downloads-folder").write("/srv/shared/incoming");
        robot.interact(() -> robot.lookup(".theme-choice").<javafx.scene.control.ChoiceBox<UiSettings.Theme>>query()
                .setValue(UiSettings.Theme.DARK));
        robot.clickOn("OK");
        Path core = data.resolve("settings.properties");
        Path window = data.resolve("ui.properties");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> Files.exists(core) && Files.exists(window));

        assertEquals("Ally", preferences.nick());
        assertTrue(preferences.requireEncryption());
        Preferences coreAgain = Preferences.load(data);
        assertEquals("Ally", coreAgain.nick());
        assertTrue(coreAgain.requireEncryption());
        assertEquals(UiSettings.Theme.DARK, UiSettings.load(window).theme());
        assertEquals(new chat.pronto.model.FilePolicy("/srv/shared/incoming", true, 100L << 20), coreAgain.filePolicy());
        assertEquals(coreAgain.filePolicy(), chat.filePolicy, "applied at once");
        assertTrue(Files.readAllLines(window).stream().noneMatch(line -> line.startsWith("nick")),
                "names are the core's, not the window's");
    }

    @Test
    void aMessageForAConversationNotOnScreenRaisesANotificationThatOpensIt(FxRobot robot) throws Exception {
        bobAppears();
        emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "n1", "Tea at six?", Instant.now())));
        assertEquals(java.util.List.of("Bob the Builder: Tea at six?"), notifications);

        Platform.runLater(clicks.get(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".conversation-name").tryQuery().isPresent(), "the click opened the chat");
        assertTrue(robot.lookup("Tea at six?").tryQuery().isPresent());

        chat.updatePresence(chat.ownPresence().withStatus(Status.DO_NOT_DISTURB, null));
        emit(new ChatEvent.MessageAdded(ChatMessage.incoming(PeerId.of("carol@x"), "n2", "psst", Instant.now())));
        assertEquals(1, notifications.size(), "do not disturb means no notification");
    }

    /** Messages that arrive together (a queue flushed after a reconnect): one notification per person, not one each. */
    @Test
    void aBurstOfMessagesRaisesOneNotificationPerPerson() throws Exception {
        bobAppears();
        java.util.List<ChatEvent> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            burst.add(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "b" + i, "queued while away " + i,
                    Instant.now())));
            if (i % 10 == 0) {
                burst.add(new ChatEvent.MessageAdded(ChatMessage.incoming(PeerId.of("carol@x"), "c" + i, "hi " + i,
                        Instant.now())));
            }
        }
        chat.emitBurst(burst);
        WaitForAsyncUtils.waitForFxEvents();

        assertEquals(java.util.List.of("Bob the Builder: queued while away 29\n(and 29 more)",
                "carol@x: hi 20\n(and 2 more)"), notifications);

        // More small bursts right after (a flushed queue comes in many): one more notification, when
        // Bob's quiet time is up, with everything they brought.
        for (int i = 30; i < 40; i++) {
            emit(new ChatEvent.MessageAdded(ChatMessage.incoming(BOB, "b" + i, "queued while away " + i,
                    Instant.now())));
        }
        assertEquals(2, notifications.size(), "nothing more at once");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> notifications.size() == 3);
        assertEquals("Bob the Builder: queued while away 39\n(and 9 more)", notifications.get(2));
    }

    @Test
    void escapeClosesTheSettingsWithoutChangingAnything(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.COMMA).release(KeyCode.COMMA, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        robot.doubleClickOn(".settings .text-field").eraseText(20).write("Someone else");
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".settings").tryQuery().isEmpty());
        assertTrue(chat.published.isEmpty(), "cancelled: nothing published");
        assertTrue(Files.notExists(data.resolve("settings.properties")), "cancelled: nothing saved");
    }

    /** A PNG of the given size and colour, written with the JDK. */
    private static byte[] png(int width, int height, int rgb) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, rgb);
            }
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    @Test
    void aPeersPictureShowsInTheListAndTheHeaderAndABrokenOneLeavesTheInitials(FxRobot robot) throws Exception {
        emit(new ChatEvent.ContactChanged(chat.withPicture(FakeChatService.contact("bob@teaparty", "Bob the Builder",
                Status.AVAILABLE, "reading", LinkSecurity.ENCRYPTED), png(64, 64, 0x3366cc))));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".avatar-picture").queryAll().stream()
                .anyMatch(node -> node.isVisible() && ((javafx.scene.image.ImageView) node).getImage() != null));
        robot.interact(() -> mainWindow.open(BOB));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".conversation-header .avatar-picture")
                .queryAll().stream().anyMatch(node -> node.isVisible()
                        && ((javafx.scene.image.ImageView) node).getImage() != null));

        emit(new ChatEvent.ContactChanged(chat.withPicture(FakeChatService.contact("carol@rabbithole", "Carol Hare",
                Status.AVAILABLE, "", LinkSecurity.ENCRYPTED), "not a picture at all".getBytes())));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("CH").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("CH").queryAs(Label.class).isVisible(), "a broken picture leaves the initials");
    }
}
