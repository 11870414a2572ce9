package chat.pronto.transfer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The SOCKS5 handshake of a direct XEP-0065 bytestream, both sides. The "address" asked for is the
 * hash that names the transfer (SHA-1 of sid, initiator and target); nothing is ever proxied.
 *
 * <p>The client is lenient where libpurple is not strict: libpurple's sender answers with its
 * buddy's IP and port 0 instead of echoing the hash (XEP-0065 §5.3.3 says echo), so the reply's
 * address is read and not compared. Our server does echo it.
 */
public final class Socks5 {
    private static final int VERSION = 5;
    private static final int NO_AUTHENTICATION = 0;
    private static final int CONNECT = 1;
    private static final int DOMAIN_NAME = 3;
    private static final int SUCCEEDED = 0;
    private static final int NOT_ALLOWED = 2;
    private static final int NO_ACCEPTABLE_METHOD = 0xFF;

    private Socks5() {
    }

    /** XEP-0065 §5.3.2: lower-case hex SHA-1 of sid + initiator + target (instance names, as libpurple uses them). */
    public static String hash(String sid, String initiator, String target) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((sid + initiator + target).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-1", e);
        }
    }

    /** Connects to a streamhost and asks for {@code hash}; the socket is ready for data when this returns. */
    public static Socket connect(InetSocketAddress host, String hash, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(host, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(new byte[] {VERSION, 1, NO_AUTHENTICATION});
            out.flush();
            if (in.readUnsignedByte() != VERSION || in.readUnsignedByte() != NO_AUTHENTICATION) {
                throw new IOException("the streamhost " + host + " wants an authentication we do not have");
            }
            out.write(request(CONNECT, hash));
            out.flush();
            if (in.readUnsignedByte() != VERSION) {
                throw new IOException("the streamhost " + host + " does not speak SOCKS5");
            }
            int status = in.readUnsignedByte();
            if (status != SUCCEEDED) {
                throw new IOException("the streamhost " + host + " refused the transfer (SOCKS5 status " + status + ")");
            }
            in.readUnsignedByte(); // reserved
            skipAddressAndPort(in);
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The server's side on an accepted connection: true when the client asked for {@code hash} (the
     * reply echoes it and data may flow); false when it asked for anything else (refused, socket closed).
     */
    public static boolean accept(Socket socket, String hash, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        if (in.readUnsignedByte() != VERSION) {
            socket.close();
            return false;
        }
        int methods = in.readUnsignedByte();
        boolean noAuthentication = false;
        for (int i = 0; i < methods; i++) {
            noAuthentication |= in.readUnsignedByte() == NO_AUTHENTICATION;
        }
        if (!noAuthentication) {
            out.write(new byte[] {VERSION, (byte) NO_ACCEPTABLE_METHOD});
            socket.close();
            return false;
        }
        out.write(new byte[] {VERSION, NO_AUTHENTICATION});
        out.flush();
        if (in.readUnsignedByte() != VERSION || in.readUnsignedByte() != CONNECT) {
            socket.close();
            return false;
        }
        in.readUnsignedByte(); // reserved
        if (in.readUnsignedByte() != DOMAIN_NAME) {
            socket.close();
            return false;
        }
        byte[] asked = new byte[in.readUnsignedByte()];
        in.readFully(asked);
        in.readUnsignedShort(); // port: 0 for bytestreams
        if (!hash.equals(new String(asked, StandardCharsets.US_ASCII))) {
            byte[] refusal = request(NOT_ALLOWED, new String(asked, StandardCharsets.US_ASCII));
            out.write(refusal);
            out.flush();
            socket.close();
            return false;
        }
        out.write(request(SUCCEEDED, hash));
        out.flush();
        socket.setSoTimeout(0);
        return true;
    }

    /** {@code VER CMD/REP RSV ATYP=domain LEN hash PORT=0}: the request, and (with a status) our reply. */
    private static byte[] request(int code, String hash) {
        byte[] name = hash.getBytes(StandardCharsets.US_ASCII);
        if (name.length > 255) {
            throw new IllegalArgumentException("a SOCKS5 address holds 255 bytes at most");
        }
        byte[] bytes = new byte[7 + name.length];
        bytes[0] = VERSION;
        bytes[1] = (byte) code;
        bytes[3] = DOMAIN_NAME;
        bytes[4] = (byte) name.length;
        System.arraycopy(name, 0, bytes, 5, name.length);
        return bytes;
    }

    private static void skipAddressAndPort(DataInputStream in) throws IOException {
        int type = in.readUnsignedByte();
        int length = switch (type) {
            case 1 -> 4;
            case 4 -> 16;
            case DOMAIN_NAME -> in.readUnsignedByte();
            default -> throw new IOException("a SOCKS5 reply with address type " + type);
        };
        skipFully(in, length + 2);
    }

    private static void skipFully(InputStream in, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            if (in.read() < 0) {
                throw new EOFException("the SOCKS5 reply ended early");
            }
        }
    }
}
