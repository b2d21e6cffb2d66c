package dev.tamperwatch.detect.activity;

/**
 * Numenta-style anomaly likelihood of one stream of raw scores in [0, 1]: a short exponentially
 * weighted average of the raw scores is compared with its own long-run mean and variance, and the
 * Gaussian upper-tail probability {@code Q} of that average is returned on a log scale, {@code ln Q
 * / ln 1e-10} clipped to [0, 1]. Three numbers of state; the learning rates are supplied by the
 * caller so one instance can serve channels with different horizons.
 */
final class SurpriseLikelihood {

    /** Natural log of the tail probability that maps to the score 1. */
    static final double LN_SCORE_ONE = Math.log(1e-10);

    /** Short-horizon average of the raw scores. */
    double recent;

    /** Long-horizon mean and variance of {@link #recent}. */
    double mean;

    double variance;

    /**
     * Scores the {@code k}-th raw score (k from 1) against the distribution of the earlier
     * averages, then learns it.
     */
    double score(
            double raw,
            long k,
            double averagingRate,
            double distributionRate,
            double minDeviation) {
        recent += LearningRates.capped(k, averagingRate) * (raw - recent);
        double deviation = Math.max(Math.sqrt(variance), minDeviation);
        double z = (recent - mean) / deviation;
        double score =
                Math.min(1.0, Math.max(0.0, NegativeBinomial.logNormalUpper(z) / LN_SCORE_ONE));
        double r = LearningRates.capped(k, distributionRate);
        double d = recent - mean;
        mean += r * d;
        variance = (1.0 - r) * (variance + r * d * d);
        return score;
    }

    /**
     * The score of the smallest of {@code channels} tail probabilities, one of them {@code
     * exp(score * ln 1e-10)}, after a Šidák correction for taking the smallest: {@code 1 - (1 -
     * Q)^channels}.
     */
    static double sidak(double score, int channels) {
        double lnQ = score * LN_SCORE_ONE;
        // 1 - (1 - Q)^m = -expm1(m * log1p(-Q))
        double corrected = -Math.expm1(channels * Math.log1p(-Math.exp(lnQ)));
        double lnCorrected = corrected > 0 ? Math.log(corrected) : lnQ + Math.log(channels);
        return Math.min(1.0, Math.max(0.0, lnCorrected / LN_SCORE_ONE));
    }
}
