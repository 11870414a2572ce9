package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jivesoftware.smackx.caps.EntityCapsManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.TypingState;
import chat.pronto.stream.Encryption;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.FakePresence;
import chat.pronto.testing.RawPeer;
import chat.pronto.testing.RecordingChatListener;
import chat.pronto.testing.Scratch;

/** What a Pronto core does with what peers send: who may speak, legacy clients, receipts, IQs, keys. */
class ChatProtocolIT {
    private static final Duration WAIT = RecordingChatListener.WAIT;
    private static final String PIDGIN_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<stream:stream"
            + " xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\" from=\"%s\" to=\"%s\">";

    private final FakeLink link = new FakeLink();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private ChatCore start(ChatCore.Builder builder) throws Exception {
        return track(builder.start());
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() {
        resources.parallelStream().forEach(resource -> {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Closing after the test; nothing to assert.
            }
        });
    }

    /** Someone on the link that advertises {@code name} at {@code address} and {@code port}. */
    private FakePresence advertise(String name, String address, int port) throws Exception {
        FakePresence presence = track(new FakePresence(link, InetAddress.getByName(address)));
        presence.start(PeerId.of(name), OwnPresence.available(name), port);
        return presence;
    }

    private static InetSocketAddress address(ChatCore core) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), core.chat.port());
    }

    /** A Pidgin-like peer (no version, no features, no TLS) that dialed {@code core} as {@code name}. */
    private RawPeer pidginDialing(ChatCore core, String name) throws Exception {
        RawPeer peer = track(RawPeer.connect(address(core)));
        peer.send(PIDGIN_HEADER.formatted(name, core.id()));
        peer.readUntil("<stream:stream");
        return peer;
    }

    @Test
    void refusesAStreamWhoseSourceAddressIsNotOneItsFromPublishes() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("alice@hosta", "127.0.0.2", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("alice@hosta"));

        // Connects from 127.0.0.1 while alice publishes 127.0.0.2.
        RawPeer impostor = track(RawPeer.connect(address(bob)));
        impostor.send(PIDGIN_HEADER.formatted("alice@hosta", "bob@hostb"));
        assertTrue(impostor.readUntil("</stream:stream>").contains("<invalid-from"));
        assertTrue(impostor.closedWithin(WAIT));
    }

    @Test
    void aNameNobodyPublishesMustEncryptSoAPlainTextStreamInItIsRefused() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        RawPeer stranger = track(RawPeer.connect(address(bob)));
        stranger.send(PIDGIN_HEADER.formatted("ghost@nowhere", "bob@hostb"));
        String answer = stranger.readUntil("</stream:stream>");
        assertTrue(answer.contains("<policy-violation"), answer);
        assertTrue(answer.contains("not show"), "says why: " + answer);

        RawPeer modern = track(RawPeer.connect(address(bob)));
        modern.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' from='ghost@nowhere' to='bob@hostb' version='1.0'>");
        String features = modern.readUntil("</stream:features>");
        assertTrue(features.contains("<required/>"), "STARTTLS is a must for it: " + features);
        modern.send("<message type='chat' to='bob@hostb'><body>plain text from nowhere</body></message>");
        assertTrue(modern.readUntil("</stream:stream>").contains("<policy-violation"));
        assertTrue(bob.events.find(ChatEvent.MessageAdded.class, added -> true).isEmpty(), "nothing taken");
    }

    @Test
    void aNameThatTalkedUnencryptedBeforeIsNotTakenFromOutsideTheNetwork() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        FakePresence old = advertise("old@pidgin", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("old@pidgin"));
        RawPeer pidgin = pidginDialing(bob, "old@pidgin");
        pidgin.send("<message type='chat'><body>hi from pidgin</body></message>");
        bob.events.awaitReceived("hi from pidgin");
        pidgin.close();
        old.close();
        bob.events.await(ChatEvent.ContactGone.class, gone -> gone.id().name().equals("old@pidgin"));

        RawPeer claimant = track(RawPeer.connect(address(bob)));
        claimant.send(PIDGIN_HEADER.formatted("old@pidgin", "bob@hostb"));
        String answer = claimant.readUntil("</stream:stream>");
        assertTrue(answer.contains("<invalid-from") && answer.contains("unencrypted before"), answer);
    }

    @Test
    void aStreamWithoutFromIsAcceptedOnlyWhenItsAddressBelongsToExactlyOnePeer() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("ichat@mac", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("ichat@mac"));
        String iChatHeader = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>";

        RawPeer iChat = track(RawPeer.connect(address(bob)));
        iChat.send(iChatHeader).readUntil("<stream:stream");
        iChat.send("<message type='chat'><body>no from anywhere</body></message>");
        ChatMessage received = bob.events.awaitReceived("no from anywhere");
        assertEquals("ichat@mac", received.peer().name(), "the only peer publishing 127.0.0.1");

        advertise("other@mac", "127.0.0.1", 5299);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("other@mac"));
        RawPeer ambiguous = track(RawPeer.connect(address(bob)));
        assertTrue(ambiguous.send(iChatHeader).readUntil("</stream:stream>").contains("<invalid-from"));
    }

    @Test
    void aStanzaThatClaimsAnotherSenderEndsTheStream() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("mallory@hostm", "127.0.0.1", 5298);
        advertise("alice@hosta", "127.0.0.1", 5297);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("alice@hosta"));

        RawPeer mallory = pidginDialing(bob, "mallory@hostm");
        mallory.send("<message type='chat' from='alice@hosta' id='x1'><body>it is me, alice</body></message>");
        assertTrue(mallory.readUntil("</stream:stream>").contains("<invalid-from"));
        assertTrue(bob.events.received().isEmpty(), "nothing is shown as alice's");
    }

    @Test
    void pidginsMessageShowsOnceWithoutItsXhtmlCopyAndItsEventRequestIsNotTyping() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("pidgin@hostp", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("pidgin@hostp"));

        RawPeer pidgin = pidginDialing(bob, "pidgin@hostp");
        pidgin.send("<message to='bob@hostb' from='pidgin@hostp' type='chat'><body>hello &amp; welcome</body>"
                + "<html xmlns='http://www.w3.org/1999/xhtml'><body><font>hello &amp; welcome</font></body></html>"
                + "<x xmlns='jabber:x:event'><composing/></x></message>");
        ChatMessage received = bob.events.awaitReceived("hello & welcome");
        assertEquals("pidgin@hostp", received.peer().name());
        bob.events.await(ChatEvent.Typing.class, t -> t.state() == TypingState.ACTIVE);
        assertFalse(bob.events.find(ChatEvent.Typing.class, t -> t.state() == TypingState.COMPOSING).isPresent(),
                "an event request inside a message is not typing");

        // Pidgin's typing notification: no body, <composing/> with an <id/>.
        pidgin.send("<message from='pidgin@hostp' type='chat'><x xmlns='jabber:x:event'><composing/><id/></x>"
                + "</message>");
        bob.events.await(ChatEvent.Typing.class, t -> t.state() == TypingState.COMPOSING);
        assertEquals(1, bob.events.received().size(), "the XHTML copy is not a second message");

        // Presence over the stream is accepted (status comes from mDNS), and nothing is asked of a
        // legacy peer, which would never answer.
        pidgin.send("<presence from='pidgin@hostp'><show>away</show></presence>");
        pidgin.send("<message from='pidgin@hostp' type='chat'><body>done</body></message>");
        bob.events.awaitReceived("done");
        assertFalse(pidgin.received().contains("<iq"), "no IQ to a peer that never answers them");
    }

    @Test
    void aDuplicateAfterAReconnectIsShownOnceAndAcknowledgedTwice() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("carol@hostc", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("carol@hostc"));
        String message = "<message from='carol@hostc' type='chat' id='m-1'><body>only once</body>"
                + "<request xmlns='urn:xmpp:receipts'/></message>";

        RawPeer first = pidginDialing(bob, "carol@hostc");
        first.send(message).readUntil("<received xmlns='urn:xmpp:receipts' id='m-1'/>");
        first.send("</stream:stream>").closedWithin(WAIT);
        RawPeer second = pidginDialing(bob, "carol@hostc");
        second.send(message).readUntil("<received xmlns='urn:xmpp:receipts' id='m-1'/>");
        second.send("<message from='carol@hostc' type='chat' id='m-2'><body>next</body></message>");
        bob.events.awaitReceived("next");

        assertEquals(List.of("only once", "next"),
                bob.events.received().stream().map(ChatMessage::body).toList());
        assertEquals(2, bob.chat.latest(PeerId.of("carol@hostc"), 10).get().size());
    }

    @Test
    void answersDiscoInfoPingAndVersionAndRefusesUnknownRequests() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("dave@hostd", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("dave@hostd"));
        RawPeer dave = pidginDialing(bob, "dave@hostd");

        dave.send("<iq type='get' id='d1' from='dave@hostd'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        String disco = dave.readUntil("id='d1'");
        dave.readUntil("</iq>");
        DiscoverInfo info = (DiscoverInfo) org.jivesoftware.smack.util.PacketParserUtils.parseStanza(
                dave.received().substring(dave.received().indexOf("<iq")).replaceFirst("(?s)</iq>.*", "</iq>"));
        assertTrue(info.containsFeature("urn:xmpp:receipts"));
        assertTrue(info.containsFeature("http://jabber.org/protocol/chatstates"));
        assertTrue(info.hasIdentity("client", "pc"));
        // The caps we publish in TXT are the hash of exactly this answer (checked by Smack's verifier).
        String ver = bob.chat.ownPresence().capabilities().orElseThrow().ver();
        assertTrue(EntityCapsManager.verifyDiscoverInfoVersion(ver, "sha-1", info), disco);

        dave.send("<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertTrue(dave.readUntil("id='p1'").matches("(?s).*<iq[^>]*type='result'[^>]*id='p1'.*|.*<iq[^>]*id='p1'[^>]*type='result'.*"));
        dave.send("<iq type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>");
        assertTrue(dave.readUntil("<name>Pronto</name>").contains("id='v1'"));
        dave.send("<iq type='set' id='u1'><launch xmlns='urn:example:rockets'/></iq>");
        String received = dave.readUntil("service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        String unknown = received.substring(received.lastIndexOf("<iq "));
        unknown = unknown.substring(0, unknown.indexOf("</iq>") + "</iq>".length());
        // Well-formed (Smack's own error response once echoed the unknown child escaped inside a broken tag).
        org.jivesoftware.smack.packet.IQ answer = org.jivesoftware.smack.util.PacketParserUtils.parseStanza(unknown);
        assertEquals("u1", answer.getStanzaId());
        assertEquals(org.jivesoftware.smack.packet.IQ.Type.error, answer.getType());
    }

    /** A stanza for another instance name is not ours to show or answer: refused, and nobody is told. */
    @Test
    void aMessageAddressedToSomeoneElseIsRefusedNotShown() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("dave@hostd", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("dave@hostd"));
        RawPeer dave = pidginDialing(bob, "dave@hostd");
        dave.send("<message to='carol@hostc' type='chat' id='w1'><body>meant for Carol</body></message>");
        String refused = dave.readUntil("</message>");
        assertTrue(refused.contains("id='w1'") && refused.contains("type='error'")
                && refused.contains("service-unavailable"), refused);
        dave.send("<message to='bob@hostb' type='chat' id='r1'><body>meant for Bob</body></message>");
        bob.events.awaitReceived("meant for Bob");
        assertEquals(List.of("meant for Bob"), bob.events.received().stream().map(ChatMessage::body).toList());
    }

    /** RFC 6120 §8.1.3: an IQ must have an id; one without gets bad-request, not an answer it cannot match. */
    @Test
    void anIqWithoutAnIdGetsBadRequest() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("dave@hostd", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("dave@hostd"));
        RawPeer dave = pidginDialing(bob, "dave@hostd");
        dave.send("<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>");
        String answer = dave.readUntil("</iq>");
        assertTrue(answer.contains("type='error'") && answer.contains("bad-request"), answer);
    }

    /** Found by IncomingStanzaFuzzTest: Smack reads a payload in no namespace, but cannot write it again. */
    @Test
    void anIqWhosePayloadIsInNoNamespaceGetsBadRequestAndTheStreamGoesOn() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("dave@hostd", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("dave@hostd"));
        RawPeer dave = pidginDialing(bob, "dave@hostd");
        dave.send("<iq type='get' id='n1'><query xmlns=''/></iq>");
        String answer = dave.readUntil("</iq>");
        assertTrue(answer.contains("id='n1'") && answer.contains("type='error'") && answer.contains("bad-request"),
                answer);

        dave.send("<message to='bob@hostb' type='chat' id='after'><body>still here</body></message>");
        bob.events.awaitReceived("still here");
    }

    @Test
    void typingToSomeoneOpensTheStreamBeforeTheMessageIsSent() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        alice.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().equals(bob.id()));

        alice.chat.setTyping(bob.id(), TypingState.COMPOSING);
        alice.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().equals(bob.id())
                && c.contact().link() == chat.pronto.model.LinkSecurity.ENCRYPTED);
        ChatMessage hello = alice.chat.send(bob.id(), "hello").get();
        alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);
    }

    @Test
    void chatStatesFlowBothWaysBetweenTwoCores() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        ChatMessage hello = alice.chat.send(bob.id(), "hello").get();
        alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);

        bob.chat.setTyping(alice.id(), TypingState.COMPOSING);
        alice.events.await(ChatEvent.Typing.class, t -> t.peer().equals(bob.id()) && t.state() == TypingState.COMPOSING);
        bob.chat.setTyping(alice.id(), TypingState.PAUSED);
        alice.events.await(ChatEvent.Typing.class, t -> t.peer().equals(bob.id()) && t.state() == TypingState.PAUSED);
        alice.chat.setTyping(bob.id(), TypingState.GONE);
        bob.events.await(ChatEvent.Typing.class, t -> t.peer().equals(alice.id()) && t.state() == TypingState.GONE);
        assertEquals(1, bob.events.received().size(), "chat states are not messages");
    }

    @Test
    void aChangedKeyFailsTheMessageVisiblyUntilTheUserAcceptsIt() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        ChatMessage first = alice.chat.send(bob.id(), "first").get();
        alice.events.awaitState(first.id(), DeliveryState.DELIVERED);
        bob.close();
        alice.events.await(ChatEvent.ContactGone.class, gone -> gone.id().equals(bob.id()));

        // Someone else now calls itself bob@hostb, with another key.
        ChatCore otherBob = start(ChatCore.on(link, "bob@hostb").data(Scratch.directory("other-bob")));
        ChatMessage second = alice.chat.send(otherBob.id(), "second").get();
        ChatEvent.KeyChanged changed = alice.events.await(ChatEvent.KeyChanged.class, k -> k.peer().equals(bob.id()));
        assertFalse(changed.pinned().equals(changed.presented()));
        ChatMessage failed = alice.events.awaitState(second.id(), DeliveryState.FAILED);
        assertEquals(Problem.Kind.KEY_CHANGED, failed.failure().kind(), failed.failure().toString());
        assertTrue(otherBob.events.received().isEmpty(), "nothing reached the new key");

        java.util.concurrent.ExecutionException wrongKey = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> alice.chat.acceptNewKey(bob.id(), changed.pinned()).get());
        assertTrue(wrongKey.getCause().getMessage().contains("another key"), wrongKey.getCause().getMessage());
        alice.chat.acceptNewKey(bob.id(), changed.presented()).get();
        otherBob.events.awaitReceived("second");
        alice.events.awaitState(second.id(), DeliveryState.DELIVERED);
    }

    @Test
    void toALegacyPeerAMessageIsSentInTheClearAndMarkedSoButNeverWhenEncryptionIsRequired() throws Exception {
        try (ServerSocket pidginListener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            advertise("pidgin@hostp", "127.0.0.1", pidginListener.getLocalPort());
            ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
            alice.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("pidgin@hostp"));

            ChatMessage hello = alice.chat.send(PeerId.of("pidgin@hostp"), "hi pidgin").get();
            RawPeer pidgin = track(RawPeer.accept(pidginListener));
            pidgin.readUntil("<stream:stream");
            pidgin.send(PIDGIN_HEADER.formatted("pidgin@hostp", "alice@hosta"));
            assertTrue(pidgin.readUntil("</message>").contains("<body>hi pidgin</body>"));
            alice.events.awaitState(hello.id(), DeliveryState.SENT);
            assertEquals(chat.pronto.model.LinkSecurity.LEGACY,
                    alice.chat.contact(PeerId.of("pidgin@hostp")).join().orElseThrow().link());

            ChatCore strict = start(ChatCore.on(link, "strict@hosts").encryption(Encryption.REQUIRED));
            strict.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("pidgin@hostp"));
            ChatMessage refused = strict.chat.send(PeerId.of("pidgin@hostp"), "secret").get();
            RawPeer pidgin2 = track(RawPeer.accept(pidginListener));
            pidgin2.readUntil("<stream:stream");
            pidgin2.send(PIDGIN_HEADER.formatted("pidgin@hostp", "strict@hosts"));
            ChatMessage failed = strict.events.awaitState(refused.id(), DeliveryState.FAILED);
            assertEquals(Problem.Kind.WE_ENDED_STREAM, failed.failure().kind(), failed.failure().toString());
            assertEquals("policy-violation", failed.failure().fact(0));
            assertTrue(failed.failure().fact(1).contains("cannot encrypt"), failed.failure().toString());
            assertFalse(pidgin2.received().contains("secret"));
        }
    }

    @Test
    void aPeerWhoseStreamDiesWithoutACloseIsOfflineAtOnce() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("erin@hoste", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("erin@hoste"));
        RawPeer erin = pidginDialing(bob, "erin@hoste");
        erin.send("<message type='chat'><body>bye</body></message>");
        bob.events.awaitReceived("bye");

        erin.close(); // the machine dropped off: no </stream:stream>, and mDNS still lists it
        bob.events.await(ChatEvent.ContactGone.class, gone -> gone.id().name().equals("erin@hoste"));
        assertFalse(bob.chat.contact(PeerId.of("erin@hoste")).join().map(c -> c.online()).orElse(false));
    }

    @Test
    void aPeerThatDoesNotAnswerIsRetriedWithBackoffAndTheMessageStaysQueued() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        advertise("frank@hostf", "127.0.0.1", closedPort);
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        alice.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("frank@hostf"));

        ChatMessage waiting = alice.chat.send(PeerId.of("frank@hostf"), "anyone?").get();
        // The builder's backoff starts at 200 ms: several attempts come within the wait, each reported.
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> alice.events.all(ChatEvent.Unreachable.class)
                .stream().filter(u -> u.peer().name().equals("frank@hostf") && u.retryIn().isPresent()).count() >= 3);
        ChatEvent.Unreachable first = alice.events.find(ChatEvent.Unreachable.class,
                u -> u.peer().name().equals("frank@hostf")).orElseThrow();
        assertEquals(Problem.Kind.CANNOT_CONNECT, first.problem().kind(), first.problem().toString());
        assertEquals(List.of("127.0.0.1", Integer.toString(closedPort)), first.problem().facts().subList(0, 2));
        assertEquals(DeliveryState.QUEUED, alice.chat.latest(PeerId.of("frank@hostf"), 1).get().get(0).message().state());
        assertEquals(waiting.id(), alice.chat.latest(PeerId.of("frank@hostf"), 1).get().get(0).message().id());
    }

    @Test
    void aMessageThatXmlCannotCarryIsMadeSafeAndAnOversizedOneIsRefusedUpFront() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        ChatMessage odd = alice.chat.send(bob.id(), "bell\u0007 and nul\u0000 and \uD83D\uDE00").get();
        assertEquals("bell\uFFFD and nul\uFFFD and \uD83D\uDE00", odd.body());
        bob.events.awaitReceived("bell\uFFFD and nul\uFFFD and \uD83D\uDE00");
        alice.events.awaitState(odd.id(), DeliveryState.DELIVERED);

        java.util.concurrent.ExecutionException tooLong = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> alice.chat.send(bob.id(), "x".repeat(SessionManager.MAX_BODY_CHARS + 1)).get());
        assertTrue(tooLong.getCause().getMessage().contains("at most"), tooLong.getCause().getMessage());
        String longest = "&".repeat(SessionManager.MAX_BODY_CHARS);
        ChatMessage big = alice.chat.send(bob.id(), longest).get();
        bob.events.awaitReceived(longest);
        alice.events.awaitState(big.id(), DeliveryState.DELIVERED);
    }

    /**
     * We dial a pinned peer and something answers in plain text: refused (an impersonator, or a
     * stream that broke oddly), but the message is not given up: it waits and goes to the real peer.
     */
    @Test
    void aPlaintextAnswerInAPinnedPeersNameIsRefusedButTheMessageIsNotGivenUp() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        ChatMessage hello = alice.chat.send(bob.id(), "hello over TLS").get();
        alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);
        bob.close();
        alice.events.await(ChatEvent.ContactGone.class, gone -> gone.id().equals(bob.id()));

        try (ServerSocket impostorPort = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            FakePresence fake = advertise("bob@hostb", "127.0.0.1", impostorPort.getLocalPort());
            ChatMessage secret = alice.chat.send(bob.id(), "for the real Bob only").get();
            RawPeer impostor = track(RawPeer.accept(impostorPort));
            impostor.readUntil("<stream:stream");
            impostor.send(PIDGIN_HEADER.formatted("bob@hostb", "alice@hosta"));
            assertTrue(impostor.readUntil("</stream:stream>").contains("<policy-violation"));
            ChatEvent.Unreachable later = alice.events.await(ChatEvent.Unreachable.class,
                    u -> u.peer().equals(bob.id()) && u.problem().kind() == chat.pronto.model.Problem.Kind.WE_ENDED_STREAM);
            assertTrue(later.retryIn().isPresent() || alice.chat.latest(bob.id(), 1).get().get(0).message().state()
                    == DeliveryState.QUEUED, later.toString());
            assertFalse(impostor.received().contains("for the real Bob only"));
            assertTrue(alice.events.find(ChatEvent.MessageUpdated.class, u -> u.message().id().equals(secret.id())
                    && u.message().state() == DeliveryState.FAILED).isEmpty(), "not given up");

            fake.leaveLink();
            ChatCore realBob = start(ChatCore.on(link, "bob@hostb").data(bob.data));
            realBob.events.awaitReceived("for the real Bob only");
            alice.events.awaitState(secret.id(), DeliveryState.DELIVERED);
        }
    }

    @Test
    void aPeerWhoseKeyIsPinnedCannotBeImpersonatedOverAnUnencryptedStream() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        ChatMessage hello = alice.chat.send(bob.id(), "hello over TLS").get();
        alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);

        // Someone on the same address claims bob's name with a legacy, unencrypted stream.
        RawPeer impostor = track(RawPeer.connect(address(alice)));
        impostor.send(PIDGIN_HEADER.formatted("bob@hostb", "alice@hosta"));
        String answer = impostor.readUntil("</stream:stream>");
        assertTrue(answer.contains("<policy-violation") && answer.contains("pinned"), answer);
        impostor.send("<message type='chat'><body>I am bob, send me your password</body></message>");
        assertTrue(impostor.closedWithin(WAIT));
        ChatMessage after = bob.chat.send(alice.id(), "the real bob").get();
        alice.events.awaitReceived("the real bob");
        assertFalse(alice.events.received().stream().anyMatch(m -> m.body().contains("password")));
        bob.events.awaitState(after.id(), DeliveryState.DELIVERED);
    }

    @Test
    void aSenderNameIsComparedAsAJidSoCapitalLettersDoNotMakeAnotherPeer() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("Carol@HostC", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("Carol@HostC"));
        RawPeer carol = pidginDialing(bob, "Carol@HostC");
        carol.send("<message from='Carol@HostC' type='chat' id='c1'><body>capitals are fine</body></message>");
        assertEquals("Carol@HostC", bob.events.awaitReceived("capitals are fine").peer().name());
    }

    @Test
    void anIdThatComesBackWithOtherWordsIsANewMessageNotADuplicate() throws Exception {
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        advertise("gil@hostg", "127.0.0.1", 5298);
        bob.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("gil@hostg"));
        RawPeer gil = pidginDialing(bob, "gil@hostg");
        gil.send("<message type='chat' id='1'><body>first launch</body></message>");
        bob.events.awaitReceived("first launch");
        gil.send("<message type='chat' id='1'><body>second launch, counter restarted</body></message>");
        bob.events.awaitReceived("second launch, counter restarted");
        gil.send("<message type='chat' id='1'><body>second launch, counter restarted</body></message>");
        gil.send("<message type='chat' id='2'><body>end</body></message>");
        bob.events.awaitReceived("end");
        assertEquals(List.of("first launch", "second launch, counter restarted", "end"),
                bob.events.received().stream().map(ChatMessage::body).toList());
    }

    @Test
    void peersThatAcceptButNeverAnswerDoNotHoldUpAMessageToSomeoneElse() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        List<ServerSocket> blackHoles = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                ServerSocket silent = track(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()));
                blackHoles.add(silent);
                advertise("hole" + i + "@void", "127.0.0.1", silent.getLocalPort());
            }
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> alice.chat.contacts().join().size() >= 12);
            for (int i = 0; i < 12; i++) {
                alice.chat.send(PeerId.of("hole" + i + "@void"), "into the void").get();
            }
            // Twelve dials now wait for stream headers that never come (10 s each)…
            ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
            ChatMessage hello = alice.chat.send(bob.id(), "still reaches Bob").get();
            bob.events.awaitReceived("still reaches Bob");
            alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);
            // …and Bob's message went out while they were all still waiting.
            assertTrue(alice.events.find(ChatEvent.Unreachable.class,
                    u -> u.peer().name().startsWith("hole") && u.retryIn().isPresent()).isEmpty(),
                    "no black hole had given up yet");
        } finally {
            for (ServerSocket hole : blackHoles) {
                hole.close();
            }
        }
    }

    /**
     * Twelve peers that stopped reading (their kernel buffers full, our writes stuck) must not hold
     * the threads everyone else's conversation needs: writing happens on each stream's own thread.
     */
    @Test
    void peersThatStopReadingDoNotHoldUpHistoryOrAMessageToSomeoneElse() throws Exception {
        // Small socket buffers (in the tests' own network namespace only), so that writes to a peer
        // that stopped reading get stuck after a few messages, as they do on a slow real link.
        String wmem = java.nio.file.Files.readString(TCP_WMEM).strip();
        java.nio.file.Files.writeString(TCP_WMEM, "4096 16384 65536");
        try {
            deafPeersDoNotHoldUpSomeoneElse();
        } finally {
            java.nio.file.Files.writeString(TCP_WMEM, wmem);
        }
    }

    @Test
    void aStrangerOverItsAllowanceHasItsMessagesRefusedAndIsToldUntilTheUserWritesBack() throws Exception {
        ChatCore carol = start(ChatCore.on(link, "carol@hostc").quotas(SessionConfig.Quotas.defaults()
                .withStrangers(Duration.ofHours(1), 3, 1 << 20)));
        ChatCore dave = start(ChatCore.on(link, "dave@hostd"));
        List<ChatMessage> sent = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            sent.add(dave.chat.send(carol.id(), "special offer " + i).get());
        }

        for (int i = 0; i < 3; i++) {
            dave.events.awaitState(sent.get(i).id(), DeliveryState.DELIVERED);
        }
        for (int i = 3; i < 5; i++) {
            ChatMessage refused = dave.events.awaitState(sent.get(i).id(), DeliveryState.FAILED);
            assertEquals(Problem.Kind.REFUSED_BY_PEER, refused.failure().kind());
            assertEquals("resource-constraint", refused.failure().fact(0));
            assertTrue(refused.failure().fact(1).contains("try again in 60 min"), refused.failure().fact(1));
        }
        ChatEvent.Notice muted = carol.events.await(ChatEvent.Notice.class,
                notice -> notice.problem().kind() == Problem.Kind.PEER_MUTED);
        assertEquals(dave.id().name(), muted.problem().fact(0));
        assertEquals(3, carol.events.received().size());
        assertEquals(1, carol.events.all(ChatEvent.Notice.class).size(), "told once");

        carol.chat.send(dave.id(), "who is this?").get();
        dave.events.awaitReceived("who is this?");
        dave.chat.retry(carol.id(), sent.get(3).id()).get();
        dave.events.awaitState(sent.get(3).id(), DeliveryState.DELIVERED);
        carol.events.awaitReceived("special offer 4");
    }

    @Test
    void aStrangerFloodingTheHistoryGetsAMegabyteStoredAndAnErrorForEveryMessageBeyond() throws Exception {
        ChatCore carol = start(ChatCore.on(link, "carol@hostc"));
        advertise("flood@hostf", "127.0.0.1", 5298);
        carol.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals("flood@hostf"));
        RawPeer flood = pidginDialing(carol, "flood@hostf");
        String words = "spam ".repeat(8_000); // 40,000 bytes

        StringBuilder burst = new StringBuilder();
        for (int i = 1; i <= 60; i++) {
            burst.append("<message to='carol@hostc' from='flood@hostf' type='chat' id='f").append(i)
                    .append("'><body>").append(words).append("</body></message>");
        }
        // A ping after it: its answer comes after every answer to the messages (answers leave in the order the requests came).
        burst.append("<iq type='get' id='p1' to='carol@hostc'><ping xmlns='urn:xmpp:ping'/></iq>");
        flood.send(burst.toString());
        String answers = flood.readUntil("id='p1'");

        assertEquals(34, answers.split("<resource-constraint", -1).length - 1, "an error for each message beyond");
        assertFalse(answers.contains("</stream:stream>"), "the stream goes on");
        ChatEvent.Notice muted = carol.events.await(ChatEvent.Notice.class, // told after what was stored
                notice -> notice.problem().kind() == Problem.Kind.PEER_MUTED);
        assertEquals(26, carol.events.received().size(), "26 × 40,000 bytes fit in 1 MiB, the 27th would not");
        assertEquals(List.of("flood@hostf", "60", "26", "1040000", "60"), muted.problem().facts());
        assertEquals(1, carol.events.all(ChatEvent.Notice.class).size(), "told once");
    }

    @Test
    void aPeerFarOverItsRateIsSlowedByBackpressureAndLosesNothing() throws Exception {
        ChatCore carol = start(ChatCore.on(link, "carol@hostc").quotas(SessionConfig.Quotas.defaults()
                .withRates(5, 10, 4 << 20, 128 << 10)));
        ChatCore dave = start(ChatCore.on(link, "dave@hostd"));
        dave.chat.send(carol.id(), "warming up").get();
        carol.events.awaitReceived("warming up");

        long start = System.nanoTime();
        List<ChatMessage> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(dave.chat.send(carol.id(), "burst " + i).get());
        }
        dave.events.awaitState(sent.get(sent.size() - 1).id(), DeliveryState.DELIVERED); // they go in order
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        java.util.Set<String> delivered = new java.util.HashSet<>();
        dave.events.all(ChatEvent.MessageUpdated.class).stream()
                .filter(updated -> updated.message().state() == DeliveryState.DELIVERED)
                .forEach(updated -> delivered.add(updated.message().id()));
        assertTrue(delivered.containsAll(sent.stream().map(ChatMessage::id).toList()), "every one acknowledged");
        org.slf4j.LoggerFactory.getLogger(ChatProtocolIT.class).info("50 messages at 10 a second took {}", took);

        assertEquals(51, carol.events.received().size());
        assertTrue(dave.events.all(ChatEvent.MessageUpdated.class).stream()
                .noneMatch(updated -> updated.message().state() == DeliveryState.FAILED));
        // 5 at once, then 10 a second: the other 45 take 4.4 s at least (without the quota: 1.5 s here).
        assertTrue(took.compareTo(Duration.ofMillis(4_000)) >= 0, "took " + took);
        assertTrue(dave.events.all(ChatEvent.Unreachable.class).isEmpty(), "slowed, never cut off");
    }

    private static final java.nio.file.Path TCP_WMEM = java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem");

    private void deafPeersDoNotHoldUpSomeoneElse() throws Exception {
        ChatCore alice = start(ChatCore.on(link, "alice@hosta"));
        String big = "all work and no play ".repeat(2_300); // about 48,000 characters
        List<java.util.concurrent.CompletableFuture<ChatMessage>> stored = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "deaf" + i + "@hostd";
            advertise(name, "127.0.0.1", 5298);
            alice.events.await(ChatEvent.ContactChanged.class, c -> c.contact().id().name().equals(name));
            RawPeer deaf = track(RawPeer.connectTight(address(alice)));
            deaf.send(PIDGIN_HEADER.formatted(name, alice.id()));
            deaf.readUntil("<stream:stream"); // and then never reads again
            for (int m = 0; m < 4; m++) {
                stored.add(alice.chat.send(PeerId.of(name), big));
            }
        }
        for (var message : stored) {
            message.get(); // all of it is stored and handed on; the writes to the deaf peers are stuck
        }
        ChatCore bob = start(ChatCore.on(link, "bob@hostb"));
        ChatMessage hello = alice.chat.send(bob.id(), "still reaches Bob").get();
        bob.events.awaitReceived("still reaches Bob");
        alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);
        assertEquals(1, alice.chat.latest(bob.id(), 5).get(5, java.util.concurrent.TimeUnit.SECONDS).size(),
                "the history answers too");
    }
}
