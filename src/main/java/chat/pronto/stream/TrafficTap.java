package chat.pronto.stream;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where every raw chunk in and out of every stream is offered, for the debug console. Costs nothing
 * while nobody listens. Listeners run on stream threads: they must queue, never block.
 */
public final class TrafficTap {
    private final CopyOnWriteArrayList<Consumer<Traffic>> listeners = new CopyOnWriteArrayList<>();

    public AutoCloseable listen(Consumer<Traffic> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    boolean active() {
        return !listeners.isEmpty();
    }

    void offer(Traffic traffic) {
        for (Consumer<Traffic> listener : listeners) {
            try {
                listener.accept(traffic);
            } catch (RuntimeException e) {
                // A broken console must not break the stream.
            }
        }
    }

    void outgoing(long streamId, String peer, String xml, boolean encrypted) {
        if (active()) {
            offer(new Traffic(streamId, peer, Traffic.Direction.OUT, Instant.now(), xml, encrypted));
        }
    }

    /** Decodes incoming chunks of one stream; keeps a UTF-8 sequence split across two chunks intact. */
    final class IncomingDecoder {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer pending = ByteBuffer.allocate(0);

        synchronized void chunk(long streamId, String peer, byte[] buffer, int offset, int length, boolean encrypted) {
            if (!active()) {
                return;
            }
            ByteBuffer input = ByteBuffer.allocate(pending.remaining() + length);
            input.put(pending).put(buffer, offset, length).flip();
            CharBuffer output = CharBuffer.allocate(input.remaining());
            decoder.decode(input, output, false);
            pending = input.slice();
            output.flip();
            offer(new Traffic(streamId, peer, Traffic.Direction.IN, Instant.now(), output.toString(), encrypted));
        }
    }
}
