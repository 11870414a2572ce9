package chat.pronto.words;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import chat.pronto.model.Problem;
import chat.pronto.model.Problem.Kind;
import chat.pronto.session.NotSentException;

class SentencesTest {
    @Test
    void everyKindOfProblemHasWordsThatCarryItsFacts() {
        for (Kind kind : Kind.values()) {
            String sentence = Sentences.of(Problem.of(kind, "fact-one", "fact-two", "fact-three"), "bob@hostb");
            assertFalse(sentence.isBlank(), kind.name());
            assertFalse(sentence.contains("null"), kind + ": " + sentence);
        }
    }

    @Test
    void theWordsNameThePeerAndWhatWentWrong() {
        assertEquals("bob@hostb is not on the network; the message waits until it is",
                Sentences.of(Problem.of(Kind.NOT_ON_NETWORK), "bob@hostb"));
        assertEquals("cannot connect to 10.0.0.2:5298 (Connection refused)",
                Sentences.of(Problem.of(Kind.CANNOT_CONNECT, "10.0.0.2", 5298, "Connection refused"), "bob@hostb"));
        assertEquals("refused by bob@hostb: not-acceptable (too loud)",
                Sentences.of(Problem.of(Kind.REFUSED_BY_PEER, "not-acceptable", "too loud"), "bob@hostb"));
        assertEquals("refused by bob@hostb: not-acceptable",
                Sentences.of(Problem.of(Kind.REFUSED_BY_PEER, "not-acceptable", null), "bob@hostb"));
        assertTrue(Sentences.of(Problem.of(Kind.PORT_IN_USE, 5298, 40001)).contains("listens on port 40001"));
    }

    @Test
    void aMutedStrangerIsNamedWithHowMuchItSentForHowLongAndHowToLetItThrough() {
        assertEquals("mallory@hostm, whom you never wrote to, sent more than a stranger may (500 messages, 1.0 MiB"
                        + " within 60 min): their messages are refused for 42 min, and they are told. Write to"
                        + " mallory@hostm to let them through.",
                Sentences.of(Problem.of(Kind.PEER_MUTED, "mallory@hostm", 42, 500, 1 << 20, 60)));
        assertTrue(Sentences.of(Problem.of(Kind.PEER_MUTED, "m@h", 60, 3, 2500)).contains("(3 messages, 2.4 KiB"));
        assertTrue(Sentences.of(Problem.of(Kind.PEER_MUTED, "m@h", 60, 3, 900)).contains("(3 messages, 900 bytes"));
    }

    @Test
    void aFailedCallIsExplainedByTheProblemItCarries() {
        NotSentException notSent = new NotSentException(Problem.of(Kind.SHUTTING_DOWN));
        assertEquals("Pronto is shutting down", Sentences.of(new CompletionException(notSent), "bob@hostb"));
        assertEquals("that is you", Sentences.of(new IllegalArgumentException("that is you"), "bob@hostb"));
    }
}
