package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.model.AvatarHash;
import chat.pronto.model.Contact;
import chat.pronto.model.PeerAdvert;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;

/** Pictures through the chat service: publish, arrival as a contact event, the cache across restarts. */
class AvatarSessionIT {
    private final FakeLink link = new FakeLink();
    private final List<ChatCore> cores = new ArrayList<>();

    private ChatCore track(ChatCore core) {
        cores.add(core);
        return core;
    }

    @AfterEach
    void stopAll() {
        cores.parallelStream().forEach(ChatCore::close);
    }

    private static Optional<String> phsh(Contact contact) {
        return contact.advert().flatMap(PeerAdvert::avatarHash);
    }

    @Test
    void aPeersPictureArrivesAsAContactChangeAndIsFetchedOnceEvenAcrossARestart() throws Exception {
        ChatCore alice = track(ChatCore.on(link, "alice@hosta").start());
        ChatCore bob = track(ChatCore.on(link, "bob@hostb").start());
        byte[] face = "alice's face, a PNG in real life".getBytes();
        String hash = AvatarHash.of(face);

        alice.chat.setAvatar(Optional.of(face)).get(5, TimeUnit.SECONDS);
        assertEquals(Optional.of(hash), alice.chat.ownPresence().avatarHash());
        assertArrayEquals(face, alice.chat.avatar(alice.id()).get(5, TimeUnit.SECONDS).orElseThrow(), "our own");

        Contact arrived = bob.events.await(ChatEvent.ContactChanged.class,
                changed -> changed.contact().id().equals(alice.id()) && changed.contact().avatar().isPresent()).contact();
        assertEquals(Optional.of(hash), arrived.avatar());
        assertEquals(Optional.of(hash), phsh(arrived));
        assertArrayEquals(face, bob.chat.avatar(alice.id()).get(5, TimeUnit.SECONDS).orElseThrow());
        assertEquals(List.of("alice@hosta " + hash), bob.presence.fetched);

        alice.chat.updatePresence(alice.chat.ownPresence().withStatus(chat.pronto.model.Status.AWAY, "lunch"));
        bob.events.await(ChatEvent.ContactChanged.class,
                changed -> changed.contact().status() == chat.pronto.model.Status.AWAY);
        assertEquals(Optional.of(hash), alice.chat.ownPresence().avatarHash(), "a status change keeps the picture");
        assertEquals(1, bob.presence.fetched.size(), "not fetched again for a status change");

        bob.close();
        ChatCore bobAgain = track(ChatCore.on(link, "bob@hostb").data(bob.data).start());
        Contact again = bobAgain.events.await(ChatEvent.ContactChanged.class,
                changed -> changed.contact().id().equals(alice.id()) && changed.contact().avatar().isPresent()).contact();
        assertEquals(Optional.of(hash), again.avatar());
        assertTrue(bobAgain.presence.fetched.isEmpty(), "taken from the cache: " + bobAgain.presence.fetched);

        alice.chat.setAvatar(Optional.empty()).get(5, TimeUnit.SECONDS);
        bobAgain.events.await(ChatEvent.ContactChanged.class,
                changed -> changed.contact().id().equals(alice.id()) && changed.contact().avatar().isEmpty()
                        && phsh(changed.contact()).isEmpty());
        assertTrue(bobAgain.chat.avatar(alice.id()).get(5, TimeUnit.SECONDS).isEmpty());
        assertTrue(alice.chat.ownPresence().avatarHash().isEmpty());
    }

    @Test
    void aPictureTooLargeIsRefusedWithAClearReason() throws Exception {
        ChatCore alice = track(ChatCore.on(link, "alice@hosta").start());
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> alice.chat.setAvatar(Optional.of(new byte[70_000])).get(5, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof IllegalArgumentException);
        assertTrue(refused.getCause().getMessage().contains("70000 bytes"), refused.getCause().getMessage());
        assertTrue(alice.chat.ownPresence().avatarHash().isEmpty());
    }
}
