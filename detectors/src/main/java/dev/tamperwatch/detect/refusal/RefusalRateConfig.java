package dev.tamperwatch.detect.refusal;

import java.time.Duration;

/**
 * Settings of {@link RefusalRateDetector}.
 *
 * @param window length of the tumbling event-time windows, aligned to multiples since the epoch
 * @param falseAlarmRate two-sided probability, per key and window, of a finding on a key whose
 *     refusal rate has not changed; in (0, 1)
 * @param priorMean population refusal rate a new key starts from, in (0, 1)
 * @param priorStrength weight of the population prior, in pseudo-observations, positive
 * @param warmUpObservations effective observations the baseline must rest on before windows are
 *     scored
 * @param minWindowEvents fewest outputs a window needs to be scored
 * @param maxBaselineSize cap on the baseline's effective observations; beyond it both counts shrink
 *     proportionally, which bounds the learning rate
 */
public record RefusalRateConfig(
        Duration window,
        double falseAlarmRate,
        double priorMean,
        double priorStrength,
        double warmUpObservations,
        long minWindowEvents,
        double maxBaselineSize) {

    public RefusalRateConfig {
        if (window == null || window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        requireOpenUnit("falseAlarmRate", falseAlarmRate);
        requireOpenUnit("priorMean", priorMean);
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
    }

    /**
     * One-hour windows, 1e-5 false alarms per key-window, Beta prior with mean 5% and weight 20.
     */
    public static RefusalRateConfig defaults() {
        return new RefusalRateConfig(Duration.ofHours(1), 1e-5, 0.05, 20, 50, 5, 1000);
    }

    public RefusalRateConfig withFalseAlarmRate(double rate) {
        return new RefusalRateConfig(
                window,
                rate,
                priorMean,
                priorStrength,
                warmUpObservations,
                minWindowEvents,
                maxBaselineSize);
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
