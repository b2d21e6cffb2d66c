package dev.tamperwatch.job.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentActorsTest {

    private static final long WINDOW = 100;

    private static Actor at(long time, String trace) {
        Actor actor = new Actor();
        actor.traceId = trace;
        actor.time = time;
        return actor;
    }

    private static RecentActors seeing(Actor... seen) {
        RecentActors recent = new RecentActors();
        for (Actor actor : seen) {
            recent.see(actor, WINDOW);
        }
        return recent;
    }

    @Test
    void aWindowNamesItsLastActorWhetherOrNotTheNextWindowHasBegun() {
        RecentActors before = seeing(at(10, "a"), at(90, "b"));
        RecentActors after = seeing(at(10, "a"), at(90, "b"), at(120, "c"), at(150, "d"));

        assertThat(before.before(100).traceId).isEqualTo("b");
        assertThat(after.before(100).traceId).isEqualTo("b");
        assertThat(after.before(200).traceId).isEqualTo("d");
    }

    @Test
    void arrivalOrderDoesNotChangeWhoIsNamed() {
        RecentActors inOrder = seeing(at(10, "a"), at(90, "b"), at(120, "c"));
        RecentActors straggler = seeing(at(10, "a"), at(120, "c"), at(90, "b"));
        RecentActors olderStraggler = seeing(at(90, "b"), at(120, "c"), at(10, "a"));

        assertThat(straggler.before(100).traceId).isEqualTo(inOrder.before(100).traceId);
        assertThat(olderStraggler.before(100).traceId).isEqualTo("b");
        assertThat(straggler.before(200).traceId).isEqualTo("c");
    }

    @Test
    void withoutAnActorBeforeTheTimeTheLatestIsNamed() {
        assertThat(seeing(at(150, "c")).before(100).traceId).isEqualTo("c");
        assertThat(new RecentActors().before(100)).isNull();
    }
}
