package dev.tamperwatch.detect.activity;

import java.time.Duration;

/**
 * Learning rates of the exponentially weighted baselines: a running mean (rate {@code 1 / n}) until
 * the rate reaches its floor, a fixed rate from then on. The floor caps the baseline's effective
 * size at about {@code 1 / floor} steps; together with the clipping of what is learned it bounds
 * how far one step can move a baseline.
 */
final class LearningRates {

    private LearningRates() {}

    /** Per-step rate of an exponential weighting whose weights halve every {@code halfLife}. */
    static double perStep(double stepMillis, Duration halfLife) {
        return -Math.expm1(-Math.log(2.0) * stepMillis / halfLife.toMillis());
    }

    /** Rate for the {@code n}-th learned step (1-based): {@code max(1 / n, floor)}. */
    static double capped(long n, double floor) {
        return n <= 1 ? 1.0 : Math.max(1.0 / n, floor);
    }

    /** Effective number of steps a baseline learned at rate {@code max(1/n, floor)} rests on. */
    static double effectiveSize(long n, double floor) {
        return Math.min(n, 1.0 / floor);
    }

    /**
     * Variance of the difference between a fast and a slow exponentially weighted mean of the same
     * independent observations, per unit of observation variance, once both are in steady state:
     * {@code sum_t (wf_t - ws_t)^2}.
     */
    static double differenceVarianceFactor(double fast, double slow) {
        double fastSquares = fast / (2.0 - fast);
        double slowSquares = slow / (2.0 - slow);
        double cross = fast * slow / (fast + slow - fast * slow);
        return Math.max(0.0, fastSquares + slowSquares - 2.0 * cross);
    }
}
