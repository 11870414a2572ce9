package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;


import com.code_intelligence.jazzer.junit.FuzzTest;

import chat.pronto.model.PeerId;

/**
 * Fuzz target: a UDP packet on the mDNS port, as every responder's gate reads it before JmDNS does
 * ({@code JmdnsPresenceService.admit}): parsed, then handed to what reads parsed packets (comebacks,
 * the §8.2 tie-break, name conflicts). Parsing never throws (a damaged packet reads as nothing) and
 * never reads outside its part of the buffer; what it returns never breaks its readers: an SRV
 * record always has a target. Seeds and findings:
 * {@code src/test/resources/chat/pronto/presence/MdnsMessageFuzzTestInputs/packet/}.
 */
class MdnsMessageFuzzTest {
    private static final PeerId BOB = PeerId.of("bob@hostb");

    @FuzzTest(maxDuration = "10s")
    void packet(byte[] data) {
        Optional<MdnsMessage> parsed = MdnsMessage.parse(data, 0, data.length);

        // The same packet inside a larger buffer (a DatagramPacket's offset and length) reads the same.
        byte[] framed = new byte[data.length + 7];
        Arrays.fill(framed, (byte) 0xC0);
        System.arraycopy(data, 0, framed, 3, data.length);
        assertEquals(summary(parsed), summary(MdnsMessage.parse(framed, 3, data.length)));

        if (parsed.isEmpty()) {
            return;
        }
        MdnsMessage message = parsed.get();
        for (MdnsMessage.Record record : message.asserted()) {
            if (record.isSrv()) {
                assertNotNull(record.target(), "an SRV record without a target: " + summary(parsed));
            }
        }
        Comebacks comebacks = new Comebacks();
        comebacks.watch(BOB);
        comebacks.answered(message);
        List<TieBreak.Proposed> theirs = message.authorities().stream().map(TieBreak.Proposed::of).toList();
        TieBreak.compare(List.of(new TieBreak.Proposed(MdnsMessage.CLASS_IN, MdnsMessage.TYPE_SRV, new byte[7])),
                theirs);
    }

    private static String summary(Optional<MdnsMessage> message) {
        return message.map(m -> m.response() + " " + m.questions() + " " + records(m.answers()) + " "
                + records(m.authorities()) + " " + records(m.additionals())).orElse("damaged");
    }

    private static String records(List<MdnsMessage.Record> records) {
        StringBuilder text = new StringBuilder("[");
        for (MdnsMessage.Record r : records) {
            text.append(r.name()).append(' ').append(r.type()).append(' ').append(r.rrClass()).append(' ')
                    .append(r.ttl()).append(' ').append(HexFormat.of().formatHex(r.rdata())).append(' ')
                    .append(r.target()).append(' ').append(r.port()).append(';');
        }
        return text.append(']').toString();
    }
}
