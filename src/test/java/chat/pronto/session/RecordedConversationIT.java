package chat.pronto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.TypingState;
import chat.pronto.stream.Traffic;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.FakeLink;
import chat.pronto.testing.RecordingChatListener;

/**
 * Pins down what a conversation puts on the wire: a scripted chat between two cores (messages,
 * receipts, disco#info both ways, chat states, a hand-typed ping and an unknown IQ, the close) is
 * recorded on each side after TLS and compared with {@code recorded-conversation.txt}, with ids
 * blanked and each side's stanzas sorted (threads may interleave independent replies). A change to
 * the session layer that changes the traffic shows here. To record anew after an intended change:
 * {@code -Dpronto.record=src/test/resources/chat/pronto/session/recorded-conversation.txt}.
 */
class RecordedConversationIT {
    private static final Pattern IDS = Pattern.compile("\\bid=(['\"])[^'\"]*\\1");
    private static final Pattern OUR_IDS = Pattern.compile("pronto-[0-9a-f-]{36}");
    private static final String RECORDING = "recorded-conversation.txt";

    @Test
    void aScriptedConversationPutsTheSameStanzasOnTheWireAsRecorded() throws Exception {
        FakeLink link = new FakeLink();
        List<Traffic> aliceOut = new CopyOnWriteArrayList<>();
        List<Traffic> bobOut = new CopyOnWriteArrayList<>();
        ChatCore alice = ChatCore.on(link, "alice@hosta").start();
        ChatCore bob = ChatCore.on(link, "bob@hostb").start();
        try {
            alice.chat.traffic().listen(t -> keep(t, aliceOut));
            bob.chat.traffic().listen(t -> keep(t, bobOut));

            ChatMessage hello = alice.chat.send(bob.id(), "Hello Bob").get();
            bob.events.awaitReceived("Hello Bob");
            alice.events.awaitState(hello.id(), DeliveryState.DELIVERED);

            ChatMessage reply = bob.chat.send(alice.id(), "Hi Alice <3 & more").get();
            alice.events.awaitReceived("Hi Alice <3 & more");
            bob.events.awaitState(reply.id(), DeliveryState.DELIVERED);

            alice.chat.setTyping(bob.id(), TypingState.COMPOSING);
            bob.events.await(ChatEvent.Typing.class, t -> t.state() == TypingState.COMPOSING);
            alice.chat.setTyping(bob.id(), TypingState.PAUSED);
            bob.events.await(ChatEvent.Typing.class, t -> t.state() == TypingState.PAUSED);

            alice.chat.sendRaw(bob.id(), "<iq type='get' id='ping-1'><ping xmlns='urn:xmpp:ping'/></iq>").get();
            alice.chat.sendRaw(bob.id(), "<iq type='get' id='odd-1'><query xmlns='urn:example:odd'/></iq>").get();
            org.awaitility.Awaitility.await().atMost(RecordingChatListener.WAIT)
                    .until(() -> bobOut.stream().filter(t -> t.xml().contains("odd-1")).count() == 1
                            && bobOut.stream().filter(t -> t.xml().contains("ping-1")).count() == 1
                            && bobOut.stream().filter(t -> t.xml().contains("disco#info")).count() == 2
                            && aliceOut.stream().filter(t -> t.xml().contains("disco#info")).count() == 2);
        } finally {
            alice.close();
            bob.close();
        }
        String recorded = "# alice@hosta sends\n" + normalized(aliceOut) + "# bob@hostb sends\n" + normalized(bobOut);

        String target = System.getProperty("pronto.record");
        if (target != null) {
            Files.writeString(Path.of(target), recorded, StandardCharsets.UTF_8);
        }
        assertEquals(expected(), recorded);
    }

    /** What a side wrote inside TLS, stream headers aside (they carry random stream ids anyway). */
    private static void keep(Traffic traffic, List<Traffic> into) {
        if (traffic.direction() == Traffic.Direction.OUT && traffic.encrypted()) {
            into.add(traffic);
        }
    }

    private static String normalized(List<Traffic> chunks) {
        List<String> lines = new ArrayList<>();
        for (Traffic chunk : chunks) {
            String xml = chunk.xml().strip();
            xml = OUR_IDS.matcher(xml).replaceAll("ID");
            xml = IDS.matcher(xml).replaceAll("id='ID'");
            xml = xml.replace(System.getProperty("os.name"), "OS");
            lines.add(xml);
        }
        lines.sort(null);
        return String.join("\n", lines) + "\n";
    }

    private static String expected() throws IOException {
        try (InputStream in = RecordedConversationIT.class.getResourceAsStream(RECORDING)) {
            assertNotNull(in, RECORDING + " is missing: record it with -Dpronto.record=…");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
