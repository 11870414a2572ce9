package chat.pronto.session;

import static chat.pronto.model.DeliveryState.DELIVERED;
import static chat.pronto.model.DeliveryState.FAILED;
import static chat.pronto.model.DeliveryState.QUEUED;
import static chat.pronto.model.DeliveryState.SENT;
import static chat.pronto.session.OnePeer.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.Problem;
import chat.pronto.model.Problem.Kind;
import chat.pronto.security.Fingerprint;
import chat.pronto.stream.Role;
import chat.pronto.stream.StreamEnd;
import chat.pronto.testing.FakeStream;

/**
 * The outbox's state machine, every transition, with fakes: no sockets, no database, no waiting.
 * QUEUED → SENT → DELIVERED; QUEUED/SENT → FAILED; SENT → QUEUED (requeued); FAILED → QUEUED (retry);
 * QUEUED and FAILED → DELIVERED (a receipt that overtakes our bookkeeping, or comes late).
 */
class OutboxTest {
    private final OnePeer alice = new OnePeer().withBobOnline();

    private DeliveryState stored(ChatMessage message) {
        return alice.history.find(BOB, message.id()).orElseThrow().state();
    }

    @Test
    void aMessageIsStoredQueuedThenSentOverTheStreamItDialsThenDeliveredByItsReceipt() {
        ChatMessage hello = alice.send("hello");
        assertEquals(QUEUED, hello.state());
        assertEquals(QUEUED, stored(hello));
        assertEquals(hello, alice.events.all(ChatEvent.MessageAdded.class).get(0).message());
        assertEquals(1, alice.dialer.count());

        FakeStream stream = alice.dialSucceeds();
        Message written = stream.chatMessages().get(0);
        assertEquals(hello.id(), written.getStanzaId());
        assertEquals("hello", written.getBody());
        assertTrue(ChatStanzas.wantsReceipt(written), "every message asks for a receipt");
        assertEquals(List.of(SENT), alice.events.statesOf(hello.id()));

        alice.receipt(stream, hello.id());
        assertEquals(List.of(SENT, DELIVERED), alice.events.statesOf(hello.id()));
        assertEquals(DELIVERED, stored(hello));
        assertEquals(java.util.Optional.of(true), alice.history.sendsReceipts(BOB),
                "remembered across restarts: after a crash its unacknowledged messages go out again");
    }

    @Test
    void aReceiptThatOvertakesOurOwnBookkeepingDeliversAQueuedMessageAndItIsNotSentAgain() {
        ChatMessage hello = alice.send("hello");
        FakeStream other = alice.bobDials(); // went out over it
        alice.receipt(other, hello.id());
        assertEquals(DELIVERED, stored(hello));

        FakeStream dialed = alice.dialSucceeds();
        assertTrue(dialed.chatMessages().isEmpty(), "a delivered message is never written again");
    }

    @Test
    void aStanzaErrorFailsTheMessageWithThePeersConditionAndWords() {
        ChatMessage hello = alice.send("hello");
        FakeStream stream = alice.dialSucceeds();
        alice.bobRefuses(stream, hello.id(), StanzaError.Condition.not_acceptable, "too loud");

        ChatMessage failed = alice.events.lastUpdateOf(hello.id());
        assertEquals(FAILED, failed.state());
        assertEquals(Problem.of(Kind.REFUSED_BY_PEER, "not-acceptable", "too loud"), failed.failure());
        assertEquals(failed.failure(), alice.history.find(BOB, hello.id()).orElseThrow().failure(), "stored as data");
    }

    /**
     * The peer closes the stream in use while a message on it still owes its receipt, and a new
     * stream is there already. The peer may still be reading the old one: nothing new goes out on the
     * new stream until the old one has ended and its unacknowledged message is back in the queue, in
     * its place. (Writing at once let a newer message overtake it — the long soak, after a kill.)
     */
    @Test
    void nothingNewOvertakesAMessageInFlightOnAStreamThatIsClosing() {
        ChatMessage first = alice.send("first");
        FakeStream old = alice.dialSucceeds();
        alice.receipt(old, first.id()); // Bob acknowledges messages
        inFlightOnAClosingStreamIsNotOvertaken(old);
    }

    /**
     * Right after a start nothing is known yet of whether the peer acknowledges: a message in flight on
     * a closing stream must still not be overtaken (the long soak saw one arrive after 51–77 newer ones
     * after a restart of both ends).
     */
    @Test
    void nothingNewOvertakesAMessageInFlightOnAClosingStreamBeforeWeKnowThePeerAcknowledges() {
        inFlightOnAClosingStreamIsNotOvertaken(null);
    }

