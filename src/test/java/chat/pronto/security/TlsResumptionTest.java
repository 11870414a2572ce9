package chat.pronto.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The next stream with a peer resumes the TLS session (no certificates, no signatures), and that
 * never lets a key past its pin: the session's key is checked again after every handshake, and a
 * session is resumed only in the names it was begun in.
 */
class TlsResumptionTest {
    private static final Identity ALICE = Identity.generate("alice@one");
    private static final Identity BOB = Identity.generate("bob@two");

    private final ExecutorService recipient = Executors.newSingleThreadExecutor(run -> new Thread(run, "test-tls-recipient"));
    private final KnownPeers alicesPins = KnownPeers.inMemory();
    private final KnownPeers bobsPins = KnownPeers.inMemory();
    private final TlsContexts alices = new TlsContexts(ALICE, alicesPins);
    private final TlsContexts bobs = new TlsContexts(BOB, bobsPins);

    /** One listening port for every stream, as a peer's advertised one: the dialer keeps sessions per address and port. */
    private final ServerSocket server;

    TlsResumptionTest() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        recipient.shutdownNow();
        server.close();
    }

    @Test
    void theNextStreamWithThePeerResumesAndBothSidesStillKnowTheKey() throws Exception {
        Handshake first = handshake(alices.forPeer("alice@one", "bob@two"), bobs.forPeer("bob@two", "alice@one"));
        assertFalse(first.dialer.resumed());
        assertFalse(first.dialed.resumed());

        Handshake second = handshake(alices.forPeer("alice@one", "bob@two"), bobs.forPeer("bob@two", "alice@one"));

        assertTrue(second.dialer.resumed(), "the dialer offered the session it has");
        assertTrue(second.dialed.resumed(), "the dialed side took it");
        assertEquals(Optional.of(BOB.fingerprint()), second.dialer.peerKey());
        assertEquals(Optional.of(ALICE.fingerprint()), second.dialed.peerKey());
        assertInstanceOf(PinCheck.Match.class, second.dialer.pinCheck().orElseThrow());
        assertInstanceOf(PinCheck.Match.class, second.dialed.pinCheck().orElseThrow());
    }

    @Test
    void aResumedSessionWhoseKeyIsNoLongerThePinIsRefusedAndNeverOfferedAgain() throws Exception {
        handshake(alices.forPeer("alice@one", "bob@two"), bobs.forPeer("bob@two", "alice@one"));
        // The stream is being set up when the pin changes (say, the user accepted another key for the
        // name meanwhile): its context was chosen under the old pin, and holds the old session.
        PeerTls refusedResume = alices.forPeer("alice@one", "bob@two");
        Fingerprint other = Identity.generate("bob@two").fingerprint();
        alicesPins.forget("bob@two");
        alicesPins.pin("bob@two", other);

        Refused refused = assertThrows(Refused.class,
                () -> handshake(refusedResume, bobs.forPeer("bob@two", "alice@one")));
        assertTrue(refusedResume.resumed(), "this one was resumed, so only the check after it could refuse it");
        assertKeyChanged(refused, other);

        PeerTls next = alices.forPeer("alice@one", "bob@two");
        Refused again = assertThrows(Refused.class,
                () -> handshake(next, bobs.forPeer("bob@two", "alice@one")));
        assertFalse(next.resumed(), "the refused session was dropped: a full handshake, refused by the trust manager");
        assertKeyChanged(again, other);
        assertEquals(Optional.of(other), alicesPins.pinned("bob@two"));
    }

    /**
     * A pin that appears after a context was made (there was none at the first contact, say the user
     * set one by hand) is a change like any other: the first contact's session is not resumed against it.
     * (It was: the context adopted the new pin, its sessions were resumed, and only the check after
     * the handshake refused them, at every attempt.)
     */
    @Test
    void aPinThatAppearedAfterTheFirstContactIsNeverMetWithTheFirstContactsSession() throws Exception {
        handshake(alices.forPeer("alice@one", "bob@two"), bobs.forPeer("bob@two", "alice@one"));
        bobsPins.forget("alice@one");
        Fingerprint other = Identity.generate("alice@one").fingerprint();
        bobsPins.pin("alice@one", other);

        for (int attempt = 1; attempt <= 2; attempt++) {
            PeerTls dialed = bobs.forPeer("bob@two", "alice@one");
            Refused refused = assertThrows(Refused.class, () -> handshake(alices.forPeer("alice@one", "bob@two"), dialed));
            assertFalse(dialed.resumed(), "attempt " + attempt + ": a full handshake, refused by the trust manager");
            PeerKeyChangedException changed = refused.cause(PeerKeyChangedException.class)
                    .orElseThrow(() -> new AssertionError("not a changed key: " + refused.getMessage()));
            assertEquals(other, changed.pinned());
            assertEquals(ALICE.fingerprint(), changed.presented());
        }
    }

    /**
     * A session refused after a resumed handshake takes its context with it: on the accepting side the
     * session lives in a stateless ticket the dialer holds, so invalidating it there stops nothing;
     * only new ticket keys do. (Here the pin changes between the set-up and the handshake.)
     */
    @Test
    void aSessionRefusedAfterResumingTakesItsContextWithIt() throws Exception {
        handshake(alices.forPeer("alice@one", "bob@two"), bobs.forPeer("bob@two", "alice@one"));
        PeerTls dialer = alices.forPeer("alice@one", "bob@two");
        PeerTls dialed = bobs.forPeer("bob@two", "alice@one");
        bobsPins.forget("alice@one");
        bobsPins.pin("alice@one", Identity.generate("alice@one").fingerprint());

        assertThrows(Refused.class, () -> handshake(dialer, dialed));

        assertTrue(dialed.resumed(), "resumed, so only the check after the handshake could refuse it");
        assertFalse(bobs.keeps("bob@two", "alice@one"), "the refused session's context was dropped");
        assertTrue(alices.keeps("alice@one", "bob@two"), "the dialer refused nothing: its context stays");
    }

    /**
     * Names claimed by streams that never finished a handshake (a stream header can claim any name
     * before anything is proven) take no place among the kept contexts: the real peer's stays.
     */
    @Test
    void namesClaimedWithoutAHandshakeDoNotPushARealPeersContextOut() throws Exception {
        handshake(alices.forPeer("alice@one", "bob@two"), bobs.forPeer("bob@two", "alice@one"));
        for (int i = 0; i <= TlsContexts.MAX_KEPT; i++) {
            bobs.forPeer("bob@two", "claimed-" + i + "@nowhere");
        }

        Handshake again = handshake(alices.forPeer("alice@one", "bob@two"), bobs.forPeer("bob@two", "alice@one"));

        assertTrue(again.dialed.resumed(), "alice's context was kept, and her session with it");
        assertFalse(bobs.keeps("bob@two", "claimed-0@nowhere"));
    }

    @Test
    void aSessionBegunInOneNameIsNotResumedInAnother() throws Exception {
        handshake(alices.forPeer("alice@one", "bob@two"), bobs.forPeer("bob@two", "alice@one"));

        // The same dialer comes back with the ticket, but its stream header now claims carol's name.
        PeerTls asCarol = bobs.forPeer("bob@two", "carol@three");
        Refused refused = assertThrows(Refused.class,
                () -> handshake(alices.forPeer("alice@one", "bob@two"), asCarol));

        assertFalse(asCarol.resumed(), "carol's context cannot read a ticket made for alice");
        assertTrue(refused.getMessage().contains("names alice@one, not carol@three"), refused.getMessage());
        assertEquals(Optional.empty(), bobsPins.pinned("carol@three"));
    }

    private static void assertKeyChanged(Refused thrown, Fingerprint pinned) {
        PeerKeyChangedException changed = thrown.cause(PeerKeyChangedException.class)
                .orElseThrow(() -> new AssertionError("not a changed key: " + thrown.getMessage()));
        assertEquals(pinned, changed.pinned());
        assertEquals(BOB.fingerprint(), changed.presented());
    }

    private record Handshake(PeerTls dialer, PeerTls dialed) {
    }

    /** A handshake failed: what each side threw (the refusing side's reason, the other's closed socket). */
    private static final class Refused extends Exception {
        Refused(IOException dialer, Throwable dialed) {
            super("dialer: " + chain(dialer) + "; dialed: " + chain(dialed));
            if (dialer != null) {
                addSuppressed(dialer);
            }
            if (dialed != null) {
                addSuppressed(dialed);
            }
        }

        <T extends Throwable> Optional<T> cause(Class<T> type) {
            for (Throwable side : getSuppressed()) {
                for (Throwable cause = side; cause != null; cause = cause.getCause()) {
                    if (type.isInstance(cause)) {
                        return Optional.of(type.cast(cause));
                    }
                }
            }
            return Optional.empty();
        }

        private static String chain(Throwable thrown) {
            StringBuilder all = new StringBuilder();
            for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
                all.append(cause).append(" <- ");
            }
            return all.toString();
        }
    }

    /**
     * A TCP connection to {@link #server} upgraded by both sides, one byte each way (so that the dialer
     * reads the session ticket sent after the handshake), then closed.
     */
    private Handshake handshake(PeerTls dialer, PeerTls dialed) throws Exception {
        Future<Void> answered = recipient.submit(() -> {
            try (Socket plain = server.accept()) {
                plain.setSoTimeout(10_000);
                try (SSLSocket tls = dialed.upgradeAsRecipient(plain)) {
                    tls.getOutputStream().write(1);
                    tls.getOutputStream().flush();
                    tls.getInputStream().read();
                }
            }
            return null;
        });
        IOException dialerFailed = null;
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            plain.setSoTimeout(10_000);
            try (SSLSocket tls = dialer.upgradeAsInitiator(plain)) {
                tls.getInputStream().read();
                tls.getOutputStream().write(1);
                tls.getOutputStream().flush();
            }
        } catch (IOException e) {
            dialerFailed = e;
        }
        Throwable dialedFailed = null;
        try {
            answered.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            dialedFailed = e.getCause();
        }
        if (dialerFailed != null || dialedFailed != null) {
            throw new Refused(dialerFailed, dialedFailed);
        }
        return new Handshake(dialer, dialed);
    }
}
