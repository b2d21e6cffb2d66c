package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import org.junit.jupiter.api.Test;

class RunTableTest {

    private static final long NONE = RunTable.NO_PREVIOUS;

    @Test
    void callsPairWithThePreviousCallOfTheirRun() {
        RunTable runs = new RunTable();
        assertThat(runs.observe("a", 0, 1, 8)).isEqualTo(RunTable.RUN_START);
        assertThat(runs.observe("b", 0, 5, 8)).isEqualTo(RunTable.RUN_START);
        assertThat(runs.observe("a", 1, 2, 8)).isEqualTo(1);
        assertThat(runs.observe("b", 1, 6, 8)).isEqualTo(5);
        assertThat(runs.observe("a", 2, 3, 8)).isEqualTo(2);
    }

    @Test
    void lateRepeatedAndSkippedStepsPairWithNothing() {
        RunTable runs = new RunTable();
        runs.observe("a", 0, 1, 8);
        runs.observe("a", 1, 2, 8);
        assertThat(runs.observe("a", 1, 9, 8)).as("repeated").isEqualTo(NONE);
        assertThat(runs.observe("a", 0, 9, 8)).as("late").isEqualTo(NONE);
        assertThat(runs.observe("a", 2, 3, 8)).as("unchanged by the late ones").isEqualTo(2);
        assertThat(runs.observe("a", 5, 4, 8)).as("skipped").isEqualTo(NONE);
        assertThat(runs.observe("a", 6, 7, 8)).isEqualTo(4);
    }

    @Test
    void unknownStepsPairInArrivalOrderButNeverStartARun() {
        RunTable runs = new RunTable();
        assertThat(runs.observe("a", ToolCall.NO_STEP, 1, 8))
                .as("its start may have been forgotten")
                .isEqualTo(NONE);
        assertThat(runs.observe("a", ToolCall.NO_STEP, 2, 8)).isEqualTo(1);
        assertThat(runs.observe("a", 7, 3, 8)).isEqualTo(2);
        assertThat(runs.observe("b", 3, 1, 8)).as("a run first seen mid-way").isEqualTo(NONE);
        assertThat(runs.observe(null, 0, 1, 8)).isEqualTo(NONE);
        assertThat(runs.observe("c", 0, 1, 0)).as("no room for runs").isEqualTo(NONE);
    }

    @Test
    void theLeastRecentlySeenRunIsForgotten() {
        RunTable runs = new RunTable();
        runs.observe("a", 0, 1, 2);
        runs.observe("b", 0, 2, 2);
        runs.observe("a", 1, 3, 2);
        runs.observe("c", 0, 4, 2);
        assertThat(runs.runs).hasSize(2);
        assertThat(runs.observe("b", 1, 5, 2)).as("forgotten").isEqualTo(NONE);
        assertThat(runs.observe("c", 1, 6, 2)).isEqualTo(4);
    }

    @Test
    void roundTrips() {
        RunTable runs = new RunTable();
        runs.observe("a", 0, -7, 8);
        runs.observe("b", ToolCall.NO_STEP, 3, 8);
        StateWriter out = new StateWriter();
        runs.writeTo(out);
        RunTable decoded = RunTable.readFrom(new StateReader(out.toByteArray(), 0), 8);
        assertThat(decoded.runs).isEqualTo(runs.runs);
    }
}
