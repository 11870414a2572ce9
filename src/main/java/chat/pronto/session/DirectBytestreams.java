package chat.pronto.session;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.bytestreams.socks5.packet.Bytestream;
import org.jxmpp.jid.impl.JidCreate;

import chat.pronto.model.PeerId;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.transfer.DataListener;
import chat.pronto.transfer.FileData;
import chat.pronto.transfer.IpLiterals;
import chat.pronto.transfer.Socks5;

/**
 * Files over a direct XEP-0065 bytestream, as libpurple sends them: the sender listens where the peer
 * already reaches it and the receiver connects; between Pronto peers TLS with the pinned keys runs over
 * the connection and the receiver says whether the hash matched. A part of {@link FileTransfers}.
 */
final class DirectBytestreams {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The receiver must connect within this after the streamhosts went out. */
    static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(30);
    private static final byte VERDICT_OK = 'K';
    private static final byte VERDICT_DAMAGED = 'H';
    /** Tests: the streamhost we name instead of our listener (one nobody can reach: the in-band fallback). */
    private static volatile InetSocketAddress streamhostForTests;

    private final FileTransfers files;

    DirectBytestreams(FileTransfers files) {
        this.files = files;
    }

    static void streamhostForTests(InetSocketAddress address) {
        streamhostForTests = address;
    }

    /** Sender's side of one attempt: listen, say where, take the receiver's connection, send from {@code from}. */
    void serve(TransferJob job, InetAddress local, long from, boolean encrypted) {
        Transfer transfer = job.transfer;
        PeerId peer = transfer.peer();
        String sid;
        synchronized (files) {
            sid = job.sid;
        }
        InetAddress address = local;
        if (address == null) {
            files.interrupt(job, "no open stream to " + peer.name() + " to say where to connect");
            return;
        }
        try (DataListener listener = new DataListener(address)) {
            files.attach(job, listener);
            Bytestream hosts = new Bytestream(sid);
            hosts.setType(IQ.Type.set);
            hosts.setStanzaId(sid);
            InetSocketAddress advertised = streamhostForTests != null ? streamhostForTests : listener.address();
            hosts.addStreamHost(JidCreate.from(files.self()), IpLiterals.forPeer(streamhostForTests != null
                    ? advertised.getAddress() : address), advertised.getPort());
            files.send(peer, hosts);
            Socket plain;
            try {
                plain = listener.await(Socks5.hash(sid, files.self(), peer.name()), ACCEPT_TIMEOUT);
            } catch (java.net.SocketTimeoutException unreachable) {
                synchronized (files) {
                    job.directFailed = true;
                }
                throw unreachable;
            }
            Duration stall = FileTransfers.stallTimeout();
            files.attach(job, plain);
            plain.setSoTimeout((int) stall.toMillis()); // the TLS handshake too
            // The TCP connection stays the one to close to stop it: closing a TLS socket waits for a stuck writer.
            Socket socket = encrypted ? files.tls().forPeer(files.self(), peer.name()).upgradeAsRecipient(plain) : plain;
            try (socket) {
                files.active(job);
                files.watch(job, plain, stall, -1, System.nanoTime());
                OutputStream out = socket.getOutputStream();
                FileData.send(Path.of(transfer.file()), from, transfer.size(), out, files.bytesPerSecond(),
                        done -> files.progress(job, done));
                if (encrypted) {
                    // The receiver says whether the hash matched; a plain receiver just closes.
                    socket.shutdownOutput();
                    int verdict = socket.getInputStream().read();
                    if (verdict == VERDICT_DAMAGED) {
                        files.fail(job, "the file arrived damaged at " + peer.name() + " (its hash differs)");
                        return;
                    }
                    if (verdict != VERDICT_OK) {
                        throw new EOFException("the receiver closed before it confirmed the file");
                    }
                } else {
                    out.flush();
                    socket.shutdownOutput();
                    while (socket.getInputStream().read() >= 0) {
                        // A plain receiver closes once it has it all.
                    }
                }
                files.finish(job, TransferState.DONE, "");
            }
        } catch (IOException | RuntimeException e) {
            files.stopped(job, e);
        }
    }


