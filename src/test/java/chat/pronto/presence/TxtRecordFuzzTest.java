package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;


import com.code_intelligence.jazzer.junit.FuzzTest;

import chat.pronto.model.PeerAdvert;
import chat.pronto.model.PeerId;

/**
 * Fuzz target: a peer's TXT record bytes, as mDNS delivers them, read into an advert. Reading never
 * fails (the class promises it): keys come out lower case, stripped, non-empty and once each; the
 * advert reads whatever the keys say; and what we would publish from those entries reads back.
 * Seeds and findings: {@code src/test/resources/chat/pronto/presence/TxtRecordFuzzTestInputs/txtBytes/}.
 */
class TxtRecordFuzzTest {
    private static final PeerId BOB = PeerId.of("bob@hostb");

    @FuzzTest(maxDuration = "10s")
    void txtBytes(byte[] wire) {
        TxtRecord txt = TxtRecord.decode(wire);

        List<String> keys = txt.keys();
        assertEquals(keys.size(), new HashSet<>(keys).size(), "a key twice: " + keys);
        TxtRecord.Builder again = new TxtRecord.Builder().budget(64 * 1024);
        for (String key : keys) {
            assertFalse(key.isEmpty());
            assertEquals(key.strip().toLowerCase(Locale.ROOT), key);
            assertTrue(txt.has(key));
            if (key.chars().allMatch(c -> c < 0x80)) {
                // RFC 6763 §6.4: keys are ASCII and compare without case (other keys are kept as read).
                assertTrue(txt.has(key.toUpperCase(Locale.ROOT)), key);
            }
            if (key.chars().allMatch(c -> c > 0x20 && c < 0x7F) && key.length() < 64) {
                // What we publish: short ASCII keys (a long or Latin-1 key may be cut at 255 bytes).
                txt.get(key).ifPresent(value -> again.put(key, value));
            }
        }
        PeerAdvert advert = Adverts.read(BOB, txt, List.of(InetAddress.getLoopbackAddress()), 5298);
        assertNotNull(advert.status());
        assertNotNull(advert.message());

        TxtRecord reread = TxtRecord.decode(again.encode());
        for (String key : reread.keys()) {
            assertTrue(txt.has(key), "re-encoding made up " + key);
        }
    }
}
