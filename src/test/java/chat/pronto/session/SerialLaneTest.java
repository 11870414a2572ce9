package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialLaneTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final SerialLane lane = new SerialLane(pool, "test-lane");

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void anIdleLaneRunsTheTaskOnTheCallersThreadBeforeReturning() {
        List<Thread> ranOn = new ArrayList<>();
        lane.runHereIfIdle(() -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    @Test
    void aBusyLaneQueuesTheTaskBehindWhatRunsAndRunsItOnThePoolInOrder() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        lane.execute(() -> {
            running.countDown();
            await(release);
            order.add("first");
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        lane.runHereIfIdle(() -> {
            order.add("second");
            threads.add(Thread.currentThread());
        });
        lane.execute(() -> {
            order.add("third");
            done.countDown();
        });
        assertEquals(List.of(), order, "nothing overtook the running task");
        release.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("first", "second", "third"), order);
        assertNotSame(Thread.currentThread(), threads.get(0));
    }

    @Test
    void whatIsQueuedWhileATaskRunsHereRunsAfterItOnThePoolAndTheLaneStaysUsable() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2);
        lane.runHereIfIdle(() -> {
            lane.execute(() -> {
                order.add("queued meanwhile");
                done.countDown();
            });
            order.add("here");
            throw new IllegalStateException("a failing task does not wedge the lane");
        });
        assertEquals("here", order.get(0));
        // Whether the pool has run the queued task yet or not, the next one comes after it.
        lane.runHereIfIdle(() -> {
            order.add("after");
            done.countDown();
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("here", "queued meanwhile", "after"), order);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
