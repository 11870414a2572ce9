package chat.pronto.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class UnresolvedNamesTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** 4 tracked, 2 unresolved watched, 3 asks and 2 new watches a second, retries 1 s … 8 s, answering counts 10 s. */
    private static final UnresolvedNames.Limits SMALL = new UnresolvedNames.Limits(4, 2, 3, 2, 1000, 8000, 10_000, 8);
    private long now = 1_000 * SECOND;
    private final UnresolvedNames names = new UnresolvedNames(SMALL, now);

    @Test
    void aNewNameIsAskedForAtOnceThenAfterOneTwoFourSecondsUpToTheLongestWait() {
        names.announced("Bob@HostB", now);
        assertEquals(List.of("Bob@HostB"), names.due(now));
        assertEquals(List.of(), names.due(now + SECOND - 1));
        List<Long> askedAt = new ArrayList<>();
        for (long t = now + 1; t <= now + 40 * SECOND; t += SECOND / 4) {
            if (!names.due(t).isEmpty()) {
                askedAt.add((t - now) / (SECOND / 4));
            }
        }
        // in quarter seconds: 1 s, then 2, 4, 8, 8, 8… s apart
        assertEquals(List.of(4L, 12L, 28L, 60L, 92L, 124L, 156L), askedAt);
    }

    @Test
    void atMostSoManyNamesAreAskedForASecondAndTheRestWaitTheirTurn() {
        for (int i = 0; i < 4; i++) {
            names.announced("fake" + i, now);
        }
        assertEquals(3, names.due(now).size());
        assertEquals(List.of(), names.due(now + 1)); // the bucket is empty
        assertEquals(List.of("fake3"), names.due(now + SECOND / 2));
    }

    @Test
    void aFullTableEvictsTheNameAskedMostOftenWithoutAnswerAndNeverOneThatAnsweredFirst() {
        names.announced("answers", now);
        names.answering("answers", now);
        for (int i = 0; i < 3; i++) {
            names.announced("fake" + i, now);
        }
        names.due(now); // answers, fake0, fake1 asked once
        names.due(now + 2 * SECOND); // answers again, then fake2 (never asked), then fake0 (the older)
        assertTrue(names.isFull());

        Optional<String> evicted = names.announced("newcomer", now + 3 * SECOND);

        assertEquals(Optional.of("fake0"), evicted); // asked as often as fake1, and older
        assertEquals(4, names.trackedCount());
        names.announced("another", now + 3 * SECOND);
        names.announced("yetAnother", now + 3 * SECOND);
        names.announced("andAnother", now + 3 * SECOND);
        assertTrue(names.due(now + 30 * SECOND).contains("answers"), "the name that answered is still chased");
    }

    @Test
    void answeringNamesAreAskedForFirst() {
        for (int i = 0; i < 4; i++) {
            names.announced("fake" + i, now);
        }
        names.due(now); // three of them
        names.answering("fake3", now + SECOND);
        assertEquals("fake3", names.due(now + 2 * SECOND).get(0));
    }

    @Test
    void onlyNamesThatAnswerOrAreCachedGetAResolverAndOnlyOneEach() {
        assertFalse(names.watch("fake", false, now).start(), "announced only: no resolver");
        assertTrue(names.watch("cached", true, now).start(), "all its records cached");
        assertFalse(names.watch("cached", true, now).start(), "one resolver per name");
        names.answering("bob@hostb", now);
        assertTrue(names.watch("bob@hostb", false, now).start());
        assertTrue(names.isWatched("bob@hostb"));
    }

    @Test
    void newResolversForNamesWithoutDataAreRateLimitedAndTheOldestUnresolvedOneMakesRoom() {
        for (String name : List.of("a", "b", "c", "d")) {
            names.answering(name, now);
        }
        assertTrue(names.watch("a", false, now).start());
        assertTrue(names.watch("b", false, now).start());
        assertFalse(names.watch("c", false, now).start(), "two a second");
        UnresolvedNames.Watch third = names.watch("c", false, now + SECOND);
        assertTrue(third.start());
        assertEquals(Optional.of("a"), third.drop(), "two unresolved at most: the oldest goes");
        assertFalse(names.isWatched("a"));

        names.resolved("b"); // a peer: it no longer counts
        UnresolvedNames.Watch fourth = names.watch("d", false, now + SECOND);
        assertTrue(fourth.start());
        assertEquals(Optional.empty(), fourth.drop());
        assertEquals(2, names.unresolvedWatchCount());
    }

    @Test
    void answeringCountsForAWhileAndNamesWithoutAResolverAreListedForOne() {
        names.answering("bob@hostb", now);
        assertEquals(List.of("bob@hostb"), names.answeringUnwatched(now, 20));
        names.watch("bob@hostb", false, now);
        assertEquals(List.of(), names.answeringUnwatched(now, 20));
        names.answering("carol@hostc", now);
        assertTrue(names.isAnswering("carol@hostc", now + 9 * SECOND));
        assertFalse(names.isAnswering("carol@hostc", now + 11 * SECOND));
        assertEquals(List.of(), names.answeringUnwatched(now + 11 * SECOND, 20));
    }

    @Test
    void answeringNamesTakeTurns() {
        for (String name : List.of("a", "b", "c")) {
            names.answering(name, now);
        }
        assertEquals(List.of("a", "b"), names.answeringUnwatched(now, 2));
        assertEquals(List.of("c", "a"), names.answeringUnwatched(now, 2));
    }

    @Test
    void aWatchGivenUpForANewerOneIsNotStartedAgainUnlessItsRecordsAreComplete() {
        for (String name : List.of("a", "b", "c")) {
            names.answering(name, now);
        }
        names.watch("a", false, now);
        names.watch("b", false, now);
        assertEquals(Optional.of("a"), names.watch("c", false, now + SECOND).drop());
        names.answering("a", now + 2 * SECOND);
        assertFalse(names.watch("a", false, now + 2 * SECOND).start(), "given up");
        assertEquals(List.of(), names.answeringUnwatched(now + 2 * SECOND, 20));
        assertTrue(names.watch("a", true, now + 2 * SECOND).start(), "its records came in full after all");
    }

    @Test
    void theAnsweringListIsBoundedToo() {
        for (int i = 0; i < 100; i++) {
            names.answering("name" + i, now);
        }
        assertEquals(8, names.answeringUnwatched(now, 20).size());
        assertTrue(names.isAnswering("name99", now));
        assertFalse(names.isAnswering("name0", now));
    }

    @Test
    void aResolvedOrDepartedNameIsNoLongerChased() {
        names.announced("bob@hostb", now);
        names.announced("carol@hostc", now);
        names.resolved("bob@hostb");
        names.gone("carol@hostc");
        assertEquals(0, names.trackedCount());
        assertEquals(List.of(), names.due(now + SECOND));
        names.announced("Bob@HostB", now);
        names.announced("bob@hostb", now);
        assertEquals(1, names.trackedCount(), "names compare without case");
        assertEquals(List.of("Bob@HostB"), names.due(now + SECOND), "the first announcement's case is kept");
    }
}
