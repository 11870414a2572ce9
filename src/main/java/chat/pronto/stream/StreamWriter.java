package chat.pronto.stream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import chat.pronto.threads.Threads;

/**
 * Writes one stream's stanzas on a thread of its own, so that nobody who sends ever waits on the
 * peer: {@link #offer} queues and returns. A peer that does not read fills only its own queue,
 * which is bounded ({@link #offer} says no beyond it); what waits is written in batches, one socket
 * write for as many stanzas as have queued up meanwhile.
 */
final class StreamWriter {
    /** Where a batch goes: the stream writes it, under its write lock, as one write. */
    interface Sink {
        void write(List<String> batch) throws IOException;
    }

    private final Sink sink;
    private final long maxQueuedChars;
    private final Consumer<IOException> broken;
    private final List<String> queue = new ArrayList<>();
    private long queuedChars;
    private boolean writing;
    private boolean stopped;

    /**
     * @param maxQueuedChars what may wait to be written before {@link #offer} says no
     * @param broken         told (on the writer thread) when a write fails: the connection is gone
     */
    StreamWriter(Sink sink, long maxQueuedChars, Consumer<IOException> broken) {
        this.sink = sink;
        this.maxQueuedChars = maxQueuedChars;
        this.broken = broken;
    }

    /** Writes on a thread called {@code threadName}, taken from {@code threads}. */
    void start(Threads.Kept threads, String threadName) {
        threads.start(threadName, this::run);
    }

    /** Queues {@code xml}; false when the queue is over its bound (the peer is not reading) or stopped. */
    synchronized boolean offer(String xml) {
        if (stopped || queuedChars + xml.length() > maxQueuedChars && !queue.isEmpty()) {
            return false;
        }
        enqueue(xml);
        return true;
    }

    /** Queues {@code xml} whatever the bound (the stream's end tag: it must follow what is queued). */
    synchronized void offerLast(String xml) {
        if (!stopped) {
            enqueue(xml);
        }
    }

    private void enqueue(String xml) {
        queue.add(xml);
        queuedChars += xml.length();
        notifyAll();
    }

    /** Waits up to {@code millis} until everything queued is written; true if it was. */
    synchronized boolean awaitWritten(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while ((!queue.isEmpty() || writing) && !stopped) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return queue.isEmpty() && !writing;
    }

    /** Drops what waits and ends the thread; nothing more is written. */
    synchronized void stop() {
        stopped = true;
        queue.clear();
        queuedChars = 0;
        notifyAll();
    }

    private void run() {
        while (true) {
            List<String> batch;
            synchronized (this) {
                writing = false;
                notifyAll();
                while (queue.isEmpty() && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                batch = List.copyOf(queue);
                queue.clear();
                queuedChars = 0;
                writing = true;
            }
            try {
                sink.write(batch);
            } catch (IOException e) {
                synchronized (this) {
                    writing = false;
                    stopped = true;
                    queue.clear();
                    notifyAll();
                }
                broken.accept(e);
                return;
            }
        }
    }
}
