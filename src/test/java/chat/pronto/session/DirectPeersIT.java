package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.model.Contact;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.InviteLink;
import chat.pronto.model.LinkSecurity;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.SavedPeer;
import chat.pronto.model.Status;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/**
 * Peers that mDNS does not show each other (each on a link of its own, as on two subnets): added by
 * address or by invite link, they chat encrypted, see each other's status over the stream, and find
 * each other again after both restart.
 */
class DirectPeersIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<ChatCore> cores = new ArrayList<>();

    private ChatCore track(ChatCore core) {
        cores.add(core);
        return core;
    }

    @AfterEach
    void stopAll() {
        cores.parallelStream().forEach(ChatCore::close);
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static Contact awaitContact(ChatCore core, PeerId peer, java.util.function.Predicate<Contact> condition) {
        return core.events.await(ChatEvent.ContactChanged.class,
                changed -> changed.contact().id().equals(peer) && condition.test(changed.contact())).contact();
    }

    private static void awaitGone(ChatCore core, PeerId peer) {
        core.events.await(ChatEvent.ContactGone.class, gone -> gone.id().equals(peer));
    }

    @Test
    void addedByAddressTheyChatEncryptedSeeStatusAndComeBackAfterBothRestart() throws Exception {
        int alicePort = freePort();
        int bobPort = freePort();
        ChatCore alice = track(ChatCore.on(new FakeLink(), "alice@subnet-a").port(alicePort).start());
        ChatCore bob = track(ChatCore.on(new FakeLink(), "bob@subnet-b").port(bobPort).start());

        PeerId found = alice.chat.addByAddress("127.0.0.1:" + bobPort).get(20, TimeUnit.SECONDS);
        assertEquals(bob.id(), found, "the name comes from the stream");
        Contact bobSeen = awaitContact(alice, bob.id(), contact -> contact.online() && contact.direct()
                && contact.link() == LinkSecurity.ENCRYPTED);
        assertTrue(bobSeen.key().isPresent(), "its key is pinned on first use");
        assertFalse(bobSeen.verified(), "by address alone, nobody compared the key");
        awaitContact(bob, alice.id(), contact -> contact.online() && contact.direct()
                && contact.link() == LinkSecurity.ENCRYPTED);

        String id = alice.chat.send(bob.id(), "hello across the router").get(5, TimeUnit.SECONDS).id();
        assertEquals("hello across the router", bob.events.awaitReceived("hello across the router").body());
        alice.events.awaitState(id, DeliveryState.DELIVERED);
        String back = bob.chat.send(alice.id(), "hi back").get(5, TimeUnit.SECONDS).id();
        alice.events.awaitReceived("hi back");
        bob.events.awaitState(back, DeliveryState.DELIVERED);

        bob.chat.updatePresence(bob.chat.ownPresence().withStatus(Status.AWAY, "at lunch"));
        awaitContact(alice, bob.id(), contact -> contact.status() == Status.AWAY
                && contact.advert().orElseThrow().message().equals("at lunch"));

        assertEquals(List.of(new SavedPeer(bob.id(), "127.0.0.1", bobPort, SavedPeer.Origin.ADDRESS)),
                alice.chat.savedPeers().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(new SavedPeer(alice.id(), "127.0.0.1", alicePort, SavedPeer.Origin.REACHED_US)),
                bob.chat.savedPeers().get(5, TimeUnit.SECONDS), "bob can dial alice back: she told him her port");

        alice.close();
        awaitGone(bob, alice.id());
        bob.close();

        // Bob comes back first; alice, coming back later, is found again by him (he saved her).
        ChatCore bobAgain = track(ChatCore.on(new FakeLink(), "bob@subnet-b").port(bobPort).data(bob.data).start());
        ChatCore aliceAgain = track(ChatCore.on(new FakeLink(), "alice@subnet-a").port(alicePort).data(alice.data)
                .start());
        awaitContact(aliceAgain, bob.id(), contact -> contact.online() && contact.link() == LinkSecurity.ENCRYPTED);
        awaitContact(bobAgain, alice.id(), contact -> contact.online() && contact.link() == LinkSecurity.ENCRYPTED);
        String again = aliceAgain.chat.send(bob.id(), "we are back").get(5, TimeUnit.SECONDS).id();
        bobAgain.events.awaitReceived("we are back");
        aliceAgain.events.awaitState(again, DeliveryState.DELIVERED);
    }

    @Test
    void aMessageToASavedPeerThatIsAwayWaitsAndGoesOutWhenItIsBack() throws Exception {
        int bobPort = freePort();
        ChatCore alice = track(ChatCore.on(new FakeLink(), "alice@subnet-a").start());
        ChatCore bob = track(ChatCore.on(new FakeLink(), "bob@subnet-b").port(bobPort).start());
        alice.chat.addByAddress("127.0.0.1:" + bobPort).get(20, TimeUnit.SECONDS);
        bob.close();
        awaitGone(alice, bob.id());
        assertTrue(alice.chat.contact(bob.id()).get(5, TimeUnit.SECONDS).isEmpty()
                || alice.chat.contact(bob.id()).get(5, TimeUnit.SECONDS).get().direct(), "still saved");

        String id = alice.chat.send(bob.id(), "while you were out").get(5, TimeUnit.SECONDS).id();
        ChatCore bobAgain = track(ChatCore.on(new FakeLink(), "bob@subnet-b").port(bobPort).data(bob.data).start());
        assertEquals("while you were out", bobAgain.events.awaitReceived("while you were out").body());
        alice.events.awaitState(id, DeliveryState.DELIVERED);
    }

    @Test
    void anInviteLinkAddsThePeerWithItsKeyAlreadyVerified() throws Exception {
        ChatCore alice = track(ChatCore.on(new FakeLink(), "alice@subnet-a").start());
        ChatCore bob = track(ChatCore.on(new FakeLink(), "bob@subnet-b").start());
        InviteLink bobs = new InviteLink(bob.id(), bob.chat.ownFingerprint().get(5, TimeUnit.SECONDS),
                bob.chat.port(), List.of("127.0.0.1"));

        assertEquals(bob.id(), alice.chat.openInvite(bobs.format()).get(20, TimeUnit.SECONDS));
        Contact seen = awaitContact(alice, bob.id(), contact -> contact.online()
                && contact.link() == LinkSecurity.ENCRYPTED);
        assertTrue(seen.verified(), "the link carried the key");
        assertFalse(seen.keyIsNew());
        assertEquals(SavedPeer.Origin.INVITE, alice.chat.savedPeers().get(5, TimeUnit.SECONDS).get(0).origin());
        alice.chat.send(bob.id(), "from the link").get(5, TimeUnit.SECONDS);
        bob.events.awaitReceived("from the link");

        alice.chat.unmarkVerified(bob.id()).get(5, TimeUnit.SECONDS);
        assertFalse(alice.chat.contact(bob.id()).get(5, TimeUnit.SECONDS).orElseThrow().verified());
        alice.chat.markVerified(bob.id(), bobs.fingerprint()).get(5, TimeUnit.SECONDS);
        assertTrue(alice.chat.contact(bob.id()).get(5, TimeUnit.SECONDS).orElseThrow().verified());
        ExecutionException wrong = assertThrows(ExecutionException.class, () -> alice.chat.markVerified(bob.id(),
                "ab".repeat(32)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, wrong.getCause());
    }

    @Test
    void anInviteLinkWithAWrongKeyIsRefusedWithTheKeyChangedFlow() throws Exception {
        ChatCore alice = track(ChatCore.on(new FakeLink(), "alice@subnet-a").start());
        ChatCore bob = track(ChatCore.on(new FakeLink(), "bob@subnet-b").start());
        InviteLink forged = new InviteLink(bob.id(), "cd".repeat(32), bob.chat.port(), List.of("127.0.0.1"));

        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> alice.chat.openInvite(forged.format()).get(20, TimeUnit.SECONDS));
        NotSentException why = assertInstanceOf(NotSentException.class, refused.getCause());
        assertEquals(Problem.Kind.KEY_CHANGED, why.problem().kind());
        ChatEvent.KeyChanged changed = alice.events.await(ChatEvent.KeyChanged.class,
                event -> event.peer().equals(bob.id()));
        assertTrue(changed.wasVerified(), "the link's key was taken as verified: its change is the strong warning");
        assertTrue(alice.chat.savedPeers().get(5, TimeUnit.SECONDS).isEmpty(), "not saved");
        assertFalse(alice.chat.contact(bob.id()).get(5, TimeUnit.SECONDS).map(Contact::online).orElse(false));

        // A link whose key differs from the one already pinned for that name is refused before any dial.
        alice.chat.acceptNewKey(bob.id(), changed.presented()).get(5, TimeUnit.SECONDS);
        alice.events.clear();
        ExecutionException pinned = assertThrows(ExecutionException.class,
                () -> alice.chat.openInvite(forged.format()).get(20, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, pinned.getCause());
        assertFalse(alice.events.await(ChatEvent.KeyChanged.class, event -> event.peer().equals(bob.id()))
                .wasVerified(), "the key pinned now was accepted by hand, not verified");
    }

    @Test
    void badAddressesAndDeadEndsFailWithAReason() throws Exception {
        ChatCore alice = track(ChatCore.on(new FakeLink(), "alice@subnet-a").start());
        ExecutionException malformed = assertThrows(ExecutionException.class,
                () -> alice.chat.addByAddress("10.0.0.1:99999").get(5, TimeUnit.SECONDS));
        assertTrue(malformed.getCause().getMessage().contains("65535"), malformed.getCause().getMessage());
        ExecutionException nobody = assertThrows(ExecutionException.class,
                () -> alice.chat.addByAddress("127.0.0.1:" + freePort()).get(20, TimeUnit.SECONDS));
        assertEquals(Problem.Kind.CANNOT_CONNECT,
                assertInstanceOf(NotSentException.class, nobody.getCause()).problem().kind());
        ExecutionException self = assertThrows(ExecutionException.class,
                () -> alice.chat.addByAddress("127.0.0.1:" + alice.chat.port()).get(20, TimeUnit.SECONDS));
        assertInstanceOf(NotSentException.class, self.getCause());
        assertTrue(alice.chat.savedPeers().get(5, TimeUnit.SECONDS).isEmpty());
        ExecutionException link = assertThrows(ExecutionException.class,
                () -> alice.chat.openInvite("xmpp:bob@b?pronto;v=1;port=5298;addr=10.0.0.2").get(5, TimeUnit.SECONDS));
        assertEquals("the link carries no key fingerprint (fp=)", link.getCause().getMessage());
    }

    @Test
    void aForgottenPeerStaysOffTheListWhileItKeepsTalkingAndLeavesItWhenOffline() throws Exception {
        int bobPort = freePort();
        ChatCore alice = track(ChatCore.on(new FakeLink(), "alice@subnet-a").start());
        ChatCore bob = track(ChatCore.on(new FakeLink(), "bob@subnet-b").port(bobPort).start());
        alice.chat.addByAddress("127.0.0.1:" + bobPort).get(20, TimeUnit.SECONDS);
        awaitContact(alice, bob.id(), contact -> contact.online() && contact.link() == LinkSecurity.ENCRYPTED);
        alice.chat.forgetPeer(bob.id()).get(5, TimeUnit.SECONDS);
        assertTrue(alice.chat.savedPeers().get(5, TimeUnit.SECONDS).isEmpty());

        // Bob's presence (it carries his port) still comes over the open stream: it does not save him again.
        bob.chat.updatePresence(bob.chat.ownPresence().withStatus(Status.DO_NOT_DISTURB, "busy"));
        awaitContact(alice, bob.id(), contact -> contact.status() == Status.DO_NOT_DISTURB);
        assertTrue(alice.chat.savedPeers().get(5, TimeUnit.SECONDS).isEmpty(), "forgotten stays forgotten");

        bob.chat.forgetPeer(alice.id()).get(5, TimeUnit.SECONDS);
        bob.close();
        awaitGone(alice, bob.id());
        assertTrue(alice.chat.contacts().get(5, TimeUnit.SECONDS).stream().noneMatch(c -> c.id().equals(bob.id())),
                "neither online nor saved: gone from the list");
    }
}
