package dev.tamperwatch.detect.activity;

/**
 * Anomaly score in [0, 1] for each value of a univariate stream (a metric, not a count), from the
 * same baseline machinery as {@link ActivityRateDetector}: a fast and a slow exponentially weighted
 * level with learning rates {@code 1/n} up to a floor, bounded-influence learning and a tail test.
 *
 * <p>Model: residuals from the fast level are Laplace with scale {@code b}, the exponentially
 * weighted mean absolute residual, floored at {@code minRelativeScale} times the long-run mean
 * absolute deviation from the slow level. The p-value of a value is its residual's two-sided
 * Laplace tail {@code exp(-|r| / b)}; the score is {@code surprise / (surprise +
 * scoreHalfSurprise)} with {@code surprise = -ln p}, a monotone function of the tail probability
 * comparable across series.
 *
 * <p>Learning: every value is learned with its residual clipped to {@code learningClip} scales, so
 * one value moves the baseline by a bounded amount and a lasting level shift is absorbed gradually
 * (unlike the count detector, which does not learn anomalous windows at all: a metric series has no
 * external alert policy to resolve a permanent shift).
 */
public final class StreamingScalarDetector {

    private static final double LN2 = Math.log(2.0);

    private final StreamingScalarConfig config;
    private final double fastRate;
    private final double slowRate;
    private final double scaleRate;

    public StreamingScalarDetector(StreamingScalarConfig config) {
        this.config = config;
        this.fastRate = rate(config.fastHalfLife());
        this.slowRate = rate(config.slowHalfLife());
        this.scaleRate = rate(config.scaleHalfLife());
    }

    public StreamingScalarConfig config() {
        return config;
    }

    public ScalarState newState() {
        return new ScalarState();
    }

    /**
     * Scores {@code value} against the baseline, then learns it.
     *
     * @param timestamp time of the value, epoch milliseconds (information only)
     * @return anomaly score in [0, 1]; 0 during warm-up
     * @throws IllegalArgumentException when {@code value} is NaN or infinite
     */
    public double score(ScalarState state, long timestamp, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "value must be finite, got " + value + " at " + timestamp);
        }
        double pValue = 1.0;
        if (state.observations >= config.warmUp()) {
            pValue = pValue(state, value);
        }
        learn(state, value);
        double surprise = Math.max(0.0, -Math.log(Math.max(pValue, Double.MIN_NORMAL)));
        return surprise / (surprise + config.scoreHalfSurprise());
    }

    /** Tail probability of {@code value} under the current baseline, without learning it. */
    public double pValue(ScalarState state, double value) {
        return Math.exp(-Math.abs(value - state.fastLevel) / effectiveScale(state));
    }

    private void learn(ScalarState state, double value) {
        long n = ++state.observations;
        if (n == 1) {
            state.fastLevel = value;
            state.slowLevel = value;
            state.scale = 0.0;
            return;
        }
        double scale = effectiveScale(state);
        double residual = value - state.fastLevel;
        double limit = config.learningClip() * scale;
        double clipped = scale > 0 ? Math.max(-limit, Math.min(limit, residual)) : residual;
        state.scale += LearningRates.capped(n - 1, scaleRate) * (Math.abs(clipped) - state.scale);
        double learned = state.fastLevel + clipped;
        state.spread +=
                LearningRates.capped(n - 1, slowRate)
                        * (Math.abs(value - state.slowLevel) - state.spread);
        state.fastLevel += LearningRates.capped(n, fastRate) * (learned - state.fastLevel);
        state.slowLevel += LearningRates.capped(n, slowRate) * (learned - state.slowLevel);
    }

    private double effectiveScale(ScalarState state) {
        double floor = config.minRelativeScale() * state.spread;
        return Math.max(Math.max(state.scale, floor), Double.MIN_NORMAL);
    }

    private static double rate(double halfLife) {
        return -Math.expm1(-LN2 / halfLife);
    }
}