    /** A message in flight on {@code dialed} (a stream dialed now when null) when Bob closes it; a newer one waits for its end. */
    private void inFlightOnAClosingStreamIsNotOvertaken(FakeStream dialed) {
        ChatMessage inFlight = alice.send("in flight when the stream closed");
        FakeStream old = dialed != null ? dialed : alice.dialSucceeds();
        old.drop(); // Bob closes it (the handshake is under way)
        FakeStream fresh = alice.bobDials();

        ChatMessage newer = alice.send("newer");
        assertTrue(fresh.chatMessages().isEmpty(), "nothing goes out on the new stream yet");

        alice.session.onEnded(old, new StreamEnd.Closed(false));
        assertEquals(List.of(inFlight.id(), newer.id()),
                fresh.chatMessages().stream().map(Message::getStanzaId).toList(), "in their order");
    }

    @Test
    void aLateReceiptStillDeliversAMessageThatHadFailed() {
        ChatMessage hello = alice.send("hello");
        FakeStream stream = alice.dialSucceeds();
        alice.bobRefuses(stream, hello.id(), StanzaError.Condition.internal_server_error, null);
        alice.receipt(stream, hello.id());
        assertEquals(List.of(SENT, FAILED, DELIVERED), alice.events.statesOf(hello.id()));
    }

    @Test
    void messagesOnAStreamThatBreaksGoBackToTheQueueAndOutAgainOnTheNextStream() {
        ChatMessage one = alice.send("one");
        FakeStream first = alice.dialSucceeds();
        ChatMessage two = alice.send("two");
        assertEquals(2, first.chatMessages().size());

        first.drop();
        alice.session.onEnded(first, new StreamEnd.ConnectionLost("reset"));
        assertEquals(List.of(SENT, QUEUED), alice.events.statesOf(one.id()));
        assertEquals(List.of(SENT, QUEUED), alice.events.statesOf(two.id()));
        assertTrue(alice.presence.peer(BOB).isEmpty(), "a stream that died is the fastest news that Bob is gone");
        assertEquals(1, alice.dialer.count(), "so nothing dials into the same dead link");

        alice.bobOnTheNetwork.announceAgain(); // seen again on mDNS
        alice.session.peerAppeared();
        assertEquals(2, alice.dialer.count());

        FakeStream second = alice.dialSucceeds();
        assertEquals(List.of("one", "two"), second.chatMessages().stream().map(Message::getBody).toList(),
                "in their order");
        alice.receipt(second, one.id());
        alice.receipt(second, two.id());
        assertEquals(List.of(SENT, QUEUED, SENT, DELIVERED), alice.events.statesOf(two.id()));
    }

    @Test
    void aPeerThatSaysItSendsNoReceiptsKeepsItsMessagesSentWhenTheStreamBreaks() {
        ChatMessage hello = alice.send("hello");
        FakeStream stream = alice.dialSucceeds();
        alice.bobsFeatures(stream, false);
        stream.drop();
        alice.session.onEnded(stream, new StreamEnd.ConnectionLost("reset"));
        assertEquals(List.of(SENT), alice.events.statesOf(hello.id()), "sending again would show it twice");
    }

    /**
     * After a clean close the peer has read what we wrote, but its receipt may be lost with the stream:
     * the message goes back at once, ahead of anything newer, and the peer drops the duplicate.
     */
    @Test
    void afterACleanCloseAnUnacknowledgedMessageGoesBackAtOnceAheadOfNewerOnes() {
        ChatMessage older = alice.send("older");
        FakeStream stream = alice.dialSucceeds();
        stream.close();
        alice.session.onEnded(stream, new StreamEnd.Closed(false));
        assertEquals(List.of(SENT, QUEUED), alice.events.statesOf(older.id()));
        ChatMessage newer = alice.send("newer");
        alice.bobOnTheNetwork.announceAgain();
        FakeStream next = alice.dialSucceeds();
        assertEquals(List.of("older", "newer"), next.chatMessages().stream().map(Message::getBody).toList());
        assertEquals(SENT, stored(newer));
    }

    @Test
    void aReceiptThatComesLateOverAnotherStreamStillDeliversTheMessageSentAgain() {
        ChatMessage hello = alice.send("hello");
        FakeStream stream = alice.dialSucceeds();
        FakeStream kept = alice.bobDials();
        alice.session.onEnded(stream, new StreamEnd.Closed(true));
        alice.receipt(kept, hello.id());
        assertEquals(chat.pronto.model.DeliveryState.DELIVERED, stored(hello));
        assertEquals(chat.pronto.model.DeliveryState.DELIVERED, alice.events.lastUpdateOf(hello.id()).state());
    }

