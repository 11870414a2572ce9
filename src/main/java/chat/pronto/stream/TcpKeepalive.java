package chat.pronto.stream;

import java.io.IOException;
import java.net.Socket;

import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive on every stream socket, with short times: a peer that vanished without a FIN (a
 * pulled cable, a machine switched off) is noticed by the kernel after about a minute of silence
 * (30 s idle, then 3 probes 10 s apart) even where nobody writes and no ping can be used (legacy
 * peers such as Pidgin never answer XMPP pings). Where the system does not offer the times, the
 * system's own keepalive still applies.
 */
final class TcpKeepalive {
    static final int IDLE_SECONDS = 30;
    static final int PROBE_INTERVAL_SECONDS = 10;
    static final int PROBES = 3;

    private TcpKeepalive() {
    }

    static void apply(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        try {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, IDLE_SECONDS);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, PROBE_INTERVAL_SECONDS);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
        } catch (UnsupportedOperationException notOnThisSystem) {
            // The system's defaults, then.
        }
    }
}
