package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TxtRecordTest {
    /** Wire form of the given strings, each as raw bytes after a length byte. */
    static byte[] wire(byte[]... strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] string : strings) {
            out.write(string.length);
            out.writeBytes(string);
        }
        return out.toByteArray();
    }

    static byte[] wire(String... strings) {
        byte[][] bytes = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            bytes[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        }
        return wire(bytes);
    }

    @Test
    void readsBackWhatItWritesInOrder() {
        byte[] encoded = new TxtRecord.Builder().put("txtvers", "1").put("status", "avail").put("msg", "à table ☕")
                .encode();

        TxtRecord read = TxtRecord.decode(encoded);
        assertEquals(List.of("txtvers", "status", "msg"), read.keys());
        assertEquals(Optional.of("à table ☕"), read.get("msg"));
        assertEquals("txtvers=1", new String(encoded, 1, encoded[0], StandardCharsets.UTF_8));
    }

    @Test
    void takesKeysCaseInsensitivelyAndTheFirstOccurrence() {
        TxtRecord read = TxtRecord.decode(wire("Status=away", "status=dnd", "NICK=Zoë"));

        assertEquals(Optional.of("away"), read.get("status"));
        assertEquals(Optional.of("Zoë"), read.get("nick"));
    }

    @Test
    void acceptsTxtversLastAsPidginSendsIt() {
        TxtRecord read = TxtRecord.decode(wire("1st=Bob", "last=Builder", "port.p2pj=5298", "status=dnd",
                "node=libpurple", "ver=2.14.12", "txtvers=1"));

        assertEquals(Optional.of("1"), read.get("txtvers"));
        assertEquals(Optional.of("Bob"), read.get("1st"));
    }

    @Test
    void tellsABareKeyFromAMissingOneAndAnEmptyValue() {
        TxtRecord read = TxtRecord.decode(wire("flag", "empty="));

        assertTrue(read.has("flag"));
        assertEquals(Optional.empty(), read.get("flag"));
        assertEquals(Optional.of(""), read.get("empty"));
        assertFalse(read.has("missing"));
    }

    @Test
    void readsBytesThatAreNotUtf8AsLatin1() {
        byte[] latin1 = "nick=Jos\u00e9".getBytes(StandardCharsets.ISO_8859_1);

        assertEquals(Optional.of("José"), TxtRecord.decode(wire(latin1)).get("nick"));
    }

    @Test
    void survivesEmptyStringsKeylessStringsAndALengthPastTheEnd() {
        byte[] broken = {0, 3, '=', 'x', 'y', 9, 'm', 's', 'g', '=', 'h', 'i'};

        TxtRecord read = TxtRecord.decode(broken);
        assertEquals(Optional.of("hi"), read.get("msg"));
        assertEquals(List.of("msg"), read.keys());
        assertEquals(List.of(), TxtRecord.decode(null).keys());
        assertEquals(List.of(), TxtRecord.decode(new byte[0]).keys());
    }

    @Test
    void neverThrowsOnRandomBytes() {
        Random random = new Random(6763);
        for (int i = 0; i < 10_000; i++) {
            byte[] noise = new byte[random.nextInt(600)];
            random.nextBytes(noise);
            TxtRecord.decode(noise).keys();
        }
    }

    @Test
    void cutsAValueOver255BytesAtACharacterBoundary() {
        String longMessage = "☕".repeat(200);

        byte[] encoded = new TxtRecord.Builder().put("msg", longMessage).encode();

        assertEquals(encoded.length, 1 + (encoded[0] & 0xff), "exactly one string");
        String read = TxtRecord.decode(encoded).get("msg").orElseThrow();
        assertTrue(longMessage.startsWith(read) && !read.isEmpty(), read);
        assertTrue((encoded[0] & 0xff) <= 255 && (encoded[0] & 0xff) >= 250);
    }

    @Test
    void keepsTheWholeRecordWithinItsBudgetByShorteningTheLongestValues() {
        TxtRecord.Builder builder = new TxtRecord.Builder().put("txtvers", "1").put("status", "avail");
        for (String key : List.of("msg", "nick", "1st", "last", "email", "jid")) {
            builder.put(key, "v".repeat(250));
        }

        byte[] encoded = builder.encode();

        assertTrue(encoded.length <= TxtRecord.DEFAULT_BUDGET, "encoded " + encoded.length + " bytes");
        TxtRecord read = TxtRecord.decode(encoded);
        assertEquals(Optional.of("1"), read.get("txtvers"));
        assertEquals(Optional.of("avail"), read.get("status"));
        assertTrue(read.get("jid").orElseThrow().length() > 150);
    }

    @Test
    void leavesOutBlankValues() {
        assertEquals(List.of("txtvers"),
                TxtRecord.decode(new TxtRecord.Builder().put("txtvers", "1").put("msg", " ").put("nick", null)
                        .encode()).keys());
    }
}
