package dev.tamperwatch.detect.usage;

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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UsageDetectorTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_779_998_400_000L;

    private final UsageDetector detector = new UsageDetector(UsageConfig.defaults());

    /** Sizes around a median of 400 with a log-normal spread of 0.5, seeded. */
    private static int size(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        double gauss = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
        return (int) Math.round(400 * Math.exp(0.5 * gauss));
    }

    /**
     * Plays {@code windows} hourly windows from {@code T0} of {@code perWindow} outputs (tokens,
     * four characters a token) each preceded by a prompt of 800 tokens; returns the findings.
     */
    private List<Finding> play(UsageState state, int windows, int perWindow, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Finding> findings = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            long start = T0 + w * HOUR;
            for (int i = 0; i < perWindow; i++) {
                int tokens = size(random);
                findings.addAll(
                        detector.onEvent(
                                state,
                                UsageObservation.prompt(800, "p-" + w + "-" + i),
                                start + 2 * i));
                findings.addAll(
                        detector.onEvent(
                                state,
                                UsageObservation.output(tokens, 4 * tokens, "o-" + w + "-" + i),
                                start + 2 * i + 1));
            }
            findings.addAll(detector.onTime(state, start + HOUR));
        }
        return findings;
    }

    @Test
    void nothingIsScoredDuringWarmUp() {
        UsageState state = detector.newState();
        List<Finding> findings = play(state, 9, 20, 1);
        findings.addAll(
                detector.onEvent(
                        state, UsageObservation.output(1_000_000, null, "huge"), T0 + 9 * HOUR));
        assertThat(findings).as("180 outputs < warm-up 200, 9 windows < 24").isEmpty();
        assertThat(state.baselineOutputTokens()).isEqualTo(181.0);
        assertThat(state.baselineOutputChars()).isEqualTo(180.0);
        assertThat(state.baselineWindows()).isEqualTo(9.0);
    }

    @Test
    void exfiltrationSizedOutputExplainsItself() {
        UsageState state = detector.newState();
        assertThat(play(state, 100, 20, 2)).isEmpty();
        long t = T0 + 100 * HOUR + 17;

        List<Finding> findings =
                detector.onEvent(state, UsageObservation.output(12_000, 51_000, "dump-1"), t);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.detector()).isEqualTo("usage");
        assertThat(finding.detectorVersion()).isEqualTo("2");
        assertThat(finding.windowStart()).isEqualTo(t);
        assertThat(finding.windowEnd()).isEqualTo(t + 1);
        assertThat(finding.threshold()).isEqualTo(1e-4);
        assertThat(finding.pValue()).isPositive().isLessThan(1e-6);
        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.summary()).isEqualTo(EXFILTRATION_SUMMARY);
        assertThat(finding.measures())
                .extracting(Measure::name)
                .containsExactly("output_chars", "output_tokens");
        Measure chars = finding.measures().get(0);
        assertThat(chars.observed()).isEqualTo(51_000.0);
        assertThat(chars.expected()).isCloseTo(1600, within(1600 * 0.1));
        assertThat(chars.upper()).isBetween(3 * 1600.0, 51_000.0);
        assertThat(chars.baselineSize()).isCloseTo(2000.0, within(1e-3));
        assertThat(chars.unit()).isEqualTo("chars");
        assertThat(finding.relatedEventIds()).containsExactly("dump-1");
        assertThat(state.baselineOutputTokens())
                .as("the flagged output enters with a token weight only")
                .isCloseTo(2000.0, within(0.1));
        assertThat(state.outputTokens.slow.weightFrom(LogHistogram.binOf(12_000)))
                .isCloseTo(1e-4 * 2000 / (UsageDetector.FLAGGED_REPEATS - 0.5), within(1e-6));
    }

    private static final String EXFILTRATION_SUMMARY =
            "exfiltration-sized output: 51000 chars vs median 1512, p99.9 7845 (alert threshold"
                    + " 12933, p=4.1e-7, baseline 2000 outputs)";

    @Test
    void aRecurringNewSizeIsFlaggedABoundedNumberOfTimes() {
        UsageState state = detector.newState();
        play(state, 100, 20, 3);
        int flagged = 0;
        for (int i = 0; i <= UsageDetector.FLAGGED_REPEATS; i++) {
            flagged +=
                    detector.onEvent(
                                    state,
                                    UsageObservation.output(9000, null, "cutoff-" + i),
                                    T0 + 100 * HOUR + i)
                            .size();
        }
        assertThat(flagged).isEqualTo(UsageDetector.FLAGGED_REPEATS);
        double lowQuantile = state.outputTokens.slow.quantile(0.05);
        int varied = 0;
        for (int i = 0; i < 10; i++) {
            varied +=
                    detector
                            .onEvent(
                                    state,
                                    UsageObservation.output(100_000 << i, null, "dump-" + i),
                                    T0 + 101 * HOUR + i)
                            .stream()
                            .filter(f -> f.measures().get(0).name().equals("output_tokens"))
                            .count();
        }
        assertThat(varied).as("sizes that do not repeat keep being flagged").isEqualTo(10);
        assertThat(state.outputTokens.slow.quantile(0.05))
                .as("flagged sizes never crowd the baseline's own into a collapsed bin")
                .isEqualTo(lowQuantile);
    }

    @Test
    void costAbuseWindowExplainsItselfAndIsNotLearned() {
        UsageState state = detector.newState();
        assertThat(play(state, 48, 20, 4)).isEmpty();
        double windows = state.baselineWindows();
        long start = T0 + 48 * HOUR;
        for (int i = 0; i < 400; i++) {
            detector.onEvent(state, new UsageObservation(500, null, 900, "call-" + i), start + i);
        }
        assertThat(detector.nextDeadline(state)).isEqualTo(start + HOUR);

        List<Finding> findings = detector.onTime(state, start + HOUR);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.windowStart()).isEqualTo(start);
        assertThat(finding.windowEnd()).isEqualTo(start + HOUR);
        assertThat(finding.threshold()).isEqualTo(1e-5);
        assertThat(finding.pValue()).isLessThan(1e-5);
        assertThat(finding.summary()).isEqualTo(COST_SUMMARY);
        Measure tokens = finding.measures().get(0);
        assertThat(tokens.name()).isEqualTo("window_tokens");
        assertThat(tokens.observed()).isEqualTo(560_000.0);
        assertThat(tokens.expected()).isCloseTo(20 * 1250.0, within(20 * 1250 * 0.1));
        assertThat(tokens.upper()).isBetween(tokens.expected(), 560_000.0);
        assertThat(tokens.baselineSize()).isEqualTo(48.0);
        assertThat(finding.relatedEventIds()).hasSize(8).allMatch(id -> id.startsWith("call-"));
        assertThat(state.baselineWindows())
                .as("an alerting window is not learned")
                .isEqualTo(windows);
        assertThat(detector.nextDeadline(state)).isEqualTo(Long.MAX_VALUE);
    }

    private static final String COST_SUMMARY =
            "token use 560000 in 1h window (400 events) vs median 24196 per window, p99 26386"
                    + " (alert threshold 46204, p=1.9e-14, baseline 48 windows)";

    @Test
    void driftFindingRestartsTheFastBaseline() {
        UsageState state = detector.newState();
        play(state, 20, 20, 5);
        state.outputTokens.fast = 0.9;
        detector.onEvent(state, UsageObservation.prompt(10, "p"), T0 + 20 * HOUR);

        List<Finding> findings = detector.onTime(state, T0 + 21 * HOUR);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.summary()).isEqualTo(DRIFT_SUMMARY);
        Measure drift = finding.measures().get(0);
        assertThat(drift.name()).isEqualTo("output_tokens_drift");
        assertThat(drift.observed()).isGreaterThan(drift.expected());
        assertThat(finding.pValue()).as("both sizes tracked: doubled").isLessThan(1e-5);
        assertThat(state.outputTokens.fast).isZero();
        assertThat(state.outputChars.fast).isZero();
    }

    @Test
    void growingOutputsDoNotWidenTheLearnedSpread() {
        UsageState state = detector.newState();
        play(state, 100, 20, 3);
        double spread = state.outputTokens.spread;
        double weight = state.outputTokens.spreadWeight;
        double variance = detector.nullVariance(state.outputTokens);
        assertThat(weight).as("learned from the scored outputs").isGreaterThan(1000);
        assertThat(variance).isGreaterThanOrEqualTo(1.0 / 100 + 1.0 / 2000);

        for (int w = 0; w < 5; w++) {
            long start = T0 + (100 + w) * HOUR;
            for (int i = 0; i < 10; i++) {
                detector.onEvent(state, UsageObservation.output(600, 2400, "g"), start + i);
            }
            assertThat(detector.onTime(state, start + HOUR)).isEmpty();
        }

        assertThat(state.outputTokens.fast)
                .as("grown outputs move the fast average up")
                .isPositive();
        assertThat(state.outputTokens.spreadWeight).isGreaterThan(weight);
        assertThat(state.outputTokens.spread)
                .as("the spread learns only the fast average's negative part")
                .isLessThan(spread);
        assertThat(detector.nullVariance(state.outputTokens)).isLessThanOrEqualTo(variance);
    }

    private static final String DRIFT_SUMMARY =
            "outputs growing: recent outputs average normal score +0.90 in this identity's"
                    + " baseline, typically 636 vs median 412 tokens (about p81.6; threshold"
                    + " +0.62, p=1.5e-10, baseline 400 outputs)";

    @Test
    void peerBaselineLetsANewIdentityBeScoredFromItsFirstOutput() {
        UsageState pooled = detector.newState();
        for (int peer = 0; peer < 3; peer++) {
            UsageState member = detector.newState();
            play(member, 30, 20, 10 + peer);
            pooled.mergeBaselines(member);
        }
        assertThat(pooled.baselineOutputTokens()).isEqualTo(1800.0);
        UsageState seeded = detector.newState();
        detector.seedFromPeers(seeded, pooled, 1);
        assertThat(seeded.baselineOutputTokens()).isCloseTo(200.0, within(1e-3));
        assertThat(seeded.baselineWindows()).isCloseTo(24.0, within(1e-3));

        assertThat(detector.onEvent(seeded, UsageObservation.output(60_000, null, "x"), T0))
                .hasSize(1);
        assertThat(
                        detector.onEvent(
                                detector.newState(),
                                UsageObservation.output(60_000, null, "x"),
                                T0))
                .as("without peers a new identity is warming up")
                .isEmpty();
    }

    @Test
    void peerWindowTotalsAreDividedByTheMembersTheyCover() {
        UsageState group = detector.newState();
        play(group, 30, 60, 20);
        UsageState seeded = detector.newState();
        detector.seedFromPeers(seeded, group, 3);
        assertThat(seeded.baselineWindows()).isCloseTo(24.0, within(1e-3));
        assertThat(seeded.baselineOutputTokens()).isCloseTo(200.0, within(1e-3));
        assertThat(seeded.outputTokens.slow.quantile(0.5))
                .as("output sizes are the members' as they are")
                .isEqualTo(group.outputTokens.slow.quantile(0.5));
        double ratio = group.windowTokens.quantile(0.5) / seeded.windowTokens.quantile(0.5);
        assertThat(ratio).as("group sums over members, in whole bins").isBetween(2.6, 3.0);

        UsageState asOne = detector.newState();
        detector.seedFromPeers(asOne, group, 1);
        long start = T0 + 40 * HOUR;
        for (UsageState state : List.of(seeded, asOne)) {
            for (int i = 0; i < 60; i++) {
                detector.onEvent(state, UsageObservation.prompt(1200, "p" + i), start + i);
            }
        }
        assertThat(detector.onTime(seeded, start + HOUR))
                .as("a group's worth of tokens in one member's window")
                .hasSize(1);
        assertThat(detector.onTime(asOne, start + HOUR)).isEmpty();
    }

    @Test
    void seedingFromPeersWithoutHistoryChangesNothing() {
        UsageState state = detector.newState();
        detector.seedFromPeers(state, detector.newState(), 4);
        assertThat(detector.codec().encode(state))
                .isEqualTo(detector.codec().encode(detector.newState()));
        assertThatThrownBy(() -> detector.seedFromPeers(state, detector.newState(), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyScoreIsReportedAndFindingsAreExactlyThoseBelowTheirThreshold() {
        UsageState state = detector.newState();
        play(state, 30, 20, 7);
        List<Score> scores = new ArrayList<>();
        long t = T0 + 30 * HOUR;
        List<Finding> findings = new ArrayList<>();
        findings.addAll(
                detector.onEvent(state, UsageObservation.output(450, 1800, "a"), t, scores::add));
        findings.addAll(
                detector.onEvent(
                        state, UsageObservation.output(90_000, 360_000, "b"), t + 1, scores::add));
        findings.addAll(detector.onTime(state, t + HOUR, scores::add));
        assertThat(scores)
                .extracting(Score::measure)
                .containsExactlyInAnyOrder(
                        "output_tokens",
                        "output_chars",
                        "output_chars",
                        "output_tokens",
                        "window_tokens",
                        "output_tokens_drift",
                        "output_chars_drift");
        assertThat(scores.get(0).windowStart()).isEqualTo(t);
        assertThat(scores.get(0).windowEnd()).isEqualTo(t);
        assertThat(scores.get(4).measure()).isEqualTo("window_tokens");
        assertThat(scores.get(4).windowStart()).isEqualTo(t);
        assertThat(scores.get(4).windowEnd()).isEqualTo(t + HOUR);
        long below = scores.stream().filter(s -> s.pValue() < s.threshold()).count();
        assertThat(findings).hasSize(2);
        assertThat(below).as("both sizes of the huge output and its window").isEqualTo(3);
    }

    @Test
    void tokensAndCharactersAreCombinedWithSimesTest() {
        assertThat(UsageDetector.simes(4e-5, 1, 2)).isEqualTo(8e-5);
        assertThat(UsageDetector.simes(6e-5, 2, 2)).isEqualTo(6e-5);
        assertThat(UsageDetector.simes(0.7, 1, 2)).isEqualTo(1.0);

        UsageState state = detector.newState();
        play(state, 30, 20, 7);
        List<Score> scores = new ArrayList<>();
        detector.onEvent(
                state, UsageObservation.output(9_000, 36_000, "x"), T0 + 30 * HOUR, scores::add);
        assertThat(scores).hasSize(2);
        double smaller = Math.min(scores.get(0).pValue(), scores.get(1).pValue());
        double larger = Math.max(scores.get(0).pValue(), scores.get(1).pValue());
        assertThat(smaller).isLessThan(0.01);
        assertThat(larger)
                .as("sizes in proportion to the baseline's: equal p-values, the first doubled")
                .isCloseTo(2 * smaller, within(1e-12));
    }

    @Test
    void negativeSizesAreRejectedClearly() {
        assertThatThrownBy(() -> UsageObservation.output(-1, 10, "e"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outputTokens must be >= 0: -1");
        assertThatThrownBy(() -> UsageObservation.output(1, -10, "e"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lengthChars must be >= 0: -10");
        assertThatThrownBy(() -> UsageObservation.prompt(-3, "e"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputTokens must be >= 0: -3");
        UsageObservation none = new UsageObservation(null, null, null, null);
        assertThat(none.isOutput()).isFalse();
        assertThat(none.hasTokens()).isFalse();
        assertThat(new UsageObservation(7, null, 5, null).tokens()).isEqualTo(12);
    }

    @Test
    void extremeInputsNeverThrow() {
        UsageState state = detector.newState();
        play(state, 30, 10, 6);
        assertThatCode(
                        () -> {
                            for (long t : new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE, -1, 7}) {
                                detector.onEvent(
                                        state,
                                        new UsageObservation(
                                                Integer.MAX_VALUE,
                                                Integer.MAX_VALUE,
                                                Integer.MAX_VALUE,
                                                "x".repeat(500)),
                                        t);
                                detector.onEvent(state, new UsageObservation(0, 0, 0, null), t);
                                detector.onEvent(
                                        state, new UsageObservation(null, null, null, null), t);
                                detector.onTime(state, t);
                                detector.nextDeadline(state);
                            }
                            detector.onEvent(
                                    state, UsageObservation.prompt(1, "p"), Long.MAX_VALUE);
                            state.windowTokenSum = Long.MAX_VALUE - 5;
                            detector.onEvent(
                                    state,
                                    UsageObservation.prompt(Integer.MAX_VALUE, "flood"),
                                    Long.MAX_VALUE);
                            assertThat(state.windowTokenSum).isEqualTo(Long.MAX_VALUE);
                            detector.onTime(state, Long.MAX_VALUE);
                            detector.codec().decode(detector.codec().encode(state));
                        })
                .doesNotThrowAnyException();
    }

    @Test
    void stateIsEmptyOnlyWithoutHistory() {
        UsageState state = detector.newState();
        assertThat(detector.isEmpty(state)).isTrue();
        detector.onEvent(state, UsageObservation.prompt(null, "p"), T0);
        assertThat(detector.isEmpty(state)).as("open window").isFalse();
        detector.onTime(state, T0 + HOUR);
        assertThat(detector.isEmpty(state)).as("nothing learned").isTrue();
        detector.onEvent(state, UsageObservation.output(5, null, "o"), T0 + HOUR);
        detector.onTime(state, T0 + 2 * HOUR);
        assertThat(detector.isEmpty(state)).isFalse();
    }

    @Test
    void configIsValidated() {
        UsageConfig defaults = UsageConfig.defaults();
        assertThat(defaults.window()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.outputFalseAlarmRate()).isEqualTo(1e-4);
        assertThat(defaults.windowFalseAlarmRate()).isEqualTo(1e-5);
        assertThatThrownBy(() -> defaults.withFalseAlarmRates(0, 1e-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outputFalseAlarmRate");
        assertThatThrownBy(
                        () ->
                                new UsageConfig(
                                        Duration.ofHours(1),
                                        1e-4,
                                        1e-5,
                                        30,
                                        12,
                                        200,
                                        24,
                                        2000,
                                        720,
                                        2000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fastHorizonOutputs");
        assertThatThrownBy(
                        () ->
                                new UsageConfig(
                                        Duration.ofHours(1),
                                        1e-4,
                                        1e-5,
                                        1,
                                        12,
                                        200,
                                        24,
                                        2000,
                                        720,
                                        100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tail sizes");
        assertThat(defaults.fastWeight()).isCloseTo(2.0 / 101, within(1e-15));
    }
}
