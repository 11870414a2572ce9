package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OwnPacketsTest {
    private final OwnPackets own = new OwnPackets();

    @Test
    void recognisesExactlyThePacketsWeSent() {
        byte[] sent = {1, 2, 3, 4, 5};
        own.sent(sent);
        byte[] buffer = new byte[100];
        System.arraycopy(sent, 0, buffer, 10, sent.length);

        assertTrue(own.isOurs(buffer, 10, 5));
        assertFalse(own.isOurs(buffer, 10, 4), "a prefix is another packet");
        buffer[12] = 9;
        assertFalse(own.isOurs(buffer, 10, 5), "one byte differs");
    }

    @Test
    void keepsOnlyTheRecentOnes() {
        own.sent(new byte[] {42});
        for (int i = 0; i < 300; i++) {
            own.sent(new byte[] {(byte) i, (byte) (i >> 8), 7});
        }
        assertFalse(own.isOurs(new byte[] {42}, 0, 1));
    }
}
