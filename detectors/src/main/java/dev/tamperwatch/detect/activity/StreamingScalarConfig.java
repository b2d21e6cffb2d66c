package dev.tamperwatch.detect.activity;

/**
 * Settings of {@link StreamingScalarDetector}. Half-lives and counts are in observations unless
 * stated otherwise.
 *
 * @param warmUp observations learned before anything is scored; scores are 0 until then
 * @param fastHalfLife half-life of the fast level the value is compared with, positive
 * @param slowHalfLife half-life of the long-horizon level (and of the seasonal model's base),
 *     longer than {@code fastHalfLife}
 * @param scaleHalfLife half-life of the mean absolute residual (the Laplace scale), positive
 * @param learningClip a learned residual is clipped to this many scales, which bounds one
 *     observation's influence on the baseline; positive
 * @param minRelativeScale the scale never falls below this fraction of the series' long-run mean
 *     absolute deviation (a noiseless series would otherwise make any change infinitely
 *     surprising); non-negative
 * @param seasonHalfLifeDays half-life of the hour-of-day profile in days, positive
 * @param rawHalfSurprise surprise {@code -ln p} mapped to the raw score 0.5; positive
 * @param averagingHalfLife half-life of the short average of raw scores the likelihood tests;
 *     positive
 * @param distributionHalfLife half-life of the long-run mean and variance of that average; positive
 * @param likelihoodWarmUp scored observations that only learn that distribution (score 0); >= 0
 * @param minRawDeviation floor of the standard deviation of the averaged raw score (a perfectly
 *     predictable series would otherwise make any blip certain); positive
 * @param shapeAveragingHalfLife half-life of the average of shape surprises (the residual against
 *     the seasonal profile alone) the shape likelihood tests; positive
 * @param shapeClip a shape surprise counts at most this many scales in that average, so one spike
 *     moves it by a bounded amount while a broken pattern moves it by as much; positive
 * @param rangeTolerance a value beyond the learned range by more than this fraction of its width
 *     scores 1; non-negative
 * @param cooldown observations after a score during which scores not above it are reported as 0; >=
 *     0
 */
public record StreamingScalarConfig(
        int warmUp,
        double fastHalfLife,
        double slowHalfLife,
        double scaleHalfLife,
        double learningClip,
        double minRelativeScale,
        double seasonHalfLifeDays,
        double rawHalfSurprise,
        double averagingHalfLife,
        double distributionHalfLife,
        int likelihoodWarmUp,
        double minRawDeviation,
        double shapeAveragingHalfLife,
        double shapeClip,
        double rangeTolerance,
        int cooldown) {

    public StreamingScalarConfig {
        if (warmUp < 2) {
            throw new IllegalArgumentException("warmUp must be at least 2: " + warmUp);
        }
        requirePositive("fastHalfLife", fastHalfLife);
        requirePositive("slowHalfLife", slowHalfLife);
        requirePositive("scaleHalfLife", scaleHalfLife);
        requirePositive("learningClip", learningClip);
        requirePositive("seasonHalfLifeDays", seasonHalfLifeDays);
        requirePositive("rawHalfSurprise", rawHalfSurprise);
        requirePositive("averagingHalfLife", averagingHalfLife);
        requirePositive("distributionHalfLife", distributionHalfLife);
        requirePositive("minRawDeviation", minRawDeviation);
        requirePositive("shapeAveragingHalfLife", shapeAveragingHalfLife);
        requirePositive("shapeClip", shapeClip);
        if (!(slowHalfLife > fastHalfLife)) {
            throw new IllegalArgumentException(
                    "slowHalfLife must exceed fastHalfLife: " + slowHalfLife);
        }
        requireNonNegative("minRelativeScale", minRelativeScale);
        requireNonNegative("rangeTolerance", rangeTolerance);
        if (likelihoodWarmUp < 0 || cooldown < 0) {
            throw new IllegalArgumentException(
                    "likelihoodWarmUp and cooldown must be >= 0: "
                            + likelihoodWarmUp
                            + ", "
                            + cooldown);
        }
    }

    /**
     * The settings used for the NAB corpus, one configuration for every series.
     *
     * <ul>
     *   <li>warm-up 50, likelihood warm-up 100: the first 150 values only learn (NAB's probationary
     *       period is 15% of a file, at most 750 values);
     *   <li>fast level 60, slow level 400, scale 100 (as the activity family: the fast level spans
     *       hours at 5-minute sampling, so a sustained change stays surprising for a while);
     *   <li>learning clip 4 scales; scale floor 0.1 of the long-run deviation, low enough for a
     *       daily swing not to hide the seasonal model's much smaller residuals;
     *   <li>profile half-life 2 days: two days of history decide what a time of day looks like;
     *   <li>raw half surprise 3: a residual of 3 scales (Laplace p = 0.05) is raw score 0.5;
     *   <li>averaging half-life 3, distribution half-life 1000: a few values against a few days;
     *   <li>raw deviation floor 0.02 (Numenta's likelihood floors the variance at 0.0003);
     *   <li>shape averaging half-life 12 (an hour at 5-minute sampling: a broken pattern shows over
     *       an hour, not in one value), shape clip 8 scales (a Laplace tail of {@code e^-8}, about
     *       once in the 1,400 values the likelihood's distribution effectively rests on: a larger
     *       residual says no more about the shape than the rarest value in that history);
     *   <li>range tolerance 0.05 of the learned range (as Numenta's spatial anomaly check);
     *   <li>cooldown 50 observations: about four hours at 5-minute sampling.
     * </ul>
     */
    public static StreamingScalarConfig defaults() {
        return new StreamingScalarConfig(
                50, 60, 400, 100, 4, 0.1, 2, 3, 3, 1000, 100, 0.02, 12, 8, 0.05, 50);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite: " + value);
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0: " + value);
        }
    }
}
