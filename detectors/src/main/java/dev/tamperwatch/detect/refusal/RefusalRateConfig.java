package dev.tamperwatch.detect.refusal;

import java.time.Duration;

/**
 * Settings of {@link RefusalRateDetector}.
 *
 * @param window length of the tumbling event-time windows, aligned to multiples since the epoch
 * @param falseAlarmRate two-sided probability, per key and window, that the window test fires on a
 *     key whose refusal rate has not changed; in (0, 1)
 * @param priorMean population refusal rate a new key starts from, in (0, 1); a key given a peer
 *     prior ({@link RefusalRateDetector#withPeerPrior}) starts from that instead
 * @param priorStrength weight of the population prior, in pseudo-observations, positive
 * @param warmUpObservations effective observations the baseline (plus a peer prior, if any) must
 *     rest on before windows are scored
 * @param minWindowEvents fewest outputs a window needs for the window test
 * @param maxBaselineSize cap on the baseline's effective observations; beyond it both counts shrink
 *     proportionally, which bounds the learning rate
 * @param cusumOddsRatio shift, as a factor on the odds of refusal, that the two CUSUMs are tuned to
 *     detect: up to {@code odds × ratio} and down to {@code odds / ratio}; greater than 1
 * @param cusumFalseAlarmRate long-run rate of CUSUM findings per key and window on a key whose
 *     refusal rate has not changed, at most; the CUSUM threshold is {@code ln(2 / rate)}; in (0, 1)
 */
public record RefusalRateConfig(
        Duration window,
        double falseAlarmRate,
        double priorMean,
        double priorStrength,
        double warmUpObservations,
        long minWindowEvents,
        double maxBaselineSize,
        double cusumOddsRatio,
        double cusumFalseAlarmRate) {

    /** Default of {@link #cusumOddsRatio}: tuned to a doubling of the odds. */
    public static final double DEFAULT_CUSUM_ODDS_RATIO = 2.0;

    public RefusalRateConfig {
        if (window == null || window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        requireOpenUnit("falseAlarmRate", falseAlarmRate);
        requireOpenUnit("priorMean", priorMean);
        requireOpenUnit("cusumFalseAlarmRate", cusumFalseAlarmRate);
        if (!(priorStrength > 0) || Double.isInfinite(priorStrength)) {
            throw new IllegalArgumentException("priorStrength must be positive: " + priorStrength);
        }
        if (!(warmUpObservations >= 0) || minWindowEvents < 0) {
            throw new IllegalArgumentException("warm-up and minimum window size must be >= 0");
        }
        if (!(maxBaselineSize >= warmUpObservations) || !(maxBaselineSize > 0)) {
            throw new IllegalArgumentException(
                    "maxBaselineSize must be positive and at least the warm-up: "
                            + maxBaselineSize);
        }
        if (!(cusumOddsRatio > 1) || Double.isInfinite(cusumOddsRatio)) {
            throw new IllegalArgumentException(
                    "cusumOddsRatio must be finite and greater than 1: " + cusumOddsRatio);
        }
    }

    /**
     * Settings with the default CUSUM: tuned to a doubling of the odds, at the window test's
     * false-alarm rate.
     */
    public RefusalRateConfig(
            Duration window,
            double falseAlarmRate,
            double priorMean,
            double priorStrength,
            double warmUpObservations,
            long minWindowEvents,
            double maxBaselineSize) {
        this(
                window,
                falseAlarmRate,
                priorMean,
                priorStrength,
                warmUpObservations,
                minWindowEvents,
                maxBaselineSize,
                DEFAULT_CUSUM_ODDS_RATIO,
                falseAlarmRate);
    }

    /**
     * One-hour windows, 1e-5 false alarms per key-window for the window test and for the CUSUM,
     * Beta prior with mean 5% and weight 20, CUSUM tuned to a doubling of the odds.
     */
    public static RefusalRateConfig defaults() {
        return new RefusalRateConfig(Duration.ofHours(1), 1e-5, 0.05, 20, 50, 5, 1000);
    }

    /** These settings with both the window test and the CUSUM at {@code rate}. */
    public RefusalRateConfig withFalseAlarmRate(double rate) {
        return new RefusalRateConfig(
                window,
                rate,
                priorMean,
                priorStrength,
                warmUpObservations,
                minWindowEvents,
                maxBaselineSize,
                cusumOddsRatio,
                rate);
    }

    /** These settings with the CUSUM tuned to {@code oddsRatio} at {@code falseAlarmRate}. */
    public RefusalRateConfig withCusum(double oddsRatio, double falseAlarmRate) {
        return new RefusalRateConfig(
                window,
                this.falseAlarmRate,
                priorMean,
                priorStrength,
                warmUpObservations,
                minWindowEvents,
                maxBaselineSize,
                oddsRatio,
                falseAlarmRate);
    }

    /**
     * CUSUM decision threshold on the log-likelihood ratio: {@code ln(2 / cusumFalseAlarmRate)};
     * see {@link RefusalRateDetector} for why 2.
     */
    public double cusumThreshold() {
        return Math.log(2 / cusumFalseAlarmRate);
    }

    double priorAlpha() {
        return priorMean * priorStrength;
    }

    double priorBeta() {
        return (1.0 - priorMean) * priorStrength;
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must lie in (0, 1): " + value);
        }
    }
}