    /** The sender says where to connect: we try its hosts in turn, then take the bytes. */
    void streamhosts(PeerId peer, Bytestream hosts, InetAddress link) {
        TransferJob job;
        synchronized (files) {
            job = files.incoming(peer, hosts.getSessionID());
            if (job != null && job.transfer.state() != TransferState.CONNECTING) {
                job = null;
            }
        }
        if (job == null) {
            files.reply(peer, FileTransfers.error(hosts, StanzaError.Condition.item_not_found, "no transfer with that stream id waits"));
            return;
        }
        TransferJob taken = job;
        files.submit(job, () -> receive(taken, hosts, link));
    }

    /** @param link our address on the chat stream with the peer: its zone completes link-local streamhosts */
    void receive(TransferJob job, Bytestream hosts, InetAddress link) {
        PeerId peer = job.transfer.peer();
        String sid = hosts.getSessionID();
        boolean encrypted = FileOffer.TLS_BYTESTREAMS.equals(job.method);
        String hash = Socks5.hash(sid, peer.name(), files.self());
        Socket plain = null;
        Bytestream.StreamHost used = null;
        List<String> tried = new ArrayList<>();
        for (Bytestream.StreamHost host : hosts.getStreamHosts()) {
            if (host.getPort() <= 0 || tried.size() >= 8) {
                continue;
            }
            String address = host.getAddress().toString();
            Optional<InetAddress> literal = IpLiterals.parse(address);
            if (literal.isEmpty()) {
                tried.add(address + " (not an IP address: names are not looked up)");
                continue;
            }
            try {
                plain = Socks5.connect(new InetSocketAddress(IpLiterals.onLink(literal.get(), link), host.getPort()),
                        hash, CONNECT_TIMEOUT);
                used = host;
                break;
            } catch (IOException e) {
                tried.add(host.getAddress() + ":" + host.getPort() + " (" + e.getMessage() + ")");
            }
        }
        if (plain == null) {
            files.reply(peer, FileTransfers.error(hosts, StanzaError.Condition.item_not_found, "could not connect to any streamhost"));
            files.interrupt(job, "could not connect to " + peer.name() + ": " + String.join(", ", tried));
            return;
        }
        Bytestream usedAnswer = new Bytestream(sid);
        usedAnswer.setType(IQ.Type.result);
        usedAnswer.setStanzaId(hosts.getStanzaId());
        usedAnswer.setUsedHost(used.getJID());
        files.reply(peer, usedAnswer);
        Path part = Path.of(job.transfer.file());
        Duration stall = FileTransfers.stallTimeout();
        try {
            files.attach(job, plain);
            plain.setSoTimeout((int) stall.toMillis()); // the TLS handshake too
            Socket socket = encrypted ? files.tls().forPeer(files.self(), peer.name()).upgradeAsInitiator(plain) : plain;
            try (socket) {
                files.active(job);
                InputStream in = socket.getInputStream();
                String got = FileData.receive(socket, in, part, job.transfer.size(),
                        encrypted ? stall : Duration.ofMillis(300), done -> files.progress(job, done));
                String expected = job.transfer.sha256();
                if (!expected.isEmpty() && !expected.equals(got)) {
                    Files.deleteIfExists(part);
                    if (encrypted) {
                        socket.getOutputStream().write(VERDICT_DAMAGED);
                    }
                    files.fail(job, "the file arrived damaged (its SHA-256 differs from the one offered); nothing was kept");
                    return;
                }
                Path done = FileTransfers.place(part, job.transfer.name());
                synchronized (files) {
                    job.transfer = job.transfer.withFile(done.toString()).withSha256(expected.isEmpty() ? got : expected);
                }
                if (encrypted) {
                    socket.getOutputStream().write(VERDICT_OK);
                    socket.getOutputStream().flush();
                }
                files.finish(job, TransferState.DONE, expected.isEmpty() ? "not checked: the sender gave no hash" : "");
            }
        } catch (FileData.TooMuchData tooMuch) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // reported below either way
            }
            files.fail(job, tooMuch.getMessage() + "; nothing was kept");
        } catch (IOException | RuntimeException e) {
            files.stopped(job, e);
        }
    }
}
