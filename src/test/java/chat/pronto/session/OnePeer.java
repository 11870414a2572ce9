package chat.pronto.session;

import java.net.InetAddress;
import java.time.Duration;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.stream.Role;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.FakePresence;
import chat.pronto.testing.FakeStream;
import chat.pronto.testing.MemoryHistory;

/**
 * Alice's session with Bob, built from fakes: streams without sockets, history in memory, dials the
 * test answers, a clock the test moves. Everything runs on the test's thread, in order.
 */
final class OnePeer {
    static final PeerId ME = PeerId.of("alice@hosta");
    static final PeerId BOB = PeerId.of("bob@hostb");
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration GRACE = Duration.ofSeconds(10);

    final FakeLink link = new FakeLink();
    final FakePresence presence = new FakePresence(link, InetAddress.getLoopbackAddress());
    final FakePresence bobOnTheNetwork = new FakePresence(link, InetAddress.getLoopbackAddress());
    final MemoryHistory history = new MemoryHistory();
    final FakeDialer dialer = new FakeDialer();
    final RecordingSessionEvents events = new RecordingSessionEvents();
    final ManualScheduler scheduler = new ManualScheduler();
    final PeerSession session;
    private int counter;

    /** How long readers paused for their peers' quotas, in all (each pause moves the test's clock instead). */
    Duration paused = Duration.ZERO;

    OnePeer() {
        this(SessionConfig.Quotas.defaults());
    }

    OnePeer(SessionConfig.Quotas quotas) {
        presence.start(ME, OwnPresence.available("alice"), 5298);
        SessionConfig config = SessionConfig.defaults().withRetries(FIRST_RETRY, Duration.ofSeconds(8))
                .withQuotas(quotas);
        SessionContext context = new SessionContext(config, history, presence, dialer, events, scheduler,
                Runnable::run, GroupCommit.inline(history), scheduler::nanoTime, time -> {
                    paused = paused.plus(time);
                    scheduler.advance(time);
                });
        session = new PeerSession(context, BOB);
    }

    /** Bob is seen on the network (until {@link #bobLeaves}). */
    OnePeer withBobOnline() {
        bobOnTheNetwork.start(BOB, OwnPresence.available("bob"), 5299);
        return this;
    }

    void bobLeaves() {
        bobOnTheNetwork.leaveLink();
    }

    ChatMessage send(String body) {
        return session.send(body).join();
    }

    /** The dial in progress succeeds with a fresh encrypted stream we opened. */
    FakeStream dialSucceeds() {
        FakeStream stream = FakeStream.encrypted(Role.INITIATOR, ME.name(), BOB.name());
        dialer.answer(new DialOutcome.Connected(stream, stream.streamInfo()));
        return stream;
    }

    /** Bob opens a stream to us. */
    FakeStream bobDials() {
        FakeStream stream = FakeStream.encrypted(Role.RECIPIENT, ME.name(), BOB.name());
        session.onEstablished(stream, stream.streamInfo());
        return stream;
    }

    void receipt(FakeStream on, String id) {
        session.onMessage(on, ChatStanzas.receipt(BOB, ME, "r" + ++counter, id));
    }

    void bobSays(FakeStream on, String id, String body) {
        session.onMessage(on, ChatStanzas.chat(BOB, ME, id, body));
    }

    /** Bob answers our message {@code id} with a stanza error. */
    void bobRefuses(FakeStream on, String id, StanzaError.Condition condition, String text) {
        Message error = StanzaBuilder.buildMessage(id).ofType(Message.Type.error)
                .setError(StanzaError.getBuilder(condition).setDescriptiveEnText(text).build()).build();
        session.onMessage(on, error);
    }

    /** Bob's disco#info answer, with or without receipts among its features. */
    void bobsFeatures(FakeStream on, boolean receipts) {
        var builder = DiscoverInfo.builder("d" + ++counter).ofType(IQ.Type.result)
                .addFeature(PeerFeatures.CHAT_STATES);
        if (receipts) {
            builder.addFeature(PeerFeatures.RECEIPTS);
        }
        session.onIq(on, builder.build());
    }
}
