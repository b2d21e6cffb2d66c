package dev.tamperwatch.detect.refusal;

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

class RefusalRateDetectorTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_779_998_400_000L;

    private static final int SUSTAINED_WINDOWS = 6;
    private static final String SUSTAINED_SUMMARY =
            "sustained refusal-rate rise: 36/240 (15%) over 6 1h windows vs expected 5% (CUSUM"
                    + " log-likelihood ratio 12.6, threshold 12.2, baseline 980 outputs)";

    private final RefusalRateDetector detector =
            new RefusalRateDetector(RefusalRateConfig.defaults());

    /** Sends {@code total} outputs, the first {@code refused} refused, into window {@code w}. */
    private List<Finding> feed(RefusalState state, int w, int refused, int total) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String id = (i < refused ? "refused-" : "answered-") + w + "-" + i;
            findings.addAll(
                    detector.onEvent(
                            state, new RefusalObservation(i < refused, id), T0 + w * HOUR + i));
        }
        return findings;
    }

    private static RefusalState baseline(double refused, double answered) {
        RefusalState state = new RefusalState();
        state.baselineRefused = refused;
        state.baselineAnswered = answered;
        return state;
    }

    @Test
    void nothingIsScoredDuringWarmUp() {
        RefusalState state = detector.newState();
        List<Finding> findings = new ArrayList<>();
        findings.addAll(feed(state, 0, 20, 20));
        findings.addAll(feed(state, 1, 20, 20));
        findings.addAll(detector.onTime(state, T0 + 2 * HOUR));
        assertThat(findings).as("baseline below 50 outputs").isEmpty();
        assertThat(state.baselineSize()).isEqualTo(40.0);
    }

    @Test
    void spikeFindingExplainsItself() {
        RefusalState state = baseline(25, 817);
        assertThat(feed(state, 0, 21, 40)).isEmpty();
        assertThat(detector.nextDeadline(state)).isEqualTo(T0 + HOUR);
        assertThat(detector.onTime(state, T0 + HOUR - 1)).isEmpty();

        List<Finding> findings = detector.onTime(state, T0 + HOUR);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.detector()).isEqualTo("refusal-rate");
        assertThat(finding.detectorVersion()).isEqualTo("2");
        assertThat(finding.windowStart()).isEqualTo(T0);
        assertThat(finding.windowEnd()).isEqualTo(T0 + HOUR);
        assertThat(finding.threshold()).isEqualTo(1e-5);
        assertThat(finding.pValue()).isPositive().isLessThan(1e-12);
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding.summary())
                .isEqualTo(
                        "refusal rate 21/40 (52.5%) in 1h window vs expected 3% (interval"
                                + " 0%–22.5%, baseline 842 outputs)");
        Measure rate = finding.measures().get(0);
        assertThat(rate.name()).isEqualTo("refusal_rate");
        assertThat(rate.observed()).isEqualTo(0.525);
        assertThat(rate.expected()).isCloseTo(26.0 / 862, within(1e-12));
        assertThat(rate.lower()).isZero();
        assertThat(rate.upper()).isEqualTo(0.225);
        assertThat(rate.baselineSize()).isEqualTo(842.0);
        assertThat(rate.unit()).isEqualTo("ratio");
        Measure count = finding.measures().get(1);
        assertThat(count.name()).isEqualTo("refusals");
        assertThat(count.observed()).isEqualTo(21.0);
        assertThat(count.upper()).isEqualTo(9.0);
        assertThat(finding.relatedEventIds())
                .containsExactly(
                        "refused-0-0",
                        "refused-0-1",
                        "refused-0-2",
                        "refused-0-3",
                        "refused-0-4",
                        "refused-0-5",
                        "refused-0-6",
                        "refused-0-7");
        assertThat(state.baselineSize()).as("an alerting window is not learned").isEqualTo(842.0);
        assertThat(detector.nextDeadline(state)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void dropFindingCitesAnsweredOutputs() {
        RefusalState state = baseline(300, 700);
        feed(state, 0, 0, 40);
        List<Finding> findings = detector.onTime(state, T0 + HOUR);
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).summary())
                .isEqualTo(
                        "refusal rate 0/40 (0%) in 1h window vs expected 29.5% (interval"
                                + " 2.5%–65%, baseline 1000 outputs)");
        assertThat(findings.get(0).relatedEventIds())
                .hasSize(8)
                .allMatch(id -> id.startsWith("answered-"));
    }

    @Test
    void unsurprisingWindowsAreLearnedAndCapped() {
        RefusalState state = baseline(30, 970);
        assertThat(feed(state, 0, 1, 40)).isEmpty();
        assertThat(detector.onTime(state, T0 + HOUR)).isEmpty();
        assertThat(state.cusumUp).as("1/40 is below the rising CUSUM's break-even").isZero();
        assertThat(state.cusumDown).as("and above the falling one's").isZero();
        assertThat(state.baselineSize()).isCloseTo(1000.0, within(1e-9));
        assertThat(state.baselineRefused).isCloseTo(31 * 1000.0 / 1040, within(1e-9));
    }

    @Test
    void sustainedRiseRaisesACusumFindingSpanningTheRun() {
        RefusalState state = baseline(49, 931);
        List<Finding> findings = new ArrayList<>();
        int w = 0;
        while (findings.isEmpty() && w < 20) {
            findings.addAll(feed(state, w, 6, 40));
            findings.addAll(detector.onTime(state, T0 + (w + 1) * HOUR));
            w++;
        }
        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(w).as("windows until the CUSUM fires").isEqualTo(SUSTAINED_WINDOWS);
        assertThat(finding.windowStart()).as("the run's first window").isEqualTo(T0);
        assertThat(finding.windowEnd()).isEqualTo(T0 + w * HOUR);
        assertThat(finding.threshold()).isEqualTo(1e-5);
        assertThat(finding.pValue()).isLessThanOrEqualTo(1e-5);
        assertThat(finding.summary()).isEqualTo(SUSTAINED_SUMMARY);
        Measure rate = finding.measures().get(0);
        assertThat(rate.name()).isEqualTo("refusal_rate_sustained");
        assertThat(rate.observed()).isEqualTo(0.15);
        assertThat(rate.expected()).isCloseTo(0.05, within(1e-12));
        assertThat(rate.baselineSize()).isEqualTo(980.0);
        assertThat(finding.measures().get(1).observed()).isEqualTo(6.0 * w);
        assertThat(finding.relatedEventIds()).hasSize(6).allMatch(id -> id.startsWith("refused-"));
        assertThat(state.baselineSize())
                .as("the run's windows were held back and dropped")
                .isEqualTo(980.0);
        assertThat(state.cusumUp).isZero();
        assertThat(state.pendingTotal).isZero();
    }

    @Test
    void windowsHeldBackDuringARunAreLearnedWhenItEnds() {
        RefusalState state = baseline(49, 931);
        feed(state, 0, 4, 40);
        detector.onTime(state, T0 + HOUR);
        assertThat(state.cusumUp).as("4/40 against 5%").isPositive();
        assertThat(state.pendingTotal).isEqualTo(40);
        assertThat(state.baselineSize()).isEqualTo(980.0);
        int w = 1;
        for (; w < 10 && state.pendingTotal > 0; w++) {
            feed(state, w, 2, 40);
            detector.onTime(state, T0 + (w + 1) * HOUR);
        }
        assertThat(state.cusumUp).isZero();
        assertThat(state.cusumDown).isZero();
        assertThat(state.pendingTotal).isZero();
        double learned = 980 + 40.0 * w;
        double shrink = Math.min(1.0, 1000 / learned);
        assertThat(state.baselineRefused)
                .isCloseTo((49 + 4 + 2.0 * (w - 1)) * shrink, within(1e-9));
    }

    @Test
    void peerPriorScoresANewKeyFromItsFirstWindow() {
        RefusalState withPeers = RefusalRateDetector.withPeerPrior(detector.newState(), 0.03, 200);
        RefusalState alone = detector.newState();
        feed(withPeers, 0, 15, 40);
        feed(alone, 0, 15, 40);

        List<Finding> findings = detector.onTime(withPeers, T0 + HOUR);

        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).summary())
                .startsWith("refusal rate 15/40 (37.5%) in 1h window vs expected 3%")
                .endsWith("baseline 0 outputs)");
        assertThat(detector.onTime(alone, T0 + HOUR))
                .as("without a peer prior the key is still warming up")
                .isEmpty();
        assertThat(alone.baselineSize()).isEqualTo(40.0);
    }

    @Test
    void priorFadesWithTheBaselineCap() {
        RefusalState state = baseline(50, 950);
        feed(state, 0, 2, 40);
        detector.onTime(state, T0 + HOUR);
        assertThat(state.priorWeight()).isCloseTo(1000.0 / 1040, within(1e-12));
        assertThat(state.baselineSize()).isCloseTo(1000.0, within(1e-9));
    }

    @Test
    void aKeyFarFromThePopulationDropsThePrior() {
        RefusalState state = detector.newState();
        feed(state, 0, 31, 40);
        detector.onTime(state, T0 + HOUR);
        assertThat(state.priorWeight())
                .as("31/40 refused is implausible under the population prior of 5%%")
                .isZero();
        feed(state, 1, 31, 40);
        feed(state, 2, 31, 40);
        assertThat(detector.onTime(state, T0 + 3 * HOUR)).isEmpty();
        assertThat(state.baselineSize()).isEqualTo(120.0);

        RefusalState typical = detector.newState();
        feed(typical, 0, 4, 40);
        detector.onTime(typical, T0 + HOUR);
        assertThat(typical.priorWeight()).as("4/40 fits a 5%% population").isEqualTo(1.0);
    }

    @Test
    void aContradictedPeerPriorIsDroppedAtOnce() {
        RefusalState state = baseline(300, 700);
        RefusalRateDetector.withPeerPrior(state, 0.02, 500);
        assertThat(state.hasPeerPrior()).isTrue();
        assertThat(state.priorWeight()).as("30%% of 1000 is no member of a 2%% group").isZero();
    }

    @Test
    void seedingFromPeersGivesTheirRateAsAPriorOfTheWarmUpsWeight() {
        RefusalState peers = baseline(299.5, 9700.5);
        RefusalState state = detector.newState();
        detector.seedFromPeers(state, peers, 1);
        assertThat(state.hasPeerPrior()).isTrue();
        assertThat(state.peerAlpha + state.peerBeta).isEqualTo(50.0);
        assertThat(state.peerAlpha / 50).isCloseTo(0.03, within(1e-5));
        feed(state, 0, 15, 40);
        assertThat(detector.onTime(state, T0 + HOUR)).as("scored from the first window").hasSize(1);
        RefusalState unseeded = detector.newState();
        detector.seedFromPeers(unseeded, detector.newState(), 1);
        assertThat(unseeded.hasPeerPrior()).as("peers without history give nothing").isFalse();
    }

    @Test
    void everyScoreIsReportedAndFindingsAreExactlyThoseBelowTheirThreshold() {
        RefusalState state = baseline(49, 931);
        List<Score> scores = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            for (int i = 0; i < 40; i++) {
                findings.addAll(
                        detector.onEvent(
                                state,
                                new RefusalObservation(i < 6, "e"),
                                T0 + w * HOUR + i,
                                scores::add));
            }
            findings.addAll(detector.onTime(state, T0 + (w + 1) * HOUR, scores::add));
        }
        assertThat(scores).hasSize(16);
        assertThat(scores)
                .extracting(Score::measure)
                .containsOnly("refusal_rate", "refusal_rate_sustained");
        assertThat(scores.get(1).windowStart()).isEqualTo(T0);
        assertThat(scores.get(1).windowEnd()).isEqualTo(T0 + HOUR);
        assertThat(scores.stream().filter(s -> s.pValue() <= s.threshold()).count())
                .isEqualTo(findings.size())
                .isEqualTo(1);
    }

    @Test
    void peerPriorIsValidated() {
        RefusalState state = detector.newState();
        assertThatThrownBy(() -> RefusalRateDetector.withPeerPrior(state, 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mean");
        assertThatThrownBy(() -> RefusalRateDetector.withPeerPrior(state, 0.1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strength");
        assertThat(state.hasPeerPrior()).isFalse();
    }

    @Test
    void eventOfALaterWindowClosesTheOpenOne() {
        RefusalState state = baseline(25, 817);
        feed(state, 0, 21, 40);
        List<Finding> findings =
                detector.onEvent(state, new RefusalObservation(false, "next"), T0 + 2 * HOUR + 5);
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).windowStart()).isEqualTo(T0);
        assertThat(state.windowStart).isEqualTo(T0 + 2 * HOUR);
        assertThat(state.windowTotal).isEqualTo(1);
    }

    @Test
    void lateEventsCountIntoTheOpenWindow() {
        RefusalState state = baseline(25, 817);
        feed(state, 5, 1, 10);
        assertThat(detector.onEvent(state, new RefusalObservation(true, "late"), T0 + HOUR))
                .isEmpty();
        assertThat(state.windowStart).isEqualTo(T0 + 5 * HOUR);
        assertThat(state.windowTotal).isEqualTo(11);
        assertThat(state.windowRefused).isEqualTo(2);
    }

    @Test
    void eventsBeforeAClosedWindowOpenTheNextOne() {
        RefusalState state = baseline(25, 817);
        feed(state, 5, 1, 10);
        detector.onTime(state, T0 + 6 * HOUR);
        detector.onEvent(state, new RefusalObservation(false, "late"), T0 + 4 * HOUR);
        assertThat(state.windowStart).isEqualTo(T0 + 6 * HOUR);
        assertThat(detector.nextDeadline(state)).isEqualTo(T0 + 7 * HOUR);
    }

    @Test
    void smallWindowsAreNotScored() {
        RefusalState state = baseline(25, 817);
        feed(state, 0, 4, 4);
        assertThat(detector.onTime(state, T0 + HOUR)).as("4 outputs < minimum 5").isEmpty();
    }

    @Test
    void extremeInputsNeverThrow() {
        RefusalState state = detector.newState();
        assertThatCode(
                        () -> {
                            for (long t : new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE, -1, 7}) {
                                detector.onEvent(state, new RefusalObservation(true, null), t);
                                detector.onEvent(
                                        state, new RefusalObservation(false, "x".repeat(500)), t);
                                detector.onTime(state, t);
                                detector.nextDeadline(state);
                            }
                            detector.onTime(state, Long.MAX_VALUE);
                            detector.codec().decode(detector.codec().encode(state));
                        })
                .doesNotThrowAnyException();
    }

    @Test
    void stateIsEmptyOnlyWithoutHistory() {
        RefusalState state = detector.newState();
        assertThat(detector.isEmpty(state)).isTrue();
        feed(state, 0, 0, 1);
        assertThat(detector.isEmpty(state)).isFalse();
        detector.onTime(state, T0 + HOUR);
        assertThat(detector.isEmpty(state)).isFalse();
    }

    @Test
    void configIsValidated() {
        RefusalRateConfig defaults = RefusalRateConfig.defaults();
        assertThat(defaults.window()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> defaults.withFalseAlarmRate(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RefusalRateConfig(Duration.ZERO, 1e-5, 0.05, 20, 50, 5, 1000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.cusumOddsRatio()).isEqualTo(2.0);
        assertThat(defaults.cusumFalseAlarmRate()).isEqualTo(1e-5);
        assertThat(defaults.cusumThreshold()).isCloseTo(Math.log(2e5), within(1e-12));
        assertThatThrownBy(() -> defaults.withCusum(1.0, 1e-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cusumOddsRatio");
        assertThatThrownBy(() -> defaults.withCusum(2.0, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
