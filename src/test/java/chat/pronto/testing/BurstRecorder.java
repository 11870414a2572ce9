package chat.pronto.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;

/** Records what a listener is told, in order: each added message's id, and "end" for each burst's end. */
public final class BurstRecorder implements ChatListener {
    public final List<String> told = new CopyOnWriteArrayList<>();
    private final Semaphore ends = new Semaphore(0);

    @Override
    public void onChatEvent(ChatEvent event) {
        told.add(((ChatEvent.MessageAdded) event).message().id());
    }

    @Override
    public void eventsDrained() {
        told.add("end");
        ends.release();
    }

    /** Waits until {@code count} bursts have ended; false if they did not within {@code seconds}. */
    public boolean awaitEnds(int count, long seconds) throws InterruptedException {
        return ends.tryAcquire(count, seconds, TimeUnit.SECONDS);
    }
}
