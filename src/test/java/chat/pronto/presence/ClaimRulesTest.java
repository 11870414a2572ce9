package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import chat.pronto.presence.ClaimRules.Reaction;
import chat.pronto.presence.ClaimRules.State;

class ClaimRulesTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final ClaimRules rules = new ClaimRules();

    @Test
    void aNewcomerWhoseProbeIsAnsweredRenames() {
        assertEquals(Reaction.RENAME, rules.onAnswer(State.PROBING, 0));
    }

    @Test
    void anEstablishedOwnerDefendsItsNameAndDoesNotRename() {
        assertEquals(Reaction.DEFEND, rules.onAnswer(State.ANNOUNCED, 0));
        assertEquals(Reaction.DEFEND, rules.onAnswer(State.ANNOUNCED, 2 * SECOND));
    }

    @Test
    void twoWhoAnnouncedAtOnceProbeAgainAndLetTheProbesDecide() {
        assertEquals(Reaction.REPROBE, rules.onAnswer(State.ANNOUNCING, 0));
    }

    @Test
    void theLoserOfASimultaneousProbeDefersAndTheWinnerGoesOn() {
        assertEquals(Reaction.DEFER, rules.onProbe(State.PROBING, TieBreak.Outcome.LOST, 0));
        assertEquals(Reaction.IGNORE, new ClaimRules().onProbe(State.PROBING, TieBreak.Outcome.WON, 0));
        assertEquals(Reaction.IGNORE, new ClaimRules().onProbe(State.ANNOUNCED, TieBreak.Outcome.LOST, 0),
                "an owner answers the probe instead");
    }

    @Test
    void copiesOfOnePacketOnSeveralSocketsCountOnce() {
        assertEquals(Reaction.DEFEND, rules.onAnswer(State.ANNOUNCED, 0));
        assertEquals(Reaction.IGNORE, rules.onAnswer(State.ANNOUNCED, SECOND / 10));
    }

    @Test
    void anOwnerThatMetAnotherOwnerProbesAgainAfterTwoDefencesAndGivesUpAfterThreeProbes() {
        long now = 0;
        assertEquals(Reaction.DEFEND, rules.onAnswer(State.ANNOUNCED, now));
        assertEquals(Reaction.DEFEND, rules.onAnswer(State.ANNOUNCED, now += SECOND));
        assertEquals(Reaction.REPROBE, rules.onAnswer(State.ANNOUNCED, now += SECOND));
        assertEquals(Reaction.REPROBE, rules.onAnswer(State.ANNOUNCING, now += SECOND));
        assertEquals(Reaction.REPROBE, rules.onAnswer(State.ANNOUNCING, now += SECOND));
        assertEquals(Reaction.RENAME, rules.onAnswer(State.ANNOUNCING, now += SECOND), "a host that never yields");
        rules.renamed();
        assertEquals(Reaction.DEFEND, rules.onAnswer(State.ANNOUNCED, now += SECOND), "a new name starts afresh");
    }

    @Test
    void defencesLongAgoDoNotCount() {
        rules.onAnswer(State.ANNOUNCED, 0);
        rules.onAnswer(State.ANNOUNCED, SECOND);
        assertEquals(Reaction.DEFEND, rules.onAnswer(State.ANNOUNCED, 60 * SECOND));
    }
}
