package chat.pronto.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TimerTask;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ThreadsTest {
    private static final long WAIT_SECONDS = 5;

    @Test
    void aKeptThreadRunsTheNextTaskUnderThatTasksNameAndWaitsUnderItsOwn() throws Exception {
        Threads.Kept kept = Threads.kept("pronto-test-kept", 1, 4, Duration.ofSeconds(30));
        try {
            RanAs first = runOn(kept, "pronto-test-reader");
            Thread thread = first.thread();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!waitsForWork(thread) && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            assertTrue(thread.getName().matches("pronto-test-kept-[0-9]+"), "waiting as " + thread.getName());
            assertTrue(thread.isDaemon());
            Set<Thread> waiting = ConcurrentHashMap.newKeySet();
            Thread.getAllStackTraces().keySet().stream()
                    .filter(other -> other.getName().startsWith("pronto-test-kept-")).forEach(waiting::add);

            RanAs second = runOn(kept, "pronto-test-writer");
            assertEquals("pronto-test-reader", first.name());
            assertEquals("pronto-test-writer", second.name());
            assertTrue(waiting.contains(second.thread()), "the second task ran on a thread that waited for it");
        } finally {
            assertTrue(kept.shutdown(Duration.ofSeconds(WAIT_SECONDS)));
        }
    }

    /** The thread a task ran on, and its name while the task ran. */
    private record RanAs(Thread thread, String name) {
    }

    private static RanAs runOn(Threads.Kept kept, String name) throws InterruptedException {
        AtomicReference<RanAs> ran = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        kept.start(name, () -> {
            ran.set(new RanAs(Thread.currentThread(), Thread.currentThread().getName()));
            done.countDown();
        });
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), name + " ran");
        return ran.get();
    }

    private static boolean waitsForWork(Thread thread) {
        Thread.State state = thread.getState();
        return !thread.getName().equals("pronto-test-reader")
                && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING);
    }

    @Test
    void beyondItsBoundAKeptPoolGivesATaskAThreadOfItsOwn() throws Exception {
        Threads.Kept kept = Threads.kept("pronto-test-kept", 0, 1, Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothRunning = new CountDownLatch(2);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        try {
            for (String name : List.of("pronto-test-one", "pronto-test-two")) {
                kept.start(name, () -> {
                    threads.add(Thread.currentThread());
                    bothRunning.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(bothRunning.await(WAIT_SECONDS, TimeUnit.SECONDS), "the second task waits for nobody");
            assertEquals(2, threads.size());
            assertEquals(Set.of("pronto-test-one", "pronto-test-two"),
                    threads.stream().map(Thread::getName).collect(java.util.stream.Collectors.toSet()));
            assertThrows(IllegalArgumentException.class, () -> kept.start("unnamed", () -> { }));
        } finally {
            release.countDown();
            kept.shutdown(Duration.ofSeconds(WAIT_SECONDS));
        }
    }

    @Test
    void aPoolNumbersItsDaemonThreadsAndNeverRunsMoreThanItsBound() throws Exception {
        ExecutorService pool = Threads.pool("pronto-test-pool", 2);
        Set<String> names = ConcurrentHashMap.newKeySet();
        AtomicBoolean allDaemons = new AtomicBoolean(true);
        CyclicBarrier bothBusy = new CyclicBarrier(2);
        CountDownLatch done = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            pool.execute(() -> {
                names.add(Thread.currentThread().getName());
                allDaemons.compareAndSet(true, Thread.currentThread().isDaemon());
                try {
                    bothBusy.await(WAIT_SECONDS, TimeUnit.SECONDS); // two at a time, so both threads start
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                done.countDown();
            });
        }
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(Set.of("pronto-test-pool-1", "pronto-test-pool-2"), names);
        assertTrue(allDaemons.get());
        assertTrue(Threads.shutdown(pool, Duration.ofSeconds(WAIT_SECONDS)));
    }

    @Test
    void aSingleThreadExecutorRunsTasksInOrderOnItsOneNamedThread() throws Exception {
        ExecutorService single = Threads.single("pronto-test-single");
        List<String> ran = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            int number = i;
            single.execute(() -> ran.add(Thread.currentThread().getName() + " " + number));
        }
        assertTrue(Threads.shutdown(single, Duration.ofSeconds(WAIT_SECONDS)));
        assertEquals(20, ran.size());
        for (int i = 0; i < 20; i++) {
            assertEquals("pronto-test-single " + i, ran.get(i));
        }
    }

    @Test
    void aTimerRunsOnItsNamedDaemonThreadAndForgetsCancelledTasksAtOnce() throws Exception {
        ScheduledExecutorService timer = Threads.timer("pronto-test-timer");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        timer.schedule(() -> ranOn.set(Thread.currentThread()), 10, TimeUnit.MILLISECONDS).get(WAIT_SECONDS,
                TimeUnit.SECONDS);
        assertEquals("pronto-test-timer", ranOn.get().getName());
        assertTrue(ranOn.get().isDaemon());

        ScheduledFuture<?> neverDue = timer.schedule(() -> { }, 1, TimeUnit.HOURS);
        neverDue.cancel(false);
        assertEquals(0, ((ScheduledThreadPoolExecutor) timer).getQueue().size(), "a cancelled timeout leaves the queue");
        assertTrue(Threads.shutdown(timer, Duration.ofSeconds(WAIT_SECONDS)));
    }

    @Test
    void aDroppingPoolDropsTheOldestWaitingTaskWhenFull() throws Exception {
        ExecutorService pool = Threads.droppingPool("pronto-test-dropping", 1, 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        pool.execute(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
        for (int i = 1; i <= 4; i++) {
            int number = i;
            pool.execute(() -> ran.add(number)); // the queue holds two: 1 and 2 give way to 3 and 4
        }
        release.countDown();
        assertTrue(Threads.shutdown(pool, Duration.ofSeconds(WAIT_SECONDS)));
        assertEquals(List.of(3, 4), ran);
    }

    @Test
    void startRunsTheBodyOnANamedDaemonThreadAndUnstartedWaitsToBeStarted() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Thread started = Threads.start("pronto-test-reader", ran::countDown);
        assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("pronto-test-reader", started.getName());
        assertTrue(started.isDaemon());

        Thread hook = Threads.unstarted("pronto-test-hook", () -> { });
        assertEquals(Thread.State.NEW, hook.getState(), "a shutdown hook must not be started");
        assertEquals("pronto-test-hook", hook.getName());
        assertTrue(hook.isDaemon());
    }

    @Test
    void aTaskTimerRunsOnItsNamedDaemonThread() throws Exception {
        java.util.Timer timer = Threads.taskTimer("pronto-test-task-timer");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        timer.schedule(new TimerTask() {
            @Override
            public void run() {
                ranOn.set(Thread.currentThread());
                ran.countDown();
            }
        }, 0);
        assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
        timer.cancel();
        assertEquals("pronto-test-task-timer", ranOn.get().getName());
        assertTrue(ranOn.get().isDaemon());
    }

    @Test
    void shutdownWaitsOnlyAsLongAsItIsToldThenInterruptsAndDropsTheRest() throws Exception {
        ExecutorService single = Threads.single("pronto-test-stuck");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        single.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(10));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        single.execute(() -> queuedRan.set(true));
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));

        long before = System.nanoTime();
        boolean ended = Threads.shutdown(single, Duration.ofMillis(200));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);

        assertFalse(ended, "a task that does not finish in time is reported");
        assertTrue(tookMillis >= 200 && tookMillis < 2000, "waited " + tookMillis + " ms");
        assertTrue(interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS), "the stuck task is interrupted");
        assertTrue(single.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(queuedRan.get(), "what still waited is dropped");
    }

    @Test
    void shutdownOfAnIdleExecutorReturnsAtOnce() {
        ExecutorService pool = Threads.pool("pronto-test-idle", 2);
        long before = System.nanoTime();
        assertTrue(Threads.shutdown(pool, Duration.ofSeconds(WAIT_SECONDS)));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before) < 1000);
    }

    @Test
    void everyThreadIsNamedPronto() {
        assertThrows(IllegalArgumentException.class, () -> Threads.single("worker"));
        assertThrows(IllegalArgumentException.class, () -> Threads.pool("pronto-", 2));
        assertThrows(IllegalArgumentException.class, () -> Threads.numbered("pronto-session-"));
        assertThrows(IllegalArgumentException.class, () -> Threads.start("Thread-7", () -> { }));
        assertThrows(IllegalArgumentException.class, () -> Threads.taskTimer("timer"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
