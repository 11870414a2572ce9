package chat.pronto.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.PeerId;
import chat.pronto.session.ChatEvent;
import chat.pronto.testing.BurstRecorder;
import chat.pronto.ui.common.FxEvents;

/** A burst of events crosses to the FX thread in one hand-over (a long one in parts), in order, its end last. */
class FxEventsTest {
    @Test
    void aBurstCrossesInOneHandOverAndAFloodInParts() {
        List<Runnable> handOvers = new ArrayList<>();
        FxEvents events = new FxEvents(handOvers::add);
        BurstRecorder recorder = new BurstRecorder();
        events.add(recorder);

        for (int i = 0; i < 300; i++) {
            events.onChatEvent(new ChatEvent.MessageAdded(ChatMessage.incoming(PeerId.of("bob@b"), "m" + i, "hi",
                    Instant.now())));
        }
        assertEquals(1, handOvers.size(), "the first 256 crossed before the burst ended");
        events.eventsDrained();
        assertEquals(2, handOvers.size());
        handOvers.forEach(Runnable::run);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add("m" + i);
        }
        expected.add("end");
        assertEquals(expected, recorder.told);
    }
}