    @Test
    void aStreamErrorThatBlamesOurMessagesFailsThemInsteadOfSendingThemAgain() {
        ChatMessage hello = alice.send("hello");
        FakeStream stream = alice.dialSucceeds();
        stream.drop();
        alice.session.onEnded(stream, new StreamEnd.ErrorReceived("not-well-formed", "bad byte"));
        ChatMessage failed = alice.events.lastUpdateOf(hello.id());
        assertEquals(FAILED, failed.state());
        assertEquals(Problem.of(Kind.PEER_ENDED_STREAM, "not-well-formed", "bad byte"), failed.failure());
    }

    @Test
    void aChangedKeyFailsTheQueueAndAcceptingTheNewKeySendsItAgain() {
        ChatMessage hello = alice.send("hello");
        Fingerprint pinned = Fingerprint.parse("00".repeat(32));
        Fingerprint presented = Fingerprint.parse("ff".repeat(32));
        alice.dialer.answer(new DialOutcome.Refused(new StreamEnd.KeyChanged(BOB.name(), pinned, presented)));
        assertEquals(Problem.of(Kind.KEY_CHANGED), alice.events.lastUpdateOf(hello.id()).failure());
        assertEquals(1, alice.events.keyChanges.size(), "the user is asked about the new key");

        alice.session.keyAccepted();
        FakeStream stream = alice.dialSucceeds();
        assertEquals(List.of(FAILED, QUEUED, SENT), alice.events.statesOf(hello.id()));
        assertEquals("hello", stream.chatMessages().get(0).getBody());
    }

