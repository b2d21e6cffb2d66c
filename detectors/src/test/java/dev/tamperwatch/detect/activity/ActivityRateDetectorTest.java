package dev.tamperwatch.detect.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Score;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.detect.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityRateDetectorTest {

    private static final long HOUR = 3_600_000L;

    /** Monday 2026-06-01 00:00 UTC. */
    private static final long T0 = 1_780_272_000_000L;

    private final ActivityRateDetector detector =
            new ActivityRateDetector(ActivityRateConfig.defaults());

    /** Sends {@code count} events into window {@code w} and closes it by the watermark. */
    private static List<Finding> window(
            ActivityRateDetector detector, ActivityState state, int w, int count) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            findings.addAll(
                    detector.onEvent(
                            state, new ActivityObservation("e-" + w + "-" + i), T0 + w * HOUR + i));
        }
        findings.addAll(detector.onTime(state, T0 + (w + 1) * HOUR));
        return findings;
    }

    /** A key that sent exactly {@code count} events in each of {@code windows} windows. */
    private static ActivityState steady(ActivityRateDetector detector, int windows, int count) {
        ActivityState state = detector.newState();
        for (int w = 0; w < windows; w++) {
            assertThat(window(detector, state, w, count)).isEmpty();
        }
        return state;
    }

    /** As {@link #window}, reporting scores to {@code scores}. */
    private static List<Finding> window(
            ActivityRateDetector detector,
            ActivityState state,
            int w,
            int count,
            ScoreSink scores) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            findings.addAll(
                    detector.onEvent(
                            state,
                            new ActivityObservation("e-" + w + "-" + i),
                            T0 + w * HOUR + i,
                            scores));
        }
        findings.addAll(detector.onTime(state, T0 + (w + 1) * HOUR, scores));
        return findings;
    }

    private static List<Score> named(List<Score> scores, String measure) {
        return scores.stream().filter(s -> s.measure().equals(measure)).toList();
    }

    @Test
    void everyScoredWindowReportsItsScoreAndTheDriftTestItsOwn() {
        ActivityState state = detector.newState();
        List<Score> scores = new ArrayList<>();
        for (int w = 0; w < 200; w++) {
            assertThat(window(detector, state, w, 10, scores::add)).isEmpty();
        }
        List<Score> events = named(scores, "events");
        List<Score> level = named(scores, "level");
        assertThat(scores).hasSize(events.size() + level.size());
        assertThat(events).as("windows past the 48-window warm-up").hasSize(200 - 48);
        assertThat(level).as("learned windows past the 7-day drift warm-up").hasSize(200 - 167);
        Score first = events.get(0);
        assertThat(first.detector()).isEqualTo("activity-rate");
        assertThat(first.windowStart()).isEqualTo(T0 + 48 * HOUR);
        assertThat(first.windowEnd()).isEqualTo(T0 + 49 * HOUR);
        assertThat(first.threshold()).isEqualTo(1e-5);
        assertThat(first.pValue())
                .isCloseTo(NegativeBinomial.poisson(10).upperTail(10), within(1e-9));
        assertThat(level.get(0).windowStart()).isEqualTo(T0 + 167 * HOUR);
        assertThat(level.get(0).threshold()).isEqualTo(1e-5);
        assertThat(scores)
                .allSatisfy(
                        score ->
                                assertThat(score.pValue()).isBetween(0.0, 1.0).isGreaterThan(1e-5));

        scores.clear();
        List<Finding> burst = window(detector, state, 200, 40, scores::add);
        assertThat(burst).hasSize(1);
        assertThat(scores).as("a burst is not learned: no drift score").hasSize(1);
        assertThat(scores.get(0).measure()).isEqualTo("events");
        assertThat(scores.get(0).pValue()).isEqualTo(burst.get(0).pValue()).isLessThan(1e-5);
        assertThat(scores.get(0).windowStart()).isEqualTo(burst.get(0).windowStart());
    }

    @Test
    void driftScoreCrossesItsThresholdWhereTheDriftFindingIsRaised() {
        ActivityState state = steady(detector, 200, 10);
        List<Score> scores = new ArrayList<>();
        Finding drift = null;
        for (int w = 200; w < 248 && drift == null; w++) {
            for (Finding finding : window(detector, state, w, 20, scores::add)) {
                assertThat(finding.summary()).startsWith("slow drift up");
                drift = finding;
            }
        }
        assertThat(drift).isNotNull();
        Score last = named(scores, "level").get(named(scores, "level").size() - 1);
        assertThat(last.windowEnd()).isEqualTo(drift.windowEnd());
        assertThat(last.pValue()).isLessThan(last.threshold());
        assertThat(drift.pValue()).isEqualTo(Math.min(last.threshold(), last.pValue()));
        assertThat(named(scores, "events"))
                .allSatisfy(s -> assertThat(s.pValue()).isGreaterThan(1e-5));
    }

    @Test
    void nothingIsScoredDuringWarmUp() {
        ActivityState state = detector.newState();
        List<Finding> findings = new ArrayList<>();
        for (int w = 0; w < 47; w++) {
            findings.addAll(window(detector, state, w, w == 30 ? 500 : 3));
        }
        assertThat(findings).isEmpty();
        assertThat(state.learnedWindows()).isEqualTo(47);
    }

    @Test
    void burstFindingExplainsItself() {
        ActivityState state = steady(detector, 72, 10);
        assertThat(state.fastLevel()).isCloseTo(10.0, within(1e-9));
        assertThat(detector.expectedCount(state, T0 + 72 * HOUR)).isCloseTo(10.0, within(1e-9));

        List<Finding> findings = window(detector, state, 72, 40);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.detector()).isEqualTo("activity-rate");
        assertThat(finding.detectorVersion()).isEqualTo("1");
        assertThat(finding.windowStart()).isEqualTo(T0 + 72 * HOUR);
        assertThat(finding.windowEnd()).isEqualTo(T0 + 73 * HOUR);
        assertThat(finding.threshold()).isEqualTo(1e-5);
        double expectedP = NegativeBinomial.poisson(10).upperTail(40);
        assertThat(finding.pValue()).isCloseTo(expectedP, within(expectedP * 1e-9));
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        long upper = NegativeBinomial.poisson(10).upperLimit(1e-5);
        assertThat(finding.summary())
                .isEqualTo(
                        "burst: 40 events in 1h window vs expected 10 (interval 0–"
                                + upper
                                + ", non-seasonal level, Poisson, baseline 35 windows)");
        Measure events = finding.measures().get(0);
        assertThat(events.name()).isEqualTo("events");
        assertThat(events.observed()).isEqualTo(40.0);
        assertThat(events.expected()).isCloseTo(10.0, within(1e-9));
        assertThat(events.lower()).isZero();
        assertThat(events.upper()).isEqualTo(upper);
        assertThat(events.unit()).isEqualTo("count");
        Measure level = finding.measures().get(1);
        assertThat(level.name()).isEqualTo("level");
        assertThat(level.unit()).isEqualTo("events/1h");
        assertThat(finding.relatedEventIds())
                .containsExactly(
                        "e-72-0", "e-72-1", "e-72-2", "e-72-3", "e-72-4", "e-72-5", "e-72-6",
                        "e-72-7");
        assertThat(state.learnedWindows()).as("a burst window is not learned").isEqualTo(72);
        assertThat(state.fastLevel()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void emptyWindowsCloseUntilTheKeyGoesIdle() {
        ActivityRateDetector shortIdle =
                new ActivityRateDetector(
                        ActivityRateConfig.defaults().withIdleSpan(Duration.ofHours(3)));
        ActivityState state = shortIdle.newState();
        shortIdle.onEvent(state, new ActivityObservation("only"), T0 + 5);
        assertThat(shortIdle.nextDeadline(state)).isEqualTo(T0 + HOUR);
        assertThat(shortIdle.onTime(state, T0 + HOUR - 1)).isEmpty();
        shortIdle.onTime(state, T0 + HOUR);
        assertThat(shortIdle.nextDeadline(state)).as("empty window").isEqualTo(T0 + 2 * HOUR);
        shortIdle.onTime(state, T0 + 3 * HOUR);
        assertThat(shortIdle.nextDeadline(state)).isEqualTo(T0 + 4 * HOUR);
        shortIdle.onTime(state, T0 + 4 * HOUR);
        assertThat(state.learnedWindows()).isEqualTo(4);
        assertThat(shortIdle.nextDeadline(state)).as("idle for 3h").isEqualTo(Long.MAX_VALUE);
        assertThat(shortIdle.isEmpty(state)).as("went idle during warm-up").isTrue();

        shortIdle.onEvent(state, new ActivityObservation("back"), T0 + 30 * HOUR + 7);
        assertThat(shortIdle.nextDeadline(state)).isEqualTo(T0 + 31 * HOUR);
        assertThat(state.learnedWindows()).as("the quiet gap is not learned").isEqualTo(4);
        assertThat(shortIdle.isEmpty(state)).isFalse();
    }

    @Test
    void anEventOfALaterWindowClosesTheWindowsBetween() {
        ActivityState state = steady(detector, 60, 1);
        detector.onEvent(state, new ActivityObservation("a"), T0 + 60 * HOUR);
        detector.onEvent(state, new ActivityObservation("b"), T0 + 63 * HOUR + 1);
        assertThat(state.learnedWindows()).isEqualTo(63);
        assertThat(detector.nextDeadline(state)).isEqualTo(T0 + 64 * HOUR);
        assertThat(state.windowCount).isEqualTo(1);
    }

    @Test
    void lateEventsCountIntoTheOpenWindow() {
        ActivityState state = steady(detector, 60, 2);
        detector.onEvent(state, new ActivityObservation("x"), T0 + 60 * HOUR + 10);
        detector.onEvent(state, new ActivityObservation("late"), T0 + 3 * HOUR);
        assertThat(state.windowStart).isEqualTo(T0 + 60 * HOUR);
        assertThat(state.windowCount).isEqualTo(2);
    }

    @Test
    void silenceIsReportedOnlyWithTheLowerTailAndNeverLearned() {
        ActivityState identity = steady(detector, 72, 20);
        assertThat(window(detector, identity, 72, 0)).isEmpty();
        assertThat(identity.learnedWindows())
                .as("an anomalous silence is not learned")
                .isEqualTo(72);

        ActivityRateDetector agents = new ActivityRateDetector(ActivityRateConfig.forAgents());
        ActivityState agent = steady(agents, 72, 20);
        List<Finding> findings = window(agents, agent, 72, 0);
        assertThat(findings).hasSize(1);
        Finding silence = findings.get(0);
        assertThat(silence.summary()).startsWith("silence: 0 events in 1h window vs expected 20");
        assertThat(silence.pValue()).isCloseTo(2 * Math.exp(-20), within(1e-15));
        assertThat(silence.measures().get(0).lower()).isPositive();
        assertThat(silence.relatedEventIds()).isEmpty();
        assertThat(agent.learnedWindows()).isEqualTo(72);
    }

    @Test
    void quietHoursOfAStrongCycleAreLearnedNotFlagged() {
        ActivityState state = detector.newState();
        List<Finding> findings = new ArrayList<>();
        for (int w = 0; w < 24 * 10; w++) {
            int hour = w % 24;
            findings.addAll(window(detector, state, w, hour >= 9 && hour < 17 ? 30 : 0));
        }
        assertThat(findings).isEmpty();
        assertThat(detector.expectedCount(state, T0 + 240 * HOUR + 12 * HOUR))
                .isCloseTo(30.0, within(3.0));
        assertThat(detector.expectedCount(state, T0 + 240 * HOUR + 3 * HOUR)).isLessThan(2.0);
    }

    @Test
    void extremeInputsNeverThrow() {
        ActivityState state = detector.newState();
        assertThatCode(
                        () -> {
                            for (long t : new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE, -1, 7}) {
                                detector.onEvent(state, new ActivityObservation(null), t);
                                detector.onEvent(
                                        state, new ActivityObservation("x".repeat(500)), t);
                                detector.onTime(state, t);
                                detector.nextDeadline(state);
                            }
                            detector.onTime(state, Long.MAX_VALUE);
                            detector.codec().decode(detector.codec().encode(state));
                        })
                .doesNotThrowAnyException();
        ActivityState busy = steady(detector, 60, 3);
        assertThatCode(
                        () -> {
                            for (int i = 0; i < 200_000; i++) {
                                detector.onEvent(
                                        busy, new ActivityObservation(null), T0 + 60 * HOUR);
                            }
                            detector.onTime(busy, Long.MAX_VALUE);
                        })
                .doesNotThrowAnyException();
    }

    @Test
    void seedingFromPeersGivesAMembersShareOfTheirBaselineCountedAsTheWarmUp() {
        ActivityState peers = steady(detector, 100, 40);
        ActivityState state = detector.newState();
        detector.seedFromPeers(state, peers, 4);
        assertThat(state.learnedWindows()).isEqualTo(48);
        assertThat(state.fastLevel()).isCloseTo(peers.fastLevel() / 4, within(1e-9));
        assertThat(state.slowLevel()).isCloseTo(peers.slowLevel() / 4, within(1e-9));
        assertThat(state.dailyCodes).isEqualTo(peers.dailyCodes);
        assertThat(state.weeklyCodes).isEqualTo(peers.weeklyCodes);
        assertThat(state.dailyVisits).containsOnly(3);
        assertThat(state.errorCount).containsOnly(24);
        ActivityRateDetector.Prediction p = detector.predict(state, T0 + 100 * HOUR);
        assertThat(p.mean).isCloseTo(10.0, within(1e-3));
        assertThat(p.dispersion)
                .as("steady peers: the member-spread dispersion alone")
                .isCloseTo(ActivityRateDetector.PEER_DISPERSION, within(0.01));

        List<Score> scores = new ArrayList<>();
        assertThat(window(detector, state, 100, 30, scores::add))
                .as("three times the mean member")
                .isEmpty();
        assertThat(named(scores, "events")).as("scored from the first window").hasSize(1);
        assertThat(window(detector, state, 101, 150)).hasSize(1);
        ActivityState unseeded = detector.newState();
        assertThat(window(detector, unseeded, 100, 30)).isEmpty();
        assertThat(window(detector, unseeded, 101, 150)).as("warming up").isEmpty();
    }

    @Test
    void seedingFromColdPeersOrIntoAKeyWithHistoryChangesNothing() {
        ActivityState state = detector.newState();
        detector.seedFromPeers(state, detector.newState(), 2);
        detector.seedFromPeers(state, steady(detector, 40, 10), 2);
        assertThat(detector.codec().encode(state))
                .as("peers short of the warm-up")
                .isEqualTo(detector.codec().encode(detector.newState()));
        ActivityState own = steady(detector, 10, 5);
        byte[] before = detector.codec().encode(own);
        detector.seedFromPeers(own, steady(detector, 100, 40), 1);
        assertThat(detector.codec().encode(own)).isEqualTo(before);
        assertThatThrownBy(() -> detector.seedFromPeers(state, own, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stateIsEmptyOnlyWithoutAUsableBaseline() {
        ActivityState state = detector.newState();
        assertThat(detector.isEmpty(state)).isTrue();
        assertThat(detector.nextDeadline(state)).isEqualTo(Long.MAX_VALUE);
        detector.onEvent(state, new ActivityObservation("a"), T0);
        assertThat(detector.isEmpty(state)).isFalse();
        ActivityState mature = steady(detector, 60, 2);
        detector.onTime(mature, T0 + 400 * HOUR);
        assertThat(detector.nextDeadline(mature)).isEqualTo(Long.MAX_VALUE);
        assertThat(detector.isEmpty(mature)).isFalse();
    }

    @Test
    void configIsValidated() {
        ActivityRateConfig defaults = ActivityRateConfig.defaults();
        assertThat(defaults.window()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.falseAlarmRate()).isEqualTo(1e-5);
        assertThat(defaults.lowerTail()).isFalse();
        assertThat(ActivityRateConfig.forAgents().lowerTail()).isTrue();
        assertThatThrownBy(() -> defaults.withFalseAlarmRate(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("falseAlarmRate");
        assertThatThrownBy(() -> defaults.withIdleSpan(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idleSpan");
    }
}
