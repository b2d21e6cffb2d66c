package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Score;
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

    /**
     * A state whose shift baseline holds the given tools and weights, resting on {@code
     * horizonCalls} calls of history in windows of {@code meanWindowCalls}.
     */
    private static ToolCallState history(
            long horizonCalls, float meanWindowCalls, Object... namesAndWeights) {
        ToolCallState state = new ToolCallState();
        double total = 0;
        for (int i = 1; i < namesAndWeights.length; i += 2) {
            total += ((Number) namesAndWeights[i]).doubleValue();
        }
        for (int i = 0; i < namesAndWeights.length; i += 2) {
            float weight = ((Number) namesAndWeights[i + 1]).floatValue();
            ToolCallState.Tool tool =
                    new ToolCallState.Tool((String) namesAndWeights[i], weight, 0, false);
            tool.calls = Math.round(horizonCalls * weight / total);
            state.tools.add(tool);
        }
        state.horizonCalls = horizonCalls;
        state.meanWindowCalls = meanWindowCalls;
        state.recomputeDerived();
        return state;
    }

    private static ToolCallState baseline(Object... namesAndWeights) {
        return history(20_000, 50f, namesAndWeights);
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

    /**
     * Plays one run of the given calls ({@code tool} or {@code tool@target}) in window {@code w},
     * steps from 0; returns its findings.
     */
    private List<Finding> run(ToolCallState state, int w, String runId, String... calls) {
        List<Finding> findings = new ArrayList<>();
        for (int step = 0; step < calls.length; step++) {
            String[] parts = calls[step].split("@", 2);
            ToolCall call =
                    new ToolCall(
                            parts[0],
                            parts.length > 1 ? parts[1] : null,
                            runId + "-" + step,
                            runId,
                            step);
            findings.addAll(detector.onEvent(state, call, T0 + w * HOUR + 1000L * step));
        }
        return findings;
    }

    /**
     * 300 windows of 10 runs each: search (an open set of queries) → read_file (two paths) →
     * send_email to alice or bob; 9,000 calls.
     */
    private ToolCallState trained() {
        ToolCallState state = detector.newState();
        for (int w = 0; w < 300; w++) {
            for (int r = 0; r < 10; r++) {
                String id = "r" + w + "-" + r;
                assertThat(
                                run(
                                        state,
                                        w,
                                        id,
                                        "search@query " + w + "/" + r,
                                        "read_file@/docs/" + (r % 2),
                                        "send_email@" + (r % 3 == 0 ? "alice@corp" : "bob@corp")))
                        .as("window %d", w)
                        .isEmpty();
            }
            assertThat(detector.onTime(state, T0 + (w + 1) * HOUR)).isEmpty();
        }
        return state;
    }

    @Test
    void novelToolRaisesAFindingOnItsFirstCall() {
        ToolCallState state = baseline("search", 600, "send_email", 400);
        assertThat(calls(state, 0, "search", 5)).isEmpty();

        List<Finding> findings = call(state, "delete_db", "novel-1", T0 + 10);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        double perCall = 1.0 / 20_006;
        double perWindow = 1 - Math.pow(1 - perCall, 50);
        assertThat(finding.detector()).isEqualTo("tool-call-distribution");
        assertThat(finding.detectorVersion()).isEqualTo("2");
        assertThat(finding.windowStart()).isEqualTo(T0);
        assertThat(finding.windowEnd()).isEqualTo(T0 + HOUR);
        assertThat(finding.pValue())
                .as("1 - (1 - (0 + 0 + 0 + 1) / (20005 + 1))^50")
                .isCloseTo(perWindow, within(1e-12));
        assertThat(finding.threshold()).isEqualTo(0.01);
        assertThat(finding.severity()).isEqualTo(Severity.LOW);
        assertThat(finding.summary())
                .isEqualTo(
                        "novel tool 'delete_db': not among the 2 seen in 20005 calls, estimated"
                                + " chance of a new one in 50 calls: 0.2% (threshold 1%)");
        Measure measure = finding.measures().get(0);
        assertThat(measure.name()).isEqualTo("tool:delete_db");
        assertThat(measure.observed()).isEqualTo(1);
        assertThat(measure.expected()).isCloseTo(50 * perCall, within(1e-12));
        assertThat(measure.baselineSize()).isEqualTo(20_005);
        assertThat(finding.relatedEventIds()).containsExactly("novel-1");
        assertThat(call(state, "delete_db", "novel-2", T0 + 11))
                .as("at most one novelty finding per tool and window")
                .isEmpty();
    }

    @Test
    void noveltyNeedsHistoryEnoughForItsRatePerWindow() {
        ToolCallState shortHistory = history(2_000, 50f, "search", 600, "send_email", 400);
        assertThat(call(shortHistory, "delete_db", "id", T0))
                .as("1 - (1 - 1/2001)^50 = 2.5%% per window is not below 1%%")
                .isEmpty();

        ToolCallDistributionDetector lenient =
                new ToolCallDistributionDetector(
                        ToolCallDistributionConfig.defaults().withNoveltyThreshold(0.05));
        ToolCallState again = history(2_000, 50f, "search", 600, "send_email", 400);
        assertThat(lenient.onEvent(again, new ToolCall("delete_db", null, "id"), T0)).hasSize(1);
    }

    @Test
    void aBusierWindowThanUsualCountsItsOwnCalls() {
        ToolCallState state = history(50_000, 50f, "search", 600, "send_email", 400);
        calls(state, 0, "search", 299);
        List<Finding> findings = call(state, "delete_db", "novel", T0 + HOUR / 2);
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).pValue())
                .as("Bonferroni over the 300 calls of the open window, not the usual 50")
                .isCloseTo(1 - Math.pow(1 - 1.0 / 50_300, 300), within(1e-12));
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
        assertThat(state.toolsUnlearned).isEqualTo(1);
        assertThat(state.meanWindowCalls).isEqualTo(0.9f * 50 + 0.1f * 3);

        List<Finding> again = calls(state, 1, "delete_db", 1);

        assertThat(again).hasSize(1);
        double perCall = (0 + 1 + 0 + 1.0) / (20_003 + 1);
        assertThat(again.get(0).pValue())
                .isCloseTo(1 - Math.pow(1 - perCall, state.meanWindowCalls), within(1e-9));
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
        assertThat(state.horizonCalls).isEqualTo(120);
        assertThat(state.tool(state.indexOf("tool-1")).calls).isEqualTo(40);
        assertThat(state.toolsUnlearned).isZero();
    }

    @Test
    void novelTransitionInARunRaisesOneFindingPerWindow() {
        ToolCallState state = trained();
        assertThat(state.trackedTransitions())
                .as("start->search->read_file->send_email")
                .isEqualTo(3);

        List<Finding> findings = run(state, 300, "odd", "search@q", "send_email@bob@corp");

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        double perTrial = 1.0 / (9_001 + 1);
        assertThat(finding.pValue()).isCloseTo(1 - Math.pow(1 - perTrial, 30), within(1e-9));
        assertThat(finding.summary())
                .isEqualTo(
                        "novel transition 'search' -> 'send_email': not among the 3 seen in"
                                + " 9001 transitions, estimated chance of a new one in 30 calls:"
                                + " 0.3% (threshold 1%)");
        assertThat(finding.measures())
                .extracting(Measure::name)
                .containsExactly("transition:search->send_email");
        assertThat(finding.relatedEventIds()).containsExactly("odd-1");
        assertThat(run(state, 300, "odd-again", "search@q", "send_email@bob@corp"))
                .as("the same transition again in the window")
                .isEmpty();
    }

    @Test
    void runStartIsATransitionSource() {
        ToolCallState state = trained();
        List<Finding> findings = run(state, 300, "x", "read_file@/docs/0");
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).measures().get(0).name())
                .isEqualTo("transition:(run start)->read_file");
    }

    @Test
    void interleavedRunsPairOnlyWithinTheirOwnRun() {
        ToolCallState state = trained();
        List<Finding> findings = new ArrayList<>();
        String[] tools = {"search@q", "read_file@/docs/0", "send_email@alice@corp"};
        for (int step = 0; step < 3; step++) {
            for (String runId : List.of("a", "b", "c")) {
                String[] parts = tools[step].split("@", 2);
                findings.addAll(
                        detector.onEvent(
                                state,
                                new ToolCall(parts[0], parts[1], runId, runId, step),
                                T0 + 300 * HOUR + step * 10L));
            }
        }
        assertThat(findings).isEmpty();
        assertThat(state.windowTransitionDiscoveries).isZero();
    }

    @Test
    void callsWithoutRunOrOutOfOrderFormNoTransition() {
        ToolCallState state = trained();
        long trials = state.transitionTrials;
        long t = T0 + 300 * HOUR;
        assertThat(detector.onEvent(state, new ToolCall("send_email", "bob@corp", "n"), t))
                .as("no run")
                .isEmpty();
        assertThat(detector.onEvent(state, new ToolCall("send_email", "bob@corp", "i", "r", 4), t))
                .as("a run first seen after its start")
                .isEmpty();
        assertThat(detector.onEvent(state, new ToolCall("search", "q", "j", "r", 2), t))
                .as("a late step")
                .isEmpty();
        assertThat(detector.onEvent(state, new ToolCall("search", "q", "k", "r", 6), t))
                .as("a skipped step")
                .isEmpty();
        assertThat(state.transitionTrials).isEqualTo(trials);
        assertThat(detector.onEvent(state, new ToolCall("send_email", "bob@corp", "l", "r", 7), t))
                .as("consecutive again: search -> send_email is new")
                .hasSize(1);
    }

    @Test
    void novelTargetOfAToolWithFewTargetsRaisesAFinding() {
        ToolCallState state = trained();
        ToolCallState.Tool sendEmail = state.tool(state.indexOf("send_email"));
        assertThat(sendEmail.targets.size()).isEqualTo(2);
        assertThat(sendEmail.targetCalls).isEqualTo(3_000);

        List<Finding> findings =
                run(
                        state,
                        300,
                        "x",
                        "search@q",
                        "read_file@/docs/1",
                        "send_email@mark.black-2134@gmail.com");

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.summary())
                .startsWith(
                        "novel target 'mark.black-2134@gmail.com' of 'send_email': not among the 2"
                                + " seen in 3000 calls, estimated chance of a new one in 10 calls:");
        assertThat(finding.pValue())
                .as("a third of the usual 30 calls go to send_email")
                .isCloseTo(1 - Math.pow(1 - 1.0 / 3_001, 30 * 3_000 / 9_002.0), within(1e-9));
        assertThat(finding.measures())
                .extracting(Measure::name)
                .containsExactly("target:send_email:mark.black-2134@gmail.com");
    }

    @Test
    void aToolWithOpenEndedTargetsNeverRaisesTargetFindings() {
        ToolCallState state = trained();
        ToolCallState.Tool search = state.tool(state.indexOf("search"));
        assertThat(search.targets.size()).as("bounded").isEqualTo(8);
        assertThat(search.targetsUnlearned).as("displaced queries").isGreaterThan(2_900);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            findings.addAll(run(state, 300, "q" + i, "search@never seen " + i));
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void oneCallWithANovelTransitionAndTargetRaisesOneFindingNamingBoth() {
        ToolCallState state = trained();
        List<Finding> findings = run(state, 300, "x", "search@q", "send_email@evil@x.com");
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).measures())
                .extracting(Measure::name)
                .containsExactly("transition:search->send_email", "target:send_email:evil@x.com");
        assertThat(findings.get(0).summary())
                .contains("novel transition 'search' -> 'send_email'")
                .contains("; novel target 'evil@x.com' of 'send_email'");
        double transition = 1 - Math.pow(1 - 1.0 / 9_002, 30);
        double target = 1 - Math.pow(1 - 1.0 / 3_001, 30 * 3_000 / 9_001.0);
        assertThat(findings.get(0).pValue())
                .as("the smaller of the two")
                .isCloseTo(Math.min(transition, target), within(1e-12));
    }

    @Test
    void aNovelToolIsOneFindingEvenThoughItsTransitionAndTargetAreNewToo() {
        ToolCallState state = trained();
        List<Finding> findings = run(state, 300, "x", "search@q", "delete_db@prod");
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).measures())
                .extracting(Measure::name)
                .containsExactly("tool:delete_db");
        assertThat(run(state, 300, "y", "search@q", "delete_db@prod2"))
                .as("its transitions and targets are left to the tool's own finding")
                .isEmpty();
    }

    @Test
    void discoveriesOfAnAlertingWindowAreNotLearned() {
        ToolCallState state = trained();
        assertThat(run(state, 300, "x", "search@q", "send_email@bob@corp")).hasSize(1);
        assertThat(run(state, 300, "y", "read_file@/docs/9")).hasSize(1);
        detector.onTime(state, T0 + 301 * HOUR);
        assertThat(state.transitionsUnlearned)
                .as("search->send_email, start->read_file")
                .isEqualTo(2);
        assertThat(state.tool(state.indexOf("read_file")).targetsUnlearned).isEqualTo(1);

        assertThat(run(state, 301, "z", "search@q", "send_email@bob@corp"))
                .as("still novel in the next window")
                .hasSize(1);
    }

    @Test
    void discoveriesOfAQuietWindowAreLearned() {
        ToolCallDistributionDetector lenient =
                new ToolCallDistributionDetector(
                        ToolCallDistributionConfig.defaults().withNoveltyThreshold(1e-6));
        ToolCallState state = trained();
        lenient.onEvent(state, new ToolCall("search", "q", "a", "x", 0), T0 + 300 * HOUR);
        lenient.onEvent(
                state, new ToolCall("send_email", "carol@corp", "b", "x", 1), T0 + 300 * HOUR);
        lenient.onTime(state, T0 + 301 * HOUR);
        assertThat(state.transitionsUnlearned).isZero();
        assertThat(state.tool(state.indexOf("send_email")).targets.size()).isEqualTo(3);
        assertThat(run(state, 301, "z", "search@q", "send_email@carol@corp")).isEmpty();
    }

    @Test
    void everyNoveltyTestAndShiftTestIsReportedAsAScore() {
        ToolCallState state = trained();
        List<Score> scores = new ArrayList<>();
        long t = T0 + 300 * HOUR;
        detector.onEvent(state, new ToolCall("search", "q", "a", "x", 0), t, scores::add);
        detector.onEvent(state, new ToolCall("send_email", "x@y", "b", "x", 1), t, scores::add);
        assertThat(scores)
                .extracting(Score::measure)
                .containsExactly(
                        "target:search:q",
                        "transition:search->send_email",
                        "target:send_email:x@y");
        assertThat(scores.get(0).windowStart()).isEqualTo(t);
        assertThat(scores.get(0).pValue()).as("an open-ended tool").isEqualTo(1.0);
        assertThat(scores.get(1).threshold()).isEqualTo(0.01);

        scores.clear();
        ToolCallState busy = baseline("search", 500, "send_email", 500);
        calls(busy, 0, "search", 30);
        detector.onTime(busy, T0 + HOUR, scores::add);
        assertThat(scores).extracting(Score::measure).containsExactly("tool_mix");
        assertThat(scores.get(0).windowStart()).isEqualTo(T0);
        assertThat(scores.get(0).windowEnd()).isEqualTo(T0 + HOUR);
        assertThat(scores.get(0).threshold()).isEqualTo(1e-5);
    }

    @Test
    void noveltyCountsHalveBeyondTheHorizon() {
        ToolCallDistributionConfig d = ToolCallDistributionConfig.defaults();
        ToolCallDistributionDetector shortHorizon =
                new ToolCallDistributionDetector(
                        new ToolCallDistributionConfig(
                                d.window(),
                                1e-5,
                                0.01,
                                100,
                                64,
                                1000,
                                0.5,
                                20,
                                5,
                                64,
                                64,
                                8,
                                8,
                                128,
                                1_000));
        ToolCallState state = shortHorizon.newState();
        for (int i = 0; i < 1_001; i++) {
            shortHorizon.onEvent(state, new ToolCall("search", "a", null), T0 + i);
        }
        assertThat(state.horizonCalls).isEqualTo(500);
        assertThat(state.tool(0).targets.count(0))
                .as("fresh entries halve too, rounding up")
                .isEqualTo(501);
    }

    @Test
    void transitionAndTargetNoveltyCanBeSwitchedOff() {
        ToolCallDistributionConfig d = ToolCallDistributionConfig.defaults();
        ToolCallDistributionDetector namesOnly =
                new ToolCallDistributionDetector(
                        new ToolCallDistributionConfig(
                                d.window(),
                                1e-5,
                                0.01,
                                100,
                                64,
                                1000,
                                0.5,
                                20,
                                5,
                                64,
                                0,
                                8,
                                8,
                                0,
                                100_000));
        ToolCallState state = trained();
        long time = T0 + 300 * HOUR;
        assertThat(namesOnly.onEvent(state, new ToolCall("search", "q", "a", "x", 0), time))
                .isEmpty();
        assertThat(namesOnly.onEvent(state, new ToolCall("send_email", "x@y", "b", "x", 1), time))
                .isEmpty();
        assertThat(namesOnly.onEvent(state, new ToolCall("drop_db", "x@y", "c", "x", 2), time))
                .hasSize(1);
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
    void withoutTheShiftTestAShiftedWindowIsLearnedAndNoveltyStillAlerts() {
        ToolCallDistributionDetector noveltyOnly =
                new ToolCallDistributionDetector(
                        ToolCallDistributionConfig.defaults().withoutShiftTest());
        ToolCallState state = baseline("search", 500, "read_file", 300, "send_email", 200);
        calls(state, 0, "search", 30);
        calls(state, 0, "read_file", 10);
        calls(state, 0, "send_email", 60);

        assertThat(noveltyOnly.onTime(state, T0 + HOUR)).isEmpty();
        assertThat(state.tool(state.indexOf("send_email")).baseline)
                .as("the window is learned")
                .isGreaterThan(200f);
        assertThat(
                        noveltyOnly.onEvent(
                                state, new ToolCall("delete_db", null, "novel-1"), T0 + HOUR + 10))
                .singleElement()
                .satisfies(f -> assertThat(f.summary()).startsWith("novel tool 'delete_db'"));
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
        assertThat(state.toolsUnlearned).as("c will be a discovery again").isEqualTo(1);
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
                                detector.onEvent(
                                        state,
                                        new ToolCall("a", "t".repeat(10_000), "e", "", -5),
                                        t);
                                detector.onEvent(
                                        state,
                                        new ToolCall("a", "t", "e", "r", Integer.MAX_VALUE),
                                        t);
                                detector.onEvent(state, new ToolCall("b", "u", "e", "r", 0), t);
                                detector.onTime(state, t);
                            }
                            detector.onTime(state, Long.MAX_VALUE);
                            detector.codec().decode(detector.codec().encode(state));
                        })
                .doesNotThrowAnyException();
    }

    @Test
    void seedingFromPeersCopiesTheirMixAtTheWarmUpsWeightAndWhatTheyHaveUsed() {
        ToolCallState peers = trained();
        ToolCallState state = detector.newState();
        detector.seedFromPeers(state, peers, 3);
        assertThat(state.baselineSize()).isCloseTo(100.0, within(1e-3)).isGreaterThanOrEqualTo(100);
        for (String tool : List.of("search", "read_file", "send_email")) {
            assertThat(state.tool(state.indexOf(tool)).baseline / state.baselineSize())
                    .as(tool)
                    .isCloseTo(
                            peers.tool(peers.indexOf(tool)).baseline / peers.baselineSize(),
                            within(1e-6));
        }
        assertThat(state.meanWindowCalls).as("30 calls a window over 3 members").isEqualTo(10f);
        assertThat(state.horizonCalls).isEqualTo(peers.horizonCalls);
        assertThat(state.transitions).isEqualTo(peers.transitions);
        assertThat(state.tool(state.indexOf("send_email")).targets)
                .isEqualTo(peers.tool(peers.indexOf("send_email")).targets);
        assertThat(state.runs.runs).as("the peers' runs are theirs").isEmpty();

        assertThat(run(state, 0, "a", "search@q", "read_file@/docs/1", "send_email@bob@corp"))
                .as("what the peers do is not novel")
                .isEmpty();
        assertThat(run(state, 0, "b", "search@q", "send_email@bob@corp"))
                .extracting(Finding::summary)
                .singleElement()
                .asString()
                .startsWith("novel transition 'search' -> 'send_email'");
        assertThat(run(state, 0, "c", "search@q", "read_file@/docs/1", "send_email@mallory@evil"))
                .extracting(Finding::summary)
                .singleElement()
                .asString()
                .startsWith("novel target 'mallory@evil' of 'send_email'");
        assertThat(call(state, "delete_db", "d", T0 + 10))
                .extracting(Finding::summary)
                .singleElement()
                .asString()
                .startsWith("novel tool 'delete_db'");

        ToolCallState unseeded = detector.newState();
        ToolCallState shifted = detector.newState();
        detector.seedFromPeers(shifted, peers, 3);
        for (int i = 0; i < 30; i++) {
            for (ToolCallState key : List.of(unseeded, shifted)) {
                assertThat(
                                detector.onEvent(
                                        key,
                                        new ToolCall("send_email", "bob@corp", "e" + i),
                                        T0 + i))
                        .isEmpty();
            }
        }
        assertThat(detector.onTime(unseeded, T0 + HOUR)).as("warming up").isEmpty();
        assertThat(detector.onTime(shifted, T0 + HOUR))
                .extracting(Finding::summary)
                .singleElement()
                .asString()
                .startsWith("tool mix shifted");
    }

    @Test
    void seededNoveltyCountsAreHalvedToTheirBound() {
        ToolCallDistributionDetector strict =
                new ToolCallDistributionDetector(
                        new ToolCallDistributionConfig(
                                Duration.ofHours(1), 1e-5, 0.05, 100, 64, 1000, 0.5, 20, 5, 64));
        ToolCallState peers = trained();
        ToolCallState state = strict.newState();
        strict.seedFromPeers(state, peers, 1);
        assertThat(state.horizonCalls).as("9000 halved to at most 100 / 0.05").isEqualTo(1125);
        assertThat(state.transitionTrials).isEqualTo(peers.transitionTrials >>> 3);
        assertThat(state.tool(state.indexOf("send_email")).targetCalls)
                .isEqualTo(peers.tool(peers.indexOf("send_email")).targetCalls >>> 3);
    }

    @Test
    void seedingFromPeersWithoutHistoryOrIntoAKeyWithHistoryChangesNothing() {
        ToolCallState state = detector.newState();
        detector.seedFromPeers(state, detector.newState(), 2);
        assertThat(detector.codec().encode(state))
                .isEqualTo(detector.codec().encode(detector.newState()));
        ToolCallState own = baseline("search", 600, "send_email", 400);
        byte[] before = detector.codec().encode(own);
        detector.seedFromPeers(own, trained(), 1);
        assertThat(detector.codec().encode(own)).isEqualTo(before);
        assertThatThrownBy(() -> detector.seedFromPeers(state, own, 0))
                .isInstanceOf(IllegalArgumentException.class);
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
        assertThatThrownBy(() -> defaults.withNoveltyThreshold(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new ToolCallDistributionConfig(
                                        Duration.ofHours(1),
                                        1e-5,
                                        0.01,
                                        100,
                                        64,
                                        1000,
                                        0.5,
                                        20,
                                        5,
                                        64,
                                        -1,
                                        8,
                                        8,
                                        128,
                                        100_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new ToolCallDistributionConfig(
                                        Duration.ofHours(1),
                                        1e-5,
                                        0.01,
                                        100,
                                        64,
                                        1000,
                                        0.5,
                                        20,
                                        5,
                                        64,
                                        64,
                                        8,
                                        8,
                                        128,
                                        50))
                .as("horizon below the warm-up")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(
                        new ToolCallDistributionConfig(
                                Duration.ofHours(1), 1e-5, 0.01, 100, 64, 1000, 0.5, 20, 5, 64))
                .as("the ten-setting form takes the default limits")
                .isEqualTo(defaults);
    }
}