    @Test
    void retryPutsAFailedMessageBackAndRefusesOneThatHasNotFailed() {
        ChatMessage hello = alice.send("hello");
        FakeStream stream = alice.dialSucceeds();
        alice.bobRefuses(stream, hello.id(), StanzaError.Condition.not_acceptable, null);
        ChatMessage again = alice.session.retry(hello.id()).join();
        assertEquals(QUEUED, again.state());
        assertEquals(List.of(SENT, FAILED, QUEUED, SENT), alice.events.statesOf(hello.id()));
        assertEquals(2, stream.chatMessages().size());

        CompletionException notFailed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> alice.session.retry(hello.id()).join());
        assertInstanceOf(IllegalArgumentException.class, notFailed.getCause());
    }

    @Test
    void aPeerThatIsNotOnTheNetworkIsWaitedForInsteadOfDialed() {
        OnePeer lonely = new OnePeer();
        ChatMessage hello = lonely.send("are you there?");
        ChatEvent.Unreachable unreachable = lonely.events.all(ChatEvent.Unreachable.class).get(0);
        assertEquals(Problem.of(Kind.NOT_ON_NETWORK), unreachable.problem());
        assertTrue(unreachable.retryIn().isEmpty(), "no retry timer: its arrival is the signal");
        assertEquals(0, lonely.dialer.count());
        assertTrue(lonely.scheduler.pending().isEmpty());

        lonely.withBobOnline().session.peerAppeared();
        lonely.dialSucceeds();
        assertEquals(List.of(SENT), lonely.events.statesOf(hello.id()));
    }

    @Test
    void aPeerThatDoesNotAnswerIsRetriedWithAGrowingWaitAndEachAttemptIsReported() {
        ChatMessage hello = alice.send("hello");
        Problem refused = Problem.of(Kind.CANNOT_CONNECT, "127.0.0.1", 5299, "Connection refused");
        long[] expected = {1000, 2000, 4000, 8000, 8000};
        for (int attempt = 0; attempt < expected.length; attempt++) {
            alice.dialer.answer(new DialOutcome.Failed(refused));
            List<ChatEvent.Unreachable> reports = alice.events.all(ChatEvent.Unreachable.class);
            ChatEvent.Unreachable report = reports.get(reports.size() - 1);
            assertEquals(refused, report.problem());
            long wait = report.retryIn().orElseThrow().toMillis();
            assertTrue(wait >= expected[attempt] * 0.8 && wait <= expected[attempt] * 1.2, wait + " ms");
            alice.scheduler.advance(Duration.ofMillis(wait));
            assertEquals(attempt + 2, alice.dialer.count(), "dialed again when the wait was over");
        }
        assertEquals(QUEUED, stored(hello));
        alice.dialSucceeds();
        assertEquals(SENT, stored(hello));
    }

    @Test
    void aLegacyPeerNeverAcknowledgesSoSentIsFinalAndNothingIsSentTwice() {
        ChatMessage hello = alice.send("hello");
        FakeStream pidgin = FakeStream.legacy(Role.INITIATOR, OnePeer.ME.name(), BOB.name());
        alice.dialer.answer(new DialOutcome.Connected(pidgin, pidgin.streamInfo()));
        assertTrue(pidgin.iqs().isEmpty(), "Pidgin never answers IQs: nothing is asked");
        pidgin.drop();
        alice.session.onEnded(pidgin, new StreamEnd.ConnectionLost("reset"));
        assertEquals(List.of(SENT), alice.events.statesOf(hello.id()));
        assertEquals(java.util.Optional.of(false), alice.history.sendsReceipts(BOB),
                "remembered: after a restart nothing goes to it twice");
    }

    @Test
    void aMessageThatCannotBeStoredIsRefusedWithWhyAndNothingIsSent() {
        alice.history.failWith(new IOException("disk full"));
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> alice.send("hello"));
        NotSentException notSent = assertInstanceOf(NotSentException.class, refused.getCause());
        assertEquals(Problem.of(Kind.NOT_SAVED, "disk full"), notSent.problem());
        assertEquals(notSent.problem(), alice.events.all(ChatEvent.Notice.class).get(0).problem());
        assertEquals(0, alice.dialer.count());
    }

    /** The first message after a dial does not wait on the wire behind our disco#info question. */
    @Test
    void whatWaitedGoesOutBeforeTheQuestionAboutThePeersFeatures() {
        alice.send("one");
        FakeStream stream = FakeStream.encrypted(Role.INITIATOR, OnePeer.ME.name(), BOB.name());
        alice.dialer.answer(new DialOutcome.Connected(stream, stream.streamInfo()));

        List<Stanza> sent = stream.sent();
        assertEquals(2, sent.size(), sent.toString());
        assertInstanceOf(Message.class, sent.get(0));
        assertInstanceOf(org.jivesoftware.smackx.disco.packet.DiscoverInfo.class, sent.get(1));
    }

    @Test
    void whenTheStreamBreaksMidQueueTheRestWaitsForTheNextAttempt() {
        ChatMessage one = alice.send("one");
        ChatMessage two = alice.send("two");
        FakeStream stream = FakeStream.encrypted(Role.INITIATOR, OnePeer.ME.name(), BOB.name());
        stream.breakAfter(1); // the first message (what waited goes out before the disco#info request)
        alice.dialer.answer(new DialOutcome.Connected(stream, stream.streamInfo()));
        assertEquals(SENT, stored(one));
        assertEquals(QUEUED, stored(two));
        ChatEvent.Unreachable report = alice.events.all(ChatEvent.Unreachable.class).get(0);
        assertEquals(Kind.STREAM_CLOSED, report.problem().kind());
        assertEquals(OnePeer.FIRST_RETRY, report.retryIn().orElseThrow());
    }

    @Test
    void aPeerSlowToReadGetsTheRestOfTheQueueAMomentLaterWithoutAnyAlarm() {
        ChatMessage one = alice.send("one");
        ChatMessage two = alice.send("two");
        FakeStream stream = FakeStream.encrypted(Role.INITIATOR, OnePeer.ME.name(), BOB.name());
        stream.busyAfter(1); // the first message (what waited goes out before the disco#info request)
        alice.dialer.answer(new DialOutcome.Connected(stream, stream.streamInfo()));
        assertEquals(SENT, stored(one));
        assertEquals(QUEUED, stored(two));
        assertTrue(alice.events.all(ChatEvent.Unreachable.class).isEmpty(), "a busy peer is not unreachable");
        assertTrue(stream.isOpen());

        stream.drained();
        alice.scheduler.advance(Duration.ofMillis(200));
        assertEquals(SENT, stored(two));
        assertEquals(List.of("one", "two"), stream.chatMessages().stream().map(Message::getBody).toList());
    }

    /**
     * The stream in use is replaced (both dialed at once): what we wrote to the old one must reach
     * the peer before anything on the new one, or the peer, reading both at once, shows them out of
     * order (found by the soak). Nothing new goes out until the old stream's close is answered.
     */
    @Test
    void whenTheStreamInUseIsReplacedNewMessagesWaitUntilTheOldOneHasClosed() {
        FakeStream his = alice.bobDials();
        ChatMessage one = alice.send("one");
        assertEquals("one", his.chatMessages().get(0).getBody());
        FakeStream ours = FakeStream.encrypted(Role.INITIATOR, OnePeer.ME.name(), BOB.name());
        alice.session.onEstablished(ours, ours.streamInfo()); // alice@hosta sorts first: hers wins
        assertTrue(his.closedByUs());

        ChatMessage two = alice.send("two");
        assertTrue(ours.chatMessages().isEmpty(), "not while Bob may still be reading the old stream");
        assertEquals(QUEUED, stored(two));
        alice.session.onEnded(his, new StreamEnd.Closed(true)); // Bob answered our close: he has read it all
        // "one" had no receipt yet: it goes again (Bob drops the duplicate), and before "two".
        assertEquals(List.of("one", "two"), ours.chatMessages().stream().map(Message::getBody).toList());
    }
}
