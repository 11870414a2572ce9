package chat.pronto.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import chat.pronto.security.Identity;

/** Bare JSSE and TCP on 127.0.0.1, the yardstick Pronto's figures are measured against in the same run. */
public final class BareTls implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Trusts anything, with no extra checks: JSSE's cost alone. */
    private static final TrustManager[] TRUST_ALL = {new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }};

    private final KeyManager[] clientKeys;
    private final SSLServerSocket tlsServer;
    private final ServerSocket tcpServer;
    private final Thread tlsEcho;
    private final Thread tcpEcho;
    private SSLSocket open;

    public BareTls(Identity client, Identity server) throws Exception {
        this.clientKeys = keyManagers(client);
        tlsServer = (SSLServerSocket) context(keyManagers(server)).getServerSocketFactory()
                .createServerSocket(0, 50, LOOPBACK);
        tlsServer.setNeedClientAuth(true);
        tcpServer = new ServerSocket(0, 50, LOOPBACK);
        tlsEcho = echo(tlsServer, "bench-tls-echo");
        tcpEcho = echo(tcpServer, "bench-tcp-echo");
    }

    /** Offers the one identity without searching a key store, as Pronto's own key manager does. */
    static KeyManager[] keyManagers(Identity identity) {
        return new KeyManager[] {new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"me"};
            }

            @Override
            public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
                return "me";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return new String[] {"me"};
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return "EC".equals(keyType) ? "me" : null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return new X509Certificate[] {identity.certificate()};
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return identity.privateKey();
            }
        }};
    }

    /** A fresh context costs what Pronto pays per stream too, and rules out session resumption. */
    static SSLContext context(KeyManager[] keys) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys, TRUST_ALL, new SecureRandom());
        return context;
    }

    private static Thread echo(ServerSocket server, String name) {
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    Thread connection = new Thread(() -> {
                        try (socket; InputStream in = socket.getInputStream();
                             OutputStream out = socket.getOutputStream()) {
                            byte[] buffer = new byte[4096];
                            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                                out.write(buffer, 0, n);
                                out.flush();
                            }
                        } catch (Exception ignored) {
                            // the client went away
                        }
                    }, name + "-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (Exception e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public long tcp() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(LOOPBACK, tcpServer.getLocalPort()));
            socket.getOutputStream().write(1);
            socket.getInputStream().read();
            return System.nanoTime() - start;
        }
    }

    public long tls() throws Exception {
        long start = System.nanoTime();
        SSLSocket socket = (SSLSocket) context(clientKeys).getSocketFactory()
                .createSocket(LOOPBACK, tlsServer.getLocalPort());
        socket.setTcpNoDelay(true);
        socket.startHandshake();
        socket.getOutputStream().write(1);
        socket.getOutputStream().flush();
        socket.getInputStream().read();
        long elapsed = System.nanoTime() - start;
        if (open != null) {
            open.close();
        }
        open = socket;
        return elapsed;
    }

    public long echoOpen() throws Exception {
        byte[] line = ("<message to='carol@bench' type='chat'><body>" + "x".repeat(100) + "</body></message>"
                + " ".repeat(254 - 161)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] back = new byte[line.length];
        long start = System.nanoTime();
        open.getOutputStream().write(line);
        open.getOutputStream().flush();
        for (int got = 0; got < back.length; ) {
            got += open.getInputStream().read(back, got, back.length - got);
        }
        return System.nanoTime() - start;
    }

    @Override
    public void close() throws Exception {
        if (open != null) {
            open.close();
        }
        tlsServer.close();
        tcpServer.close();
        tlsEcho.join(1000);
        tcpEcho.join(1000);
    }
}
