package chat.pronto.stream;

import static chat.pronto.testing.Stanzas.bodyOf;
import static chat.pronto.testing.Stanzas.chat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import chat.pronto.security.Identity;
import chat.pronto.security.KnownPeers;
import chat.pronto.testing.RawPeer;
import chat.pronto.testing.RecordingStreamListener.Event;
import chat.pronto.testing.TestNode;

class StreamNegotiationIT {
    static final String PIDGIN_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
            + "<stream:stream xmlns=\"jabber:client\" xmlns:stream=\"http://etherx.jabber.org/streams\""
            + " from=\"bob@hostb\" to=\"%s\">";
    static final String PIDGIN_MESSAGE = "<message to='%s' from='bob@hostb' type='chat'><body>%s</body>"
            + "<html xmlns='http://www.w3.org/1999/xhtml'><body ichatballooncolor='#7BB5EE'"
            + " ichattextcolor='#000000'><font face='Helvetica' ABSZ='12' color='#000000'>%s</font></body></html>"
            + "<x xmlns='jabber:x:event'><composing/></x></message>";

    private TestNode alice;
    private TestNode carol;

    @BeforeEach
    void startNodes() throws Exception {
        alice = TestNode.start("alice@hosta");
        carol = TestNode.start("carol@hostc");
    }

    @AfterEach
    void stopNodes() throws Exception {
        alice.close();
        carol.close();
    }

    @Test
    void twoPeersNegotiateTlsWithBothCertificatesAndSaslExternal() throws Exception {
        XmlStream dialed = alice.dial(carol);

        StreamInfo ours = dialed.established().get(10, TimeUnit.SECONDS);
        Event<StreamInfo> theirs = carol.events.awaitEstablished();

        assertEquals(StreamSecurity.TLS_AUTHENTICATED, ours.security());
        assertEquals(StreamSecurity.TLS_AUTHENTICATED, theirs.value().security());
        assertEquals(Optional.of("TLSv1.3"), ours.tlsProtocol());
        assertEquals(Optional.of(carol.identity.fingerprint()), ours.peerKey());
        assertEquals(Optional.of(alice.identity.fingerprint()), theirs.value().peerKey());
        assertEquals("alice@hosta", theirs.value().peer());
        assertEquals(Role.RECIPIENT, theirs.value().role());
    }

    /**
     * The next stream between the same two resumes the TLS session, and both still know the other's
     * key; either side may have closed the one before (idle close runs on both).
     */
    @ParameterizedTest(name = "the dialer closes the first stream: {0}")
    @ValueSource(booleans = {true, false})
    void theNextStreamResumesTheSessionAndStillReportsBothKeys(boolean dialerCloses) throws Exception {
        XmlStream first = alice.dial(carol);
        assertFalse(first.established().get(10, TimeUnit.SECONDS).tlsResumed());
        Event<StreamInfo> accepted = carol.events.awaitEstablished();
        assertFalse(accepted.value().tlsResumed());
        first.send(chat("carol@hostc", "the ticket comes after the handshake"));
        assertEquals("the ticket comes after the handshake", bodyOf(carol.events.awaitStanza().value()));
        (dialerCloses ? first : accepted.stream()).close();
        assertInstanceOf(StreamEnd.Closed.class, alice.events.awaitEnded().value());
        assertInstanceOf(StreamEnd.Closed.class, carol.events.awaitEnded().value());

        XmlStream second = alice.dial(carol);
        StreamInfo ours = second.established().get(10, TimeUnit.SECONDS);
        StreamInfo theirs = carol.events.awaitEstablished().value();

        assertTrue(ours.tlsResumed(), "alice offered the session she kept");
        assertTrue(theirs.tlsResumed(), "carol took it");
        assertEquals(StreamSecurity.TLS_AUTHENTICATED, ours.security());
        assertEquals(StreamSecurity.TLS_AUTHENTICATED, theirs.security());
        assertEquals(Optional.of(carol.identity.fingerprint()), ours.peerKey());
        assertEquals(Optional.of(alice.identity.fingerprint()), theirs.peerKey());
        second.send(chat("carol@hostc", "over the resumed session"));
        assertEquals("over the resumed session", bodyOf(carol.events.awaitStanza().value()));
    }

