package chat.pronto.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Fetches a file offered out of band (XEP-0066) over plain HTTP into a partial file: from where the
 * partial file ends when the server honours a {@code Range}, from the start when it does not. No
 * redirects, no proxies, no cookies: only the address the offer named.
 */
public final class HttpFetch implements AutoCloseable {
    private final URI uri;
    private final Duration timeout;
    private volatile HttpURLConnection connection;

    public HttpFetch(URI uri, Duration timeout) {
        this.uri = uri;
        this.timeout = timeout;
    }

    /**
     * Writes the file into {@code part}; at most {@code limit} bytes in all (more fails with
     * {@link FileData.TooMuchData}).
     *
     * @param declared the size the offer gave, or -1
     * @return the file's size
     */
    public long into(Path part, long declared, long limit, FileData.Progress progress) throws IOException {
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long have = channel.size();
            HttpURLConnection http = (HttpURLConnection) new URL(uri.toASCIIString()).openConnection(java.net.Proxy.NO_PROXY);
            connection = http;
            http.setInstanceFollowRedirects(false);
            http.setUseCaches(false);
            http.setConnectTimeout((int) timeout.toMillis());
            http.setReadTimeout((int) timeout.toMillis());
            if (have > 0) {
                http.setRequestProperty("Range", "bytes=" + have + "-");
            }
            int status = http.getResponseCode();
            if (status == HttpURLConnection.HTTP_OK) {
                have = 0;
                channel.truncate(0);
            } else if (status != HttpURLConnection.HTTP_PARTIAL) {
                throw new IOException("the sender's web server answered " + status + " " + http.getResponseMessage());
            }
            long length = http.getContentLengthLong();
            long size = length >= 0 ? have + length : declared;
            if (declared >= 0 && size > declared) {
                throw new FileData.TooMuchData(declared);
            }
            if (declared >= 0 && size >= 0 && size < declared) {
                throw new IOException("the sender's web server offers " + size + " bytes, the offer said " + declared);
            }
            long most = size >= 0 ? Math.min(size, limit) : limit;
            channel.position(have);
            byte[] bytes = new byte[FileData.BUFFER];
            long done = have;
            try (InputStream in = http.getInputStream()) {
                while (true) {
                    int read = in.read(bytes, 0, (int) Math.min(bytes.length, most - done + 1));
                    if (read < 0) {
                        break;
                    }
                    if (done + read > most) {
                        throw new FileData.TooMuchData(most);
                    }
                    FileData.writeFully(channel, bytes, read);
                    done += read;
                    progress.moved(done);
                }
            }
            channel.force(false);
            if (size >= 0 && done < size) {
                throw new EOFException("the connection ended after " + done + " of " + size + " bytes");
            }
            return done;
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        HttpURLConnection http = connection;
        if (http != null) {
            http.disconnect(); // a read blocked on it ends with an exception
        }
    }
}
