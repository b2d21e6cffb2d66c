package dev.tamperwatch.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BetaBinomialTest {

    /** Probability mass from the textbook Gamma-function formula, independent of the class. */
    private static double bruteForcePmf(long n, double a, double b, long k) {
        return Math.exp(bruteForceLogPmf(n, a, b, k));
    }

    private static double bruteForceLogPmf(long n, double a, double b, long k) {
        return Gamma.logGamma(n + 1.0)
                - Gamma.logGamma(k + 1.0)
                - Gamma.logGamma(n - k + 1.0)
                + Gamma.logGamma(k + a)
                + Gamma.logGamma(n - k + b)
                - Gamma.logGamma(n + a + b)
                + Gamma.logGamma(a + b)
                - Gamma.logGamma(a)
                - Gamma.logGamma(b);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 2, 3",
        "40, 1, 19",
        "40, 31, 989",
        "60, 300, 700",
        "100, 0.001, 5",
        "200, 0.5, 0.5",
        "150, 40, 0.7"
    })
    void tailsMatchBruteForceSummation(long n, double a, double b) {
        BetaBinomial distribution = new BetaBinomial(n, a, b);
        for (long k = 0; k <= n; k++) {
            double upper = 0;
            for (long j = n; j >= k; j--) {
                upper += bruteForcePmf(n, a, b, j);
            }
            double lower = 0;
            for (long j = 0; j <= k; j++) {
                lower += bruteForcePmf(n, a, b, j);
            }
            assertThat(distribution.upperTail(k))
                    .as("P(K >= %d) for n=%d, Beta(%s, %s), relative error 1e-8", k, n, a, b)
                    .isCloseTo(Math.min(1, upper), withinPercentage(1e-6));
            assertThat(distribution.lowerTail(k))
                    .as("P(K <= %d) for n=%d, Beta(%s, %s), relative error 1e-8", k, n, a, b)
                    .isCloseTo(Math.min(1, lower), withinPercentage(1e-6));
        }
    }

    @Test
    void uniformMixingGivesDiscreteUniformTails() {
        for (long n : new long[] {10, 100_000}) {
            BetaBinomial uniform = new BetaBinomial(n, 1, 1);
            for (long k : new long[] {0, 1, n / 3, n - 1, n}) {
                assertThat(uniform.upperTail(k))
                        .as("Beta(1,1) mixes to uniform on 0..n: P(K >= k) = (n + 1 - k)/(n + 1)")
                        .isCloseTo((n + 1.0 - k) / (n + 1.0), withinPercentage(1e-7));
            }
        }
    }

    @Test
    void singleTrialIsBernoulliWithTheMean() {
        BetaBinomial one = new BetaBinomial(1, 2, 6);
        assertThat(one.upperTail(1)).isCloseTo(0.25, withinPercentage(1e-10));
        assertThat(one.lowerTail(0)).isCloseTo(0.75, withinPercentage(1e-10));
    }

    @Test
    void veryConcentratedMixingTendsToTheBinomial() {
        BetaBinomial nearlyFixed = new BetaBinomial(50, 3e7, 7e7);
        BinomialDistribution binomial = new BinomialDistribution(50, 0.3);
        for (int k : new int[] {0, 5, 15, 30, 45}) {
            assertThat(nearlyFixed.lowerTail(k))
                    .as("Beta(3e7, 7e7) is almost a point mass at 0.3, relative error 1e-4")
                    .isCloseTo(binomial.cumulativeProbability(k), withinPercentage(1e-2));
        }
    }

    @Test
    void noTrialsMeansCertainty() {
        BetaBinomial none = new BetaBinomial(0, 1, 19);
        assertThat(none.upperTail(0)).isEqualTo(1.0);
        assertThat(none.lowerTail(0)).isEqualTo(1.0);
        assertThat(none.upperTail(1)).isEqualTo(0.0);
        assertThat(none.lowerQuantile(1e-5)).isZero();
        assertThat(none.upperQuantile(1e-5)).isZero();
    }

    @ParameterizedTest
    @CsvSource({"0.001, 1000", "1000, 0.001", "1, 19", "0.5, 0.5", "5000, 5000"})
    void extremeShapesWithHundredThousandTrialsStayFiniteAndFast(double a, double b) {
        long n = 100_000;
        BetaBinomial distribution = new BetaBinomial(n, a, b);
        long started = System.nanoTime();
        for (long k : new long[] {0, 1, 2, 50, n / 2, n - 2, n - 1, n}) {
            double logUpper = distribution.logUpperTail(k);
            double logLower = distribution.logLowerTail(k);
            assertThat(logUpper).as("log P(K >= %d)", k).isNotNaN().isLessThanOrEqualTo(0.0);
            assertThat(logLower).as("log P(K <= %d)", k).isNotNaN().isLessThanOrEqualTo(0.0);
            assertThat(logUpper)
                    .as("log P(K >= %d) is finite", k)
                    .isGreaterThan(Double.NEGATIVE_INFINITY);
            assertThat(Math.exp(logUpper) + Math.exp(logLower) - Math.exp(distribution.logPmf(k)))
                    .as("P(K >= k) + P(K <= k) - P(K = k) = 1")
                    .isCloseTo(1.0, withinPercentage(1e-6));
        }
        long lowest = distribution.lowerQuantile(5e-6);
        long highest = distribution.upperQuantile(5e-6);
        assertThat(lowest).isBetween(0L, highest);
        assertThat(highest).isLessThanOrEqualTo(n);
        assertThat((System.nanoTime() - started) / 1e9).as("seconds").isLessThan(2.0);
    }

    @Test
    void farTailsKeepPrecisionBelowDoubleUnderflow() {
        long n = 100_000;
        double a = 31;
        double b = 989;
        double largest = bruteForceLogPmf(n, a, b, 90_000);
        double scaledSum = 0;
        for (long j = 90_000; j <= n; j++) {
            scaledSum += Math.exp(bruteForceLogPmf(n, a, b, j) - largest);
        }
        double bruteForceLog = largest + Math.log(scaledSum);
        BetaBinomial distribution = new BetaBinomial(n, a, b);
        assertThat(distribution.logUpperTail(90_000))
                .as("log of a probability below 1e-308, against a brute-force log-sum-exp")
                .isLessThan(-709)
                .isCloseTo(bruteForceLog, within(1e-6));
        assertThat(distribution.upperTail(90_000)).isZero();
    }

    @Test
    void quantilesBracketTheTailProbability() {
        BetaBinomial distribution = new BetaBinomial(40, 31, 989);
        double p = 5e-6;
        long lowest = distribution.lowerQuantile(p);
        long highest = distribution.upperQuantile(p);
        assertThat(distribution.lowerTail(lowest)).isGreaterThanOrEqualTo(p);
        assertThat(distribution.lowerTail(lowest - 1)).isLessThan(p);
        assertThat(distribution.upperTail(highest)).isGreaterThanOrEqualTo(p);
        assertThat(distribution.upperTail(highest + 1)).isLessThan(p);
        assertThat(lowest).isZero();
        assertThat(highest).isEqualTo(9);
    }

    @Test
    void rejectsInvalidParameters() {
        assertThatThrownBy(() -> new BetaBinomial(-1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BetaBinomial(1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BetaBinomial(1, 1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
