package chat.pronto.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;

import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/**
 * How quickly the window opens a conversation and scrolls through one: three peers in this JVM with
 * 20 messages each way, opened one after the other, each timed from the click to the first layout that
 * shows its newest message; then a conversation of 400 messages (its history paged in), scrolled from
 * the newest to the oldest two rows at a time, each step's work on the FX thread timed (the style and
 * layout of the rows that come into view). Three rounds of scrolling: the first runs cold. Not a
 * test; run under Xvfb: {@code xvfb-run -a .bench/main chat.pronto.ui.ConversationBenchmark}.
 */
public final class ConversationBenchmark {
    private static final int EACH_WAY = 20;
    private static final int LONG = 300;

    private ConversationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        FakeLink link = new FakeLink();
        ChatCore alice = ChatCore.on(link, "alice@wonderland").start();
        List<ChatCore> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChatCore peer = ChatCore.on(link, "peer" + i + "@host" + i).start();
            peers.add(peer);
            for (int m = 0; m < EACH_WAY; m++) {
                alice.chat.send(peer.id(), "reply " + m + (m % 3 == 0 ? ", with a longer line that wraps over two lines"
                        + " in its bubble, as people write" : "")).get();
                peer.chat.send(alice.id(), "message " + m + " from " + peer.id().name()).get();
            }
        }
        ChatCore talker = ChatCore.on(link, "talker@hostt").start();
        for (int m = 0; m < LONG; m++) {
            talker.chat.send(alice.id(), "message " + m + (m % 4 == 0 ? " with a longer line that wraps over two lines"
                    + " in the bubble, as people write when they have a lot to say" : "")).get();
            if (m % 3 == 0) {
                alice.chat.send(talker.id(), "reply " + m + (m % 5 == 0 ? " https://example.org/page" + m : "")).get();
            }
        }
        alice.events.awaitReceived("message " + (LONG - 1));
        for (ChatCore peer : peers) {
            alice.events.awaitReceived("message " + (EACH_WAY - 1) + " from " + peer.id().name());
        }
        MainWindow window = ScreenshotKit.showWindow(alice.chat, false, 1000, 680);
        TimeUnit.SECONDS.sleep(2); // the window settled: what follows is the conversations, not the start

        for (ChatCore peer : peers) {
            String newest = "message " + (EACH_WAY - 1) + " from " + peer.id().name();
            long[] shown = new long[1];
            CountDownLatch done = new CountDownLatch(1);
            long clicked = ScreenshotKit.fx(() -> {
                Scene scene = window.scene();
                Runnable[] check = new Runnable[1];
                check[0] = () -> {
                    if (onScreen(scene, newest)) {
                        shown[0] = System.nanoTime();
                        scene.removePostLayoutPulseListener(check[0]);
                        done.countDown();
                    }
                };
                scene.addPostLayoutPulseListener(check[0]);
                long at = System.nanoTime();
                window.open(peer.id());
                return at;
            });
            if (!done.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException(newest + " never showed");
            }
            System.out.printf(Locale.ROOT, "open %s: %.0f ms from the click to its newest message laid out%n",
                    peer.id().name(), (shown[0] - clicked) / 1e6);
            TimeUnit.SECONDS.sleep(1);
        }

        Platform.runLater(() -> window.open(talker.id()));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int wanted = LONG + LONG / 3;
        while (ScreenshotKit.fx(() -> window.conversationFor(talker.id()).messages().size()) < wanted) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the history never came in whole");
            }
            Platform.runLater(() -> window.conversationFor(talker.id()).loadOlder());
            TimeUnit.MILLISECONDS.sleep(100);
        }
        TimeUnit.SECONDS.sleep(1);
        for (int round = 1; round <= 3; round++) {
            long[] steps = ScreenshotKit.fx(() -> {
                ListView<?> list = (ListView<?>) window.scene().lookup(".messages");
                int size = list.getItems().size();
                long[] each = new long[(size + 1) / 2];
                int step = 0;
                for (int i = size - 1; i >= 0; i -= 2) {
                    long start = System.nanoTime();
                    list.scrollTo(i);
                    list.applyCss();
                    list.layout();
                    each[step++] = System.nanoTime() - start;
                }
                return each;
            });
            long total = 0;
            for (long nanos : steps) {
                total += nanos;
            }
            long[] sorted = steps.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "scroll %d messages, round %d: %d steps, %.0f µs a step on average, p50 %.0f µs,"
                            + " p90 %.0f µs, longest %.1f ms%n", wanted, round, steps.length, total / 1e3 / steps.length,
                    sorted[sorted.length / 2] / 1e3, sorted[sorted.length * 9 / 10] / 1e3, sorted[sorted.length - 1] / 1e6);
            TimeUnit.MILLISECONDS.sleep(500);
        }
        System.exit(0);
    }

    /** Whether a message's text reading {@code body} is laid out inside the window. */
    private static boolean onScreen(Scene scene, String body) {
        for (Node node : scene.getRoot().lookupAll(".message-text")) {
            boolean match = body.equals(node.getAccessibleText())
                    || node instanceof javafx.scene.control.TextArea area && body.equals(area.getText());
            if (match && node.getScene() != null
                    && node.localToScene(node.getLayoutBounds()).getMaxY() <= scene.getHeight()) {
                return true;
            }
        }
        return false;
    }
}