    @Test
    void stanzasFlowBothWaysOverTheEncryptedStream() throws Exception {
        XmlStream dialed = alice.dial(carol);
        dialed.established().get(10, TimeUnit.SECONDS);
        XmlStream accepted = carol.events.awaitEstablished().stream();

        dialed.send(chat("carol@hostc", "hello <carol> & all"));
        assertEquals("hello <carol> & all", bodyOf(carol.events.awaitStanza().value()));

        accepted.send(chat("alice@hosta", "hi ☃"));
        assertEquals("hi ☃", bodyOf(alice.events.awaitStanza().value()));
    }

    @Test
    void pinsEachOthersKeysOnFirstUse() throws Exception {
        alice.dial(carol).established().get(10, TimeUnit.SECONDS);
        carol.events.awaitEstablished();

        assertEquals(Optional.of(carol.identity.fingerprint()), alice.knownPeers.pinned("carol@hostc"));
        assertEquals(Optional.of(alice.identity.fingerprint()), carol.knownPeers.pinned("alice@hosta"));
    }

    @Test
    void refusesAPeerWhoseKeyChangedAndLetsTheUserAcceptTheNewKey() throws Exception {
        Identity earlier = Identity.generate("carol@hostc");
        alice.knownPeers.pin("carol@hostc", earlier.fingerprint());

        XmlStream refused = alice.dial(carol);

        StreamEnd end = alice.events.awaitEnded().value();
        StreamEnd.KeyChanged changed = assertInstanceOf(StreamEnd.KeyChanged.class, end);
        assertEquals(earlier.fingerprint(), changed.pinned());
        assertEquals(carol.identity.fingerprint(), changed.presented());
        assertFalse(refused.established().isDone() && !refused.established().isCompletedExceptionally());
        carol.events.awaitEnded();
        assertEquals(Optional.of(earlier.fingerprint()), alice.knownPeers.pinned("carol@hostc"));

        alice.knownPeers.pin("carol@hostc", changed.presented());
        assertEquals(StreamSecurity.TLS_AUTHENTICATED,
                alice.dial(carol).established().get(10, TimeUnit.SECONDS).security());
    }

    /** A name conflict renames us at run time: our certificate follows the name, the key stays (and its pins). */
    @Test
    void afterARenameOurCertificateNamesTheNewNameWithTheSameKey() throws Exception {
        carol.engine.rename("carol-1@hostc");
        StreamInfo info = alice.engine.open(carol.address(), "carol-1@hostc").established().get(10, TimeUnit.SECONDS);
        assertEquals(StreamSecurity.TLS_AUTHENTICATED, info.security());
        assertEquals(Optional.of(carol.identity.fingerprint()), alice.knownPeers.pinned("carol-1@hostc"));
    }

    @Test
    void theRecipientRefusesAnInitiatorWhoseKeyChanged() throws Exception {
        carol.knownPeers.pin("alice@hosta", Identity.generate("alice@hosta").fingerprint());

        alice.dial(carol);

        assertInstanceOf(StreamEnd.KeyChanged.class, carol.events.awaitEnded().value());
        StreamEnd onAlicesSide = alice.events.awaitEnded().value();
        assertTrue(onAlicesSide instanceof StreamEnd.TlsFailed || onAlicesSide instanceof StreamEnd.ConnectionLost,
                onAlicesSide::describe);
    }

