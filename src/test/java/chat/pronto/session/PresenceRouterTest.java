package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;
import chat.pronto.model.Status;
import chat.pronto.presence.PeerEvent;

class PresenceRouterTest {
    private static PeerAdvert advert(String name) {
        return new PeerAdvert(PeerId.of(name), List.of(), 5298, Status.AVAILABLE, "", null, null, null, null, null,
                Optional.empty());
    }

    /**
     * Every name announced on the link used to get a session of its own (with its lane and an outbox
     * query), kept for ever: a flood of made-up names grew them without bound. A peer we have nothing
     * for gets none; it gets one when we write to it or it opens a stream.
     */
    @Test
    void peersThatAppearWithNothingToSendGetNoSession() {
        AtomicInteger made = new AtomicInteger();
        PeerSessions sessions = new PeerSessions(peer -> {
            made.incrementAndGet();
            throw new AssertionError("no session should be made for " + peer);
        });
        PresenceRouter router = new PresenceRouter(sessions, new RecordingSessionEvents(), renamed -> { });

        for (int i = 0; i < 1000; i++) {
            router.onPeerEvent(new PeerEvent.Appeared(advert("fake" + i + "@flood")));
            router.onPeerEvent(new PeerEvent.Updated(advert("fake" + i + "@flood")));
        }

        assertEquals(0, made.get());
        assertTrue(sessions.all().isEmpty());
    }
}
