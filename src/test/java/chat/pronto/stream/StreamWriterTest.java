package chat.pronto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The stream's own writer: senders never wait, a slow peer fills only its bounded queue, batches go out whole. */
class StreamWriterTest {
    private static final chat.pronto.threads.Threads.Kept THREADS =
            chat.pronto.threads.Threads.kept("pronto-test-writers", 0, 8, java.time.Duration.ofSeconds(1));
    @Test
    void whatQueuesUpWhileAWriteIsStuckGoesOutAsOneBatchInOrder() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> writes = new CopyOnWriteArrayList<>();
        StreamWriter writer = new StreamWriter(batch -> {
            writes.add(batch);
            firstWriteStarted.countDown();
            awaitQuietly(release);
        }, 1_000, broken -> { });
        writer.start(THREADS, "pronto-stream-test-out");
        assertTrue(writer.offer("<a/>"));
        assertTrue(firstWriteStarted.await(5, TimeUnit.SECONDS));
        assertTrue(writer.offer("<b/>"), "the sender does not wait for the stuck write");
        assertTrue(writer.offer("<c/>"));
        release.countDown();
        assertTrue(writer.awaitWritten(5_000));
        assertEquals(List.of(List.of("<a/>"), List.of("<b/>", "<c/>")), writes);
        writer.stop();
    }

    @Test
    void aPeerThatDoesNotReadFillsOnlyABoundedQueueButTheEndTagStillFollows() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        StreamWriter writer = new StreamWriter(batch -> awaitQuietly(stuck), 10, broken -> { });
        writer.start(THREADS, "pronto-stream-test-out");
        assertTrue(writer.offer("0123456789"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> writer.offer("01234"));
        assertFalse(writer.offer("0123456789"), "over the bound");
        writer.offerLast("</stream:stream>");
        assertFalse(writer.awaitWritten(100));
        stuck.countDown();
        writer.stop();
        assertFalse(writer.offer("<late/>"), "nothing after stop");
    }

    @Test
    void aFailedWriteIsReportedOnceAndNothingMoreIsTaken() throws Exception {
        AtomicReference<IOException> reported = new AtomicReference<>();
        CountDownLatch told = new CountDownLatch(1);
        StreamWriter writer = new StreamWriter(batch -> {
            throw new IOException("broken pipe");
        }, 1_000, broken -> {
            reported.set(broken);
            told.countDown();
        });
        writer.start(THREADS, "pronto-stream-test-out");
        writer.offer("<a/>");
        assertTrue(told.await(5, TimeUnit.SECONDS));
        assertEquals("broken pipe", reported.get().getMessage());
        assertFalse(writer.offer("<b/>"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
