package chat.pronto.stream;

import java.net.InetSocketAddress;
import java.util.Optional;

import chat.pronto.security.Fingerprint;

/**
 * What a stream turned out to be once negotiated.
 *
 * @param peer        the peer's instance name ({@code user@machine})
 * @param peerKey     the key the peer proved it holds, for encrypted streams
 * @param tlsProtocol for example {@code TLSv1.3}; empty when unencrypted
 * @param localAddress our end of the connection: an address the peer can reach (file transfers listen there)
 * @param tlsResumed  the TLS handshake resumed an earlier session with the peer (no certificates
 *                    exchanged; the session's key was checked against the pin all the same)
 */
public record StreamInfo(String peer, Role role, StreamSecurity security, Optional<Fingerprint> peerKey,
                         Optional<String> tlsProtocol, Optional<String> cipherSuite, String streamId,
                         InetSocketAddress remoteAddress, InetSocketAddress localAddress,
                         boolean tlsResumed) {
}
