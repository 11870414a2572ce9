package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;

import com.code_intelligence.jazzer.junit.FuzzTest;

import chat.pronto.stream.Inbound;
import chat.pronto.stream.StreamEnd;
import chat.pronto.stream.StreamLimits;
import chat.pronto.testing.FakeStream;

/**
 * Fuzz target: what a peer sends after its stream header, read as the stream reads it, then handled
 * as the session handles it (sender check, messages stored and acknowledged, receipts, chat states,
 * IQs answered). Nothing throws, and every answer we send back (receipts, IQ results and errors,
 * refusals) is XML that the peer reads as stanzas, without ending the stream. The bytes follow a
 * fixed header from {@code bob@hostb}. Seeds and findings:
 * {@code src/test/resources/chat/pronto/session/IncomingStanzaFuzzTestInputs/fromBob/}.
 */
class IncomingStanzaFuzzTest {
    private static final String HEADER = "<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' from='bob@hostb' to='alice@hosta' version='1.0'>";
    private static final String REPLY_HEADER = HEADER.replace("from='bob@hostb' to='alice@hosta'",
            "from='alice@hosta' to='bob@hostb'");
    private static final StreamLimits LIMITS = new StreamLimits(4096, 16, 1000, 5000, Duration.ofSeconds(30));
    /** A session for a while, then a fresh one: its history and events grow with every input. */
    private static final int INPUTS_PER_SESSION = 256;
    private static OnePeer alice;
    private static int inputs;

    private static OnePeer alice() {
        if (alice == null || ++inputs % INPUTS_PER_SESSION == 0) {
            if (alice != null) {
                alice.presence.close();
                alice.bobOnTheNetwork.close();
            }
            alice = new OnePeer().withBobOnline();
        }
        return alice;
    }

    @FuzzTest(maxDuration = "10s")
    void fromBob(byte[] data) {
        byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
        byte[] incoming = new byte[header.length + data.length];
        System.arraycopy(header, 0, incoming, 0, header.length);
        System.arraycopy(data, 0, incoming, header.length, data.length);
        Inbound.Outcome read = Inbound.read(incoming, Integer.MAX_VALUE, LIMITS);
        if (read.restarts() > 0) {
            return; // a restart is the stream's business, not the session's
        }

        OnePeer session = alice();
        FakeStream stream = session.bobDials();
        for (Stanza stanza : read.stanzas()) {
            if (!StreamRouter.fromIsPeer(stanza, OnePeer.BOB.name())) {
                continue; // the stream ends with invalid-from; the session never sees it
            }
            if (stanza instanceof Message message) {
                session.session.onMessage(stream, message);
            } else if (stanza instanceof IQ iq) {
                session.session.onIq(stream, iq);
            } else {
                session.session.onPresence(stream);
            }
        }

        // Bob's stream ends before the next input's: a new stream would otherwise wait (5 s) for this
        // one to be read out, as a real switch-over does.
        stream.drop();
        session.session.onEnded(stream, new StreamEnd.Closed(false));

        StringBuilder replies = new StringBuilder(REPLY_HEADER);
        stream.sent().forEach(stanza -> replies.append(stanza.toXML()));
        Inbound.Outcome answer = Inbound.read(replies.append("</stream:stream>").toString()
                .getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE, StreamLimits.DEFAULT);
        assertTrue(answer.ended() && answer.condition() == null && answer.dropped() == 0,
                "bob could not read our answers: " + answer.summary());
    }
}
