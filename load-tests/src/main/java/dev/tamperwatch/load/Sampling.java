package dev.tamperwatch.load;

import java.util.List;
import java.util.SplittableRandom;

/** Small random draws shared by the event writers. */
final class Sampling {

    private static final List<String> REFUSAL_CATEGORIES =
            List.of(
                    "harmful_content",
                    "illegal_activity",
                    "self_harm",
                    "privacy",
                    "malware",
                    "hate");

    private Sampling() {}

    /** LogNormal with the given median and log-scale standard deviation. */
    static double logNormal(SplittableRandom random, double median, double sigma) {
        return median * Math.exp(sigma * random.nextGaussian());
    }

    /** A whole number of milliseconds drawn by {@link #logNormal}, clamped to [min, max]. */
    static long millis(SplittableRandom random, double median, double sigma, long min, long max) {
        return Math.max(min, Math.min(max, Math.round(logNormal(random, median, sigma))));
    }

    /** A character count drawn by {@link #logNormal}, at least 1 and at most 100,000. */
    static int chars(SplittableRandom random, double median, double sigma) {
        return (int) Math.max(1, Math.min(100_000, Math.round(logNormal(random, median, sigma))));
    }

    /** A refusal category, each of six equally likely. */
    static String refusalCategory(SplittableRandom random) {
        return REFUSAL_CATEGORIES.get(random.nextInt(REFUSAL_CATEGORIES.size()));
    }

    /** Cumulative sums of weights, scaled so the last is 1. */
    static double[] cumulative(double[] weights) {
        double[] cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < weights.length; i++) {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    /** The index whose cumulative interval holds {@code uniform} in [0, 1). */
    static int pick(double[] cumulative, double uniform) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (uniform < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }
}
