package chat.pronto.testing;

import java.io.InputStream;

/** Hands out bytes at most {@code chunk} at a time, as a slow or fragmenting network would. */
public final class ChunkedInput extends InputStream {
    private final byte[] bytes;
    private final int chunk;
    private int position;

    public ChunkedInput(byte[] bytes, int chunk) {
        this.bytes = bytes;
        this.chunk = chunk;
    }

    @Override
    public int read() {
        return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= bytes.length) {
            return -1;
        }
        int n = Math.min(Math.min(length, chunk), bytes.length - position);
        System.arraycopy(bytes, position, buffer, offset, n);
        position += n;
        return n;
    }
}
