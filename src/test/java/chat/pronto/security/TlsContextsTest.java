package chat.pronto.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TlsContextsTest {
    @Test
    void ourKeyIsAskedForAtTheFirstStreamNotBefore() {
        Identity alice = Identity.generate("alice@one");
        AtomicInteger asked = new AtomicInteger();
        TlsContexts contexts = new TlsContexts(() -> {
            asked.incrementAndGet();
            return alice;
        }, KnownPeers.inMemory());

        assertEquals(0, asked.get(), "made without reading the key");
        assertFalse(contexts.isPinned("bob@two"));
        assertEquals(0, asked.get(), "a pin check needs no key of ours");

        PeerTls tls = contexts.forPeer("alice@one", "bob@two");

        assertEquals(1, asked.get());
        assertTrue(tls.peerKey().isEmpty(), "no handshake yet");
    }
}