    @Test
    void anXmpp1PeerWithoutTlsGetsFeaturesAndAPlaintextStream() throws Exception {
        try (RawPeer raw = RawPeer.connect(carol.address())) {
            raw.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                    + " xmlns:stream='http://etherx.jabber.org/streams' from='dave@hostd' to='carol@hostc'"
                    + " version='1.0'>");

            String answer = raw.readUntil("</stream:features>");
            assertTrue(answer.matches("(?s)<\\?xml version='1.0'\\?><stream:stream .*version='1.0'.*"), answer);
            assertTrue(answer.contains("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'"), answer);

            raw.send("<message type='chat'><body>no tls here</body></message>");
            Event<StreamInfo> established = carol.events.awaitEstablished();
            assertEquals(StreamSecurity.PLAINTEXT, established.value().security());
            assertEquals("no tls here", bodyOf(carol.events.awaitStanza().value()));
        }
    }

    @Test
    void anXmpp1PeerThatIgnoresOptionalTlsMayStaySilentLongerThanTheNegotiationTimeout() throws Exception {
        try (TestNode patient = TestNode.start(StreamConfig.defaults("p@h").withNegotiationTimeout(Duration.ofMillis(200)));
             RawPeer quiet = RawPeer.connect(patient.address())) {
            quiet.send("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                    + " xmlns:stream='http://etherx.jabber.org/streams' from='q@h' to='p@h' version='1.0'>");
            quiet.readUntil("</stream:features>");

            assertFalse(quiet.closedWithin(Duration.ofMillis(600)), "a silent peer is idle, not stalled");
            quiet.send("<message type='chat'><body>finally</body></message>");
            assertEquals("finally", bodyOf(patient.events.awaitStanza().value()));
        }
    }

    @Test
    void twoPeersWithEncryptionDisabledTalkPlainXmpp1() throws Exception {
        try (TestNode plainA = TestNode.start(StreamConfig.defaults("x@a").withEncryption(Encryption.DISABLED));
             TestNode plainB = TestNode.start(StreamConfig.defaults("y@b").withEncryption(Encryption.DISABLED))) {
            StreamInfo info = plainA.dial(plainB).established().get(10, TimeUnit.SECONDS);

            assertEquals(StreamSecurity.PLAINTEXT, info.security());
            assertEquals(Optional.empty(), info.tlsProtocol());
            assertEquals(StreamSecurity.PLAINTEXT, plainB.events.awaitEstablished().value().security(),
                    "with nothing to negotiate, the recipient is ready without waiting for a stanza");
        }
    }

    @Test
    void aLegacyPeerThatDialsUsGetsNoVersionNoFeaturesAndPlaintext() throws Exception {
        try (RawPeer pidgin = RawPeer.connect(carol.address())) {
            pidgin.send(String.format(PIDGIN_HEADER, "carol@hostc"));

            Event<StreamInfo> established = carol.events.awaitEstablished();
            assertEquals(StreamSecurity.LEGACY_PLAINTEXT, established.value().security());
            assertEquals("bob@hostb", established.value().peer());
            String answer = pidgin.readUntil("'>");
            String streamTag = answer.substring(answer.indexOf("<stream:stream"));
            assertFalse(streamTag.contains("version="), answer);

            pidgin.send(String.format(PIDGIN_MESSAGE, "carol@hostc", "hey there", "hey there"));
            assertEquals("hey there", bodyOf(carol.events.awaitStanza().value()));

            established.stream().send(chat("bob@hostb", "hello pidgin"));
            String afterMessage = pidgin.readUntil("hello pidgin");
            assertFalse(afterMessage.contains("features"), afterMessage);
        }
    }

    @Test
    void weTalkToALegacyPeerWeDialedWithoutWaitingForFeatures() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, TestNode.LOOPBACK)) {
            XmlStream dialed = alice.engine.open(
                    new java.net.InetSocketAddress(TestNode.LOOPBACK, listener.getLocalPort()), "bob@hostb");
            try (RawPeer pidgin = RawPeer.accept(listener)) {
                String header = pidgin.readUntil("version='1.0'>");
                assertTrue(header.contains("from='alice@hosta'") && header.contains("to='bob@hostb'"), header);
                pidgin.send(String.format(PIDGIN_HEADER, "alice@hosta"));

                StreamInfo info = dialed.established().get(10, TimeUnit.SECONDS);
                assertEquals(StreamSecurity.LEGACY_PLAINTEXT, info.security());
                dialed.send(chat("bob@hostb", "straight away"));
                pidgin.readUntil("straight away");
            }
        }
    }

    @Test
    void requireEncryptionRefusesALegacyPeer() throws Exception {
        try (TestNode strict = TestNode.start(StreamConfig.defaults("s@h").withEncryption(Encryption.REQUIRED));
             RawPeer pidgin = RawPeer.connect(strict.address())) {
            pidgin.send(String.format(PIDGIN_HEADER, "s@h"));

            String answer = pidgin.readUntil("</stream:stream>");
            assertTrue(answer.contains("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"), answer);
            assertTrue(pidgin.closedWithin(Duration.ofSeconds(5)));
            assertInstanceOf(StreamEnd.ErrorSent.class, strict.events.awaitEnded().value());
        }
    }

    @Test
    void closingDeliversStanzasThatArriveBeforeThePeersEndTagThenClosesTheConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, TestNode.LOOPBACK)) {
            XmlStream dialed = alice.engine.open(
                    new java.net.InetSocketAddress(TestNode.LOOPBACK, listener.getLocalPort()), "bob@hostb");
            try (RawPeer pidgin = RawPeer.accept(listener)) {
                pidgin.readUntil("version='1.0'>");
                pidgin.send(String.format(PIDGIN_HEADER, "alice@hosta"));
                dialed.established().get(10, TimeUnit.SECONDS);

                dialed.close();
                pidgin.readUntil("</stream:stream>");
                pidgin.send("<message type='chat'><body>one last thing</body></message>");
                assertEquals("one last thing", bodyOf(alice.events.awaitStanza().value()));
                pidgin.send("</stream:stream>");

                assertEquals(new StreamEnd.Closed(true), alice.events.awaitEnded().value());
                assertTrue(pidgin.closedWithin(Duration.ofSeconds(5)), "we close TCP after the answer");
            }
        }
    }

    @Test
    void aPeerThatClosesFirstGetsOurEndTagAndClosesTheConnection() throws Exception {
        try (RawPeer pidgin = RawPeer.connect(carol.address())) {
            pidgin.send(String.format(PIDGIN_HEADER, "carol@hostc"));
            carol.events.awaitEstablished();

            pidgin.send("</stream:stream>");
            pidgin.readUntil("</stream:stream>");
            pidgin.close();

            assertEquals(new StreamEnd.Closed(false), carol.events.awaitEnded().value());
        }
    }

    @Test
    void bothEnginesCompleteTheCloseHandshakeOverTls() throws Exception {
        XmlStream dialed = alice.dial(carol);
        dialed.established().get(10, TimeUnit.SECONDS);
        carol.events.awaitEstablished();

        dialed.close();

        assertEquals(new StreamEnd.Closed(true), alice.events.awaitEnded().value());
        assertEquals(new StreamEnd.Closed(false), carol.events.awaitEnded().value());
    }

    @Test
    void aCloseThePeerNeverAnswersEndsAfterTheCloseTimeout() throws Exception {
        try (TestNode impatient = TestNode.start(StreamConfig.defaults("i@h").withCloseTimeout(Duration.ofMillis(300)));
             ServerSocket listener = new ServerSocket(0, 1, TestNode.LOOPBACK)) {
            XmlStream dialed = impatient.engine.open(
                    new java.net.InetSocketAddress(TestNode.LOOPBACK, listener.getLocalPort()), "bob@hostb");
            try (RawPeer silent = RawPeer.accept(listener)) {
                silent.send(String.format(PIDGIN_HEADER, "i@h"));
                dialed.established().get(10, TimeUnit.SECONDS);

                dialed.close();

                assertEquals(new StreamEnd.CloseUnanswered(), impatient.events.awaitEnded().value());
                assertTrue(silent.closedWithin(Duration.ofSeconds(5)));
            }
        }
    }

    @Test
    void reportsAConnectionThatEndsWithoutTheEndTag() throws Exception {
        try (RawPeer pidgin = RawPeer.connect(carol.address())) {
            pidgin.send(String.format(PIDGIN_HEADER, "carol@hostc"));
            carol.events.awaitEstablished();

            pidgin.send("<message><body>half a sta");
            pidgin.close();

            assertInstanceOf(StreamEnd.ConnectionLost.class, carol.events.awaitEnded().value());
        }
    }

    @Test
    void theTapShowsTheClearTextOfAnEncryptedStreamBothWays() throws Exception {
        List<Traffic> traffic = new CopyOnWriteArrayList<>();
        try (AutoCloseable listening = alice.engine.tap().listen(traffic::add)) {
            XmlStream dialed = alice.dial(carol);
            dialed.established().get(10, TimeUnit.SECONDS);
            carol.events.awaitEstablished().stream().send(chat("alice@hosta", "tapped words"));
            alice.events.awaitStanza();
        }

        assertTrue(traffic.stream().anyMatch(t -> t.direction() == Traffic.Direction.OUT
                && t.xml().contains("<starttls") && !t.encrypted()), traffic::toString);
        assertTrue(traffic.stream().anyMatch(t -> t.direction() == Traffic.Direction.IN
                && t.xml().contains("tapped words") && t.peer().equals("carol@hostc") && t.encrypted()),
                traffic::toString);
        assertTrue(traffic.stream().anyMatch(t -> t.direction() == Traffic.Direction.OUT
                && t.xml().contains("EXTERNAL") && t.encrypted()), "SASL goes inside TLS");
    }
}
