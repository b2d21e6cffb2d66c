package dev.tamperwatch.detect.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.special.Gamma;

/**
 * G-test of goodness of fit of observed category counts to expected probabilities, calibrated for
 * small and over-dispersed counts.
 *
 * <ul>
 *   <li>Categories whose expected count is below {@code minExpected} are pooled into one bin; when
 *       that bin is still below it, the smallest remaining categories join it.
 *   <li>Williams' correction divides G by {@code 1 + (bins + 1) / (6 n)}.
 *   <li>G is further divided by {@code dispersion}, the variance of the counts relative to a
 *       multinomial's — for a Dirichlet-multinomial posterior predictive with concentration {@code
 *       A}, {@code (n + A) / (1 + A)}.
 * </ul>
 *
 * The adjusted statistic is referred to a chi-square distribution with {@code bins - 1} degrees of
 * freedom. With fewer than two bins there is nothing to test and the p-value is 1.
 */
public final class PooledGTest {

    private PooledGTest() {}

    /**
     * Outcome of one test.
     *
     * @param statistic G after Williams' correction and the dispersion adjustment
     * @param degreesOfFreedom bins after pooling, minus one
     * @param pValue chi-square upper tail of the statistic
     */
    public record Result(double statistic, int degreesOfFreedom, double pValue) {}

    /**
     * Tests {@code observed} against {@code probabilities} (same length, positive, normalized
     * here).
     *
     * @param minExpected smallest expected count a bin may have, positive
     * @param dispersion variance inflation of the counts, at least 1
     */
    public static Result test(
            long[] observed, double[] probabilities, double minExpected, double dispersion) {
        long n = Arrays.stream(observed).sum();
        if (n == 0) {
            return new Result(0.0, 0, 1.0);
        }
        double[] expected = expectedCounts(n, probabilities);
        Integer[] ascending =
                IntStream.range(0, expected.length)
                        .boxed()
                        .sorted(Comparator.comparingDouble(i -> expected[i]))
                        .toArray(Integer[]::new);
        int pooledCount = 0;
        double pooledExpected = 0.0;
        while (pooledCount < ascending.length
                && (expected[ascending[pooledCount]] < minExpected
                        || pooledCount > 0 && pooledExpected < minExpected)) {
            pooledExpected += expected[ascending[pooledCount++]];
        }
        int bins = ascending.length - pooledCount + (pooledCount > 0 ? 1 : 0);
        if (bins < 2) {
            return new Result(0.0, 0, 1.0);
        }
        double[] binExpected = new double[bins];
        long[] binObserved = new long[bins];
        for (int rank = 0; rank < ascending.length; rank++) {
            int bin = rank < pooledCount ? 0 : rank - pooledCount + (pooledCount > 0 ? 1 : 0);
            binExpected[bin] += expected[ascending[rank]];
            binObserved[bin] += observed[ascending[rank]];
        }
        double g = 0.0;
        for (int bin = 0; bin < bins; bin++) {
            if (binObserved[bin] > 0) {
                g += 2.0 * binObserved[bin] * Math.log(binObserved[bin] / binExpected[bin]);
            }
        }
        double williams = 1.0 + (bins + 1.0) / (6.0 * n);
        double adjusted = g / (williams * dispersion);
        int df = bins - 1;
        return new Result(adjusted, df, Gamma.regularizedGammaQ(df / 2.0, adjusted / 2.0));
    }

    /** Expected counts in {@code n} draws for unnormalized positive {@code probabilities}. */
    public static double[] expectedCounts(long n, double[] probabilities) {
        double total = Arrays.stream(probabilities).sum();
        return Arrays.stream(probabilities).map(p -> n * p / total).toArray();
    }

    /**
     * One category's share of G: {@code 2 (o ln(o / e) - (o - e))}, never negative; the shares of
     * all categories sum to G when observed and expected totals agree.
     */
    public static double deviance(double observed, double expected) {
        double logTerm = observed > 0 ? observed * Math.log(observed / expected) : 0.0;
        return Math.max(0.0, 2.0 * (logTerm - (observed - expected)));
    }
}
