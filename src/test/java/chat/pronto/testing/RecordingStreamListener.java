package chat.pronto.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.packet.Stanza;

import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamInfo;
import chat.pronto.stream.StreamListener;
import chat.pronto.stream.XmlStream;

/** Captures what streams report, and lets a test wait for it with a timeout. */
public final class RecordingStreamListener implements StreamListener {
    public static final Duration WAIT = Duration.ofSeconds(10);

    public record Event<T>(XmlStream stream, T value) {
    }

    private final BlockingQueue<Event<StreamInfo>> established = new LinkedBlockingQueue<>();
    private final BlockingQueue<Event<Stanza>> stanzas = new LinkedBlockingQueue<>();
    private final BlockingQueue<Event<String>> dropped = new LinkedBlockingQueue<>();
    private final BlockingQueue<Event<StreamEnd>> ended = new LinkedBlockingQueue<>();

    @Override
    public void onEstablished(XmlStream stream, StreamInfo info) {
        established.add(new Event<>(stream, info));
    }

    @Override
    public void onStanza(XmlStream stream, Stanza stanza) {
        stanzas.add(new Event<>(stream, stanza));
    }

    @Override
    public void onStanzaDropped(XmlStream stream, String reason) {
        dropped.add(new Event<>(stream, reason));
    }

    @Override
    public void onEnded(XmlStream stream, StreamEnd end) {
        ended.add(new Event<>(stream, end));
    }

    public Event<StreamInfo> awaitEstablished() {
        return take(established, "an established stream");
    }

    public Event<Stanza> awaitStanza() {
        return take(stanzas, "a stanza");
    }

    public Event<String> awaitDropped() {
        return take(dropped, "a dropped stanza");
    }

    public Event<StreamEnd> awaitEnded() {
        return take(ended, "a stream end");
    }

    /** Stanzas received and not yet taken by {@link #awaitStanza()}. */
    public int stanzaCount() {
        return stanzas.size();
    }

    private static <T> T take(BlockingQueue<T> queue, String what) {
        try {
            T value = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(value, "waited " + WAIT.toSeconds() + " s for " + what);
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }
}
