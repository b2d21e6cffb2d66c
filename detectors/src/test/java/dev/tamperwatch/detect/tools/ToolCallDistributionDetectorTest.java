package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallDistributionDetectorTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_779_998_400_000L;

    private final ToolCallDistributionDetector detector =
            new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults());

    private static ToolCallState baseline(Object... namesAndWeights) {
        ToolCallState state = new ToolCallState();
        for (int i = 0; i < namesAndWeights.length; i += 2) {
            state.tools.add(
                    new ToolCallState.Tool(
                            (String) namesAndWeights[i],
                            ((Number) namesAndWeights[i + 1]).floatValue(),
                            0,
                            false));
        }
        state.recomputeDerived();
        return state;
    }

    private List<Finding> call(ToolCallState state, String tool, String id, long time) {
        return detector.onEvent(state, new ToolCall(tool, "target", id), time);
    }

    /** Calls {@code tool} {@code times} times in window {@code w}, ids {@code tool-w-i}. */
    private List<Finding> calls(ToolCallState state, int w, String tool, int times) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            findings.addAll(call(state, tool, tool + "-" + w + "-" + i, T0 + w * HOUR + i));
        }
        return findings;
    }

    @Test
    void novelToolRaisesAFindingOnItsFirstCall() {
        ToolCallState state = baseline("search", 600, "send_email", 400);
        assertThat(calls(state, 0, "search", 5)).isEmpty();

        List<Finding> findings = call(state, "delete_db", "novel-1", T0 + 10);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.detector()).isEqualTo("tool-call-distribution");
        assertThat(finding.windowStart()).isEqualTo(T0);
        assertThat(finding.windowEnd()).isEqualTo(T0 + HOUR);
        assertThat(finding.pValue()).as("(0 + 0 + 1) / (1000 + 1)").isEqualTo(1.0 / 1001);
        assertThat(finding.threshold()).isEqualTo(0.01);
        assertThat(finding.severity()).isEqualTo(Severity.LOW);
        assertThat(finding.summary())
                .isEqualTo(
                        "novel tool 'delete_db' called: not in baseline of 1000 calls, estimated"
                                + " chance of an unseen tool 0.1% (threshold 1%)");
        assertThat(finding.measures())
                .containsExactly(
                        new Measure(
                                "tool:delete_db",
                                1,
                                1.0 / 1001,
                                Double.NaN,
                                Double.NaN,
                                1000,
                                "count"));
        assertThat(finding.relatedEventIds()).containsExactly("novel-1");
        assertThat(call(state, "delete_db", "novel-2", T0 + 11))
                .as("at most one novelty finding per tool and window")
                .isEmpty();
    }

    @Test
    void flaggedToolIsNotLearnedAndStaysNovel() {
        ToolCallState state = baseline("search", 600, "send_email", 400);
        assertThat(calls(state, 0, "delete_db", 3)).hasSize(1);
        assertThat(detector.onTime(state, T0 + HOUR)).isEmpty();
        assertThat(state.indexOf("delete_db")).as("not in the baseline").isEqualTo(-1);
        assertThat(state.baselineOther)
                .as("held-out calls join the other mass, then the baseline shrinks to its cap")
                .isCloseTo(3f * 1000 / 1003, within(1e-4f));
        double expectedProbability = (state.baselineOther + 0 + 1.0) / (1000 + 1);
        List<Finding> again = calls(state, 1, "delete_db", 1);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).pValue()).isCloseTo(expectedProbability, within(1e-9));
    }

    @Test
    void novelToolsAreLearnedDuringWarmUp() {
        ToolCallState state = detector.newState();
        for (int w = 0; w < 3; w++) {
            assertThat(calls(state, w, "tool-" + w, 40)).isEmpty();
        }
        detector.onTime(state, T0 + 3 * HOUR);
        assertThat(state.trackedTools()).isEqualTo(3);
        assertThat(state.baselineSize()).isEqualTo(120.0);
    }

    @Test
    void shiftFindingNamesTheToolsThatMoved() {
        ToolCallState state = baseline("search", 500, "read_file", 300, "send_email", 200);
        calls(state, 0, "search", 30);
        calls(state, 0, "read_file", 10);
        calls(state, 0, "send_email", 60);

        List<Finding> findings = detector.onTime(state, T0 + HOUR);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.pValue()).isPositive().isLessThan(1e-12);
        assertThat(finding.threshold()).isEqualTo(1e-5);
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding.summary())
                .startsWith(
                        "tool mix shifted: 100 calls in 1h window, send_email 60 vs 20 expected,"
                                + " read_file 10 vs 30, search 30 vs 50 (JSD 0.132 bits, p=")
                .endsWith(", baseline 1000 calls)");
        assertThat(finding.measures())
                .extracting(Measure::name)
                .containsExactly(
                        "tool:send_email", "tool:read_file", "tool:search", "tool_mix_jsd");
        Measure jsd = finding.measures().get(3);
        assertThat(jsd.observed()).isBetween(0.05, 0.2);
        assertThat(jsd.unit()).isEqualTo("bits");
        assertThat(finding.relatedEventIds())
                .isNotEmpty()
                .allMatch(id -> id.startsWith("send_email-"));
        assertThat(state.baselineSize()).as("an alerting window is not learned").isEqualTo(1000.0);
        assertThat(state.tool(state.indexOf("send_email")).baseline).isEqualTo(200f);
    }

    @Test
    void windowsBelowTheMinimumAreLearnedWithoutTesting() {
        ToolCallState state = baseline("search", 500, "send_email", 500);
        calls(state, 0, "send_email", 19);
        assertThat(detector.onTime(state, T0 + HOUR)).isEmpty();
        assertThat(state.baselineSize()).isCloseTo(1000.0, within(1e-3));
    }

    @Test
    void laterEventClosesAndLateEventJoinsTheOpenWindow() {
        ToolCallState state = baseline("search", 500, "read_file", 300, "send_email", 200);
        calls(state, 2, "send_email", 90);
        call(state, "search", "late", T0);
        assertThat(state.windowStart).isEqualTo(T0 + 2 * HOUR);
        assertThat(state.windowTotal()).isEqualTo(91);
        List<Finding> findings = call(state, "search", "next", T0 + 3 * HOUR);
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).windowStart()).isEqualTo(T0 + 2 * HOUR);
        assertThat(detector.nextDeadline(state)).isEqualTo(T0 + 4 * HOUR);
    }

    @Test
    void leastUsedToolIsForgottenWhenTheTableIsFull() {
        ToolCallDistributionConfig defaults = ToolCallDistributionConfig.defaults();
        ToolCallDistributionDetector small =
                new ToolCallDistributionDetector(
                        new ToolCallDistributionConfig(
                                defaults.window(), 1e-5, 0.01, 100, 3, 1000, 0.5, 20, 5, 64));
        ToolCallState state = baseline("a", 500, "b", 400, "c", 100);
        small.onEvent(state, new ToolCall("d", null, "d-1"), T0);
        assertThat(state.trackedTools()).isEqualTo(3);
        assertThat(state.indexOf("c")).isEqualTo(-1);
        assertThat(state.baselineOther).isEqualTo(100f);
        assertThat(state.baselineSize()).isEqualTo(1000.0);
    }

    @Test
    void longToolNamesAreCutOnACharacterBoundary() {
        ToolCallState state = detector.newState();
        String name = "é".repeat(40);
        call(state, name, "id", T0);
        assertThat(state.tool(0).name).isEqualTo("é".repeat(32));
    }

    @Test
    void extremeInputsNeverThrow() {
        ToolCallState state = baseline("search", 1000);
        assertThatCode(
                        () -> {
                            for (long t : new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE, -1, 7}) {
                                detector.onEvent(state, new ToolCall(null, null, null), t);
                                detector.onEvent(state, new ToolCall("", "", "x".repeat(500)), t);
                                detector.onTime(state, t);
                            }
                            detector.onTime(state, Long.MAX_VALUE);
                            detector.codec().decode(detector.codec().encode(state));
                        })
                .doesNotThrowAnyException();
    }

    @Test
    void stateIsEmptyOnlyWithoutHistory() {
        ToolCallState state = detector.newState();
        assertThat(detector.isEmpty(state)).isTrue();
        call(state, "search", "id", T0);
        assertThat(detector.isEmpty(state)).isFalse();
    }

    @Test
    void configIsValidated() {
        ToolCallDistributionConfig defaults = ToolCallDistributionConfig.defaults();
        assertThat(defaults.window()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> defaults.withFalseAlarmRate(1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
