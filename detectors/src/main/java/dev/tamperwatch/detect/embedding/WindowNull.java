package dev.tamperwatch.detect.embedding;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Null distribution of the window statistic, learned from the key's own windows.
 *
 * <p>The statistic is a squared distance between two means of random-feature vectors divided by its
 * variance factor: {@code T = |a - b|^2 / sum_t (w_a(t) - w_b(t))^2}, where {@code w_a(t)} and
 * {@code w_b(t)} are the weights of event {@code t} in the two means (for a window against the fast
 * baseline, {@code 1 / n} plus the baseline's squared weights). While a key's events stay
 * exchangeable, {@code T} has the distribution of {@code |Z|^2} with {@code Z ~ N(0, Sigma)}
 * whatever the weights, so one history of windows calibrates both the window test and the
 * fast-versus-slow drift test. Between-window variation of real traffic enters the history and
 * widens the null accordingly.
 *
 * <p>{@code |Z|^2} is a weighted sum of chi-squares whose upper tail is governed by the largest
 * weights, heavier than a gamma with the same mean and variance when a key's embeddings cluster
 * into a few topics. It is therefore fitted by three moments: a shifted gamma {@code a + b G(nu)}
 * (Pearson type III) with the history's mean, variance and skewness. Against estimation noise the
 * variance is inflated by {@code (1 + 1/N)(1 + sqrt(2 / N))} and the skewness raised by {@code 3
 * sqrt(6 / N)} (about one and a half standard errors for skewed data), never below that of an
 * unshifted gamma; {@code N} is the history's effective number of windows. Seeded simulations of
 * keys with several topics put the resulting false-alarm rate at or below nominal from 1e-3 to
 * 1e-5. The history learns windows that did not alert, at rate {@code max(1 / (N + 1), 1 /
 * historyWindows)}; the detector leaves out windows of a drifting key and clips statistics beyond
 * the fitted upper 1e-3 quantile, so that slow poisoning does not widen the null.
 */
final class WindowNull {

    /** Smallest gamma shape of the fit. */
    private static final double MIN_SHAPE = 0.25;

    /** Margin added to the estimated skewness, in units of {@code sqrt(6 / N)}. */
    private static final double SKEW_MARGIN = 3.0;

    private WindowNull() {}

    /** The fitted shifted gamma: {@code T = shift + scale * G(shape)}. */
    record Fit(double shift, double scale, double shape) {

        double mean() {
            return shift + scale * shape;
        }

        double pValue(double statistic) {
            if (!(statistic > shift)) {
                return 1.0;
            }
            return Gamma.regularizedGammaQ(shape, (statistic - shift) / scale);
        }

        double quantile(double rate) {
            return shift
                    + scale
                            * new GammaDistribution(null, shape, 1.0)
                                    .inverseCumulativeProbability(1.0 - rate);
        }
    }

    /** Whether the history rests on at least {@code warmUpWindows} windows. */
    static boolean ready(EmbeddingState state, int warmUpWindows) {
        return state.historySize >= warmUpWindows && effectiveWindows(state) > 2;
    }

    /** Effective number of windows, {@code 1 / sum w^2}. */
    static double effectiveWindows(EmbeddingState state) {
        return state.historySquares > 0 ? 1.0 / state.historySquares : 0.0;
    }

    /** The null distribution fitted to the history; requires {@link #ready}. */
    static Fit fit(EmbeddingState state, int features) {
        double n = effectiveWindows(state);
        double mean = Math.max(Double.MIN_NORMAL, state.historyMean);
        double second = state.historySquareMean;
        double variance = Math.max(0.0, second - mean * mean) * n / (n - 1.0);
        double third = state.historyCubeMean - 3 * mean * second + 2 * mean * mean * mean;
        double skewness = variance > 0 ? third / Math.pow(variance, 1.5) : 0.0;
        variance *= (1.0 + 1.0 / n) * (1.0 + Math.sqrt(2.0 / n));
        double deviation = Math.sqrt(variance);
        if (!(deviation > 0)) {
            deviation = mean * 1e-6;
        }
        double skew = Math.max(skewness + SKEW_MARGIN * Math.sqrt(6.0 / n), 2.0 * deviation / mean);
        double shape = Math.max(MIN_SHAPE, Math.min(0.5 * features, 4.0 / (skew * skew)));
        double scale = deviation / Math.sqrt(shape);
        return new Fit(Math.max(0.0, mean - scale * shape), scale, shape);
    }

    /** Adds one window's statistic to the history. */
    static void learn(EmbeddingState state, double statistic, double historyWindows) {
        double rate = Math.max(1.0 / (state.historySize + 1.0), 1.0 / historyWindows);
        double keep = 1.0 - rate;
        double square = statistic * statistic;
        state.historyMean = keep * state.historyMean + rate * statistic;
        state.historySquareMean = keep * state.historySquareMean + rate * square;
        state.historyCubeMean = keep * state.historyCubeMean + rate * square * statistic;
        state.historySquares = keep * keep * state.historySquares + rate * rate;
        state.historySize = Math.min(state.historySize + 1.0, historyWindows);
    }
}
