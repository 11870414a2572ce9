package chat.pronto.load;


import java.time.Duration;

import org.junit.jupiter.api.Test;


/**
 * Load on one Pronto core (issue 16), with figures printed for the README. Sizes and deadlines are
 * small enough for CI; {@code -Dpronto.load.full=true} runs the sizes the issue names (they are the
 * burst's peers already) and longer attacks. Run alone:
 * {@code mvn -o -q test -Dtest=LoadIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class LoadIT {
    static final boolean FULL = Boolean.getBoolean("pronto.load.full");
    static final int PEERS = Integer.getInteger("pronto.load.peers", 50);
    static final int MESSAGES = Integer.getInteger("pronto.load.messages", FULL ? 200 : 20);
    static final Duration IDLE = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(Integer.getInteger("pronto.load.waitSeconds", FULL ? 900 : 120));

    /**
     * 50 peers each send 200 messages at the same moment: every one is stored once by the receiver and
     * acknowledged to its sender, and once the streams have gone idle and closed, the JVM's threads and
     * heap are back where they were.
     */
    @Test
    void fiftyPeersSendingTwoHundredMessagesEachAtOnceAreAllStoredOnceAndAcknowledged() throws Exception {
        try (Crowd crowd = Crowd.start(PEERS, IDLE, config -> config)) {
            Burst.Result result = Burst.run(crowd, MESSAGES, WAIT);
            result.print("core alone");
            result.assertAllStoredOnceAndAcknowledged(crowd, MESSAGES);
            result.assertBackToLevel();
        }
    }
}
