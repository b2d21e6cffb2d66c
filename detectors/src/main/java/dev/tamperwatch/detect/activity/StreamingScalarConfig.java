package dev.tamperwatch.detect.activity;

/**
 * Settings of {@link StreamingScalarDetector}. Half-lives are counted in observations.
 *
 * @param warmUp observations learned before anything is scored; scores are 0 until then
 * @param fastHalfLife half-life of the fast level the value is compared with, positive
 * @param slowHalfLife half-life of the long-horizon level, longer than {@code fastHalfLife}
 * @param scaleHalfLife half-life of the mean absolute residual (the Laplace scale), positive
 * @param learningClip a learned residual is clipped to this many scales, which bounds one
 *     observation's influence on the baseline; positive
 * @param minRelativeScale the scale never falls below this fraction of the series' long-run mean
 *     absolute deviation (a noiseless series would otherwise make any change infinitely
 *     surprising); non-negative
 * @param scoreHalfSurprise surprise {@code -ln p} mapped to the score 0.5; positive
 */
public record StreamingScalarConfig(
        int warmUp,
        double fastHalfLife,
        double slowHalfLife,
        double scaleHalfLife,
        double learningClip,
        double minRelativeScale,
        double scoreHalfSurprise) {

    public StreamingScalarConfig {
        if (warmUp < 2) {
            throw new IllegalArgumentException("warmUp must be at least 2: " + warmUp);
        }
        requirePositive("fastHalfLife", fastHalfLife);
        requirePositive("slowHalfLife", slowHalfLife);
        requirePositive("scaleHalfLife", scaleHalfLife);
        requirePositive("learningClip", learningClip);
        requirePositive("scoreHalfSurprise", scoreHalfSurprise);
        if (!(slowHalfLife > fastHalfLife)) {
            throw new IllegalArgumentException(
                    "slowHalfLife must exceed fastHalfLife: " + slowHalfLife);
        }
        if (!(minRelativeScale >= 0) || Double.isInfinite(minRelativeScale)) {
            throw new IllegalArgumentException(
                    "minRelativeScale must be finite and >= 0: " + minRelativeScale);
        }
    }

    /** The settings used for the NAB corpus, one configuration for every series. */
    public static StreamingScalarConfig defaults() {
        return new StreamingScalarConfig(50, 20, 400, 100, 4, 0.5, 15);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite: " + value);
        }
    }
}
