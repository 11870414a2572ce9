package chat.pronto.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import chat.pronto.security.PrivateFiles;
import chat.pronto.threads.Threads;

/**
 * One Pronto per data folder: the first takes a lock on {@code instance.lock} and listens on
 * 127.0.0.1 for later launches, which hand it what they were asked (an invite link clicked in a
 * browser, or just "come to the front") and end. The port and a random token are in
 * {@code instance} (readable by the user alone); a request without the token is ignored. The lock
 * goes with the process, so a crash leaves nothing in the way.
 */
final class SingleInstance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SingleInstance.class);
    private static final String LOCK = "instance.lock";
    private static final String ADDRESS = "instance";
    private static final int MAX_REQUEST = 4096;

    private final FileChannel channel;
    private final FileLock lock;
    private final ServerSocket server;
    private final String token;

    private SingleInstance(FileChannel channel, FileLock lock, ServerSocket server, String token) {
        this.channel = channel;
        this.lock = lock;
        this.server = server;
        this.token = token;
    }

    /** What a later launch asks: a link to open, or nothing (come to the front). */
    record Request(Optional<String> link) {
    }

    /**
     * Becomes the one Pronto of {@code data}, handing each request of a later launch to {@code requests}
     * (on the thread {@code pronto-instance}); empty when another Pronto holds it.
     */
    static Optional<SingleInstance> claim(Path data, Consumer<Request> requests) throws IOException {
        PrivateFiles.makePrivateFolder(data);
        FileChannel channel = FileChannel.open(data.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        PrivateFiles.writeAtomically(data, ADDRESS, (server.getLocalPort() + " " + token + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        SingleInstance instance = new SingleInstance(channel, lock, server, token);
        Threads.start("pronto-instance", () -> instance.serve(requests));
        return Optional.of(instance);
    }

    /** Hands {@code request} to the Pronto that holds {@code data}; false when none answers. */
    static boolean forward(Path data, Request request) {
        try {
            String[] address = Files.readString(data.resolve(ADDRESS), StandardCharsets.US_ASCII).strip().split(" ");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(address[0])),
                        2000);
                OutputStream out = socket.getOutputStream();
                out.write((address[1] + "\n" + request.link().map(link -> "open " + link).orElse("show") + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("the Pronto already running did not take the request: {}", e.getMessage());
            return false;
        }
    }

    private void serve(Consumer<Request> requests) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(2000);
                BufferedReader in = new BufferedReader(new InputStreamReader(
                        new java.io.ByteArrayInputStream(socket.getInputStream().readNBytes(MAX_REQUEST)),
                        StandardCharsets.UTF_8));
                String presented = in.readLine();
                String command = in.readLine();
                if (!token.equals(presented) || command == null) {
                    continue; // not another launch of ours
                }
                if (command.equals("show")) {
                    requests.accept(new Request(Optional.empty()));
                } else if (command.startsWith("open ")) {
                    requests.accept(new Request(Optional.of(command.substring(5).strip())));
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("a request from another launch failed: {}", e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.debug("releasing the instance lock: {}", e.getMessage());
        }
    }
}
