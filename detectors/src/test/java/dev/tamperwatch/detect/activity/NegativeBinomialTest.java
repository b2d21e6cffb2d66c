package dev.tamperwatch.detect.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NegativeBinomialTest {

    /** P(X = k) by the product recursion from P(X = 0), summed directly. */
    private static double[] bruteForcePmf(double mean, double dispersion, int upTo) {
        double[] pmf = new double[upTo + 1];
        if (dispersion == 0) {
            pmf[0] = Math.exp(-mean);
            for (int k = 1; k <= upTo; k++) {
                pmf[k] = pmf[k - 1] * mean / k;
            }
        } else {
            double size = 1 / dispersion;
            double q = mean / (size + mean);
            pmf[0] = Math.pow(size / (size + mean), size);
            for (int k = 1; k <= upTo; k++) {
                pmf[k] = pmf[k - 1] * (k - 1 + size) / k * q;
            }
        }
        return pmf;
    }

    @Test
    void tailsMatchBruteForceSums() {
        double[][] cases = {
            {0.3, 0}, {4, 0}, {25, 0}, {140, 0}, {0.3, 0.5}, {4, 0.1}, {25, 0.3}, {60, 2}, {9, 1e-6}
        };
        for (double[] c : cases) {
            double mean = c[0];
            double dispersion = c[1];
            NegativeBinomial nb = new NegativeBinomial(mean, dispersion);
            int upTo = 4000;
            double[] pmf = bruteForcePmf(mean, dispersion, upTo);
            double below = 0;
            for (int k = 0; k < 400; k++) {
                double above = 0;
                for (int j = upTo; j >= k; j--) {
                    above += pmf[j];
                }
                below += pmf[k];
                String label = "mean " + mean + ", dispersion " + dispersion + ", k " + k;
                if (pmf[k] > 1e-300) {
                    assertThat(nb.logPmf(k)).as(label).isCloseTo(Math.log(pmf[k]), within(1e-8));
                }
                if (above > 1e-300) {
                    assertThat(nb.logUpperTail(k))
                            .as("upper " + label)
                            .isCloseTo(Math.log(above), within(1e-7));
                }
                assertThat(nb.logLowerTail(k))
                        .as("lower " + label)
                        .isCloseTo(Math.log(below), within(1e-7));
            }
        }
    }

    @Test
    void deepTailsStayFiniteAndOrdered() {
        NegativeBinomial poisson = NegativeBinomial.poisson(3);
        double previous = 0;
        for (long k :
                new long[] {10, 100, 1_000, 100_000, 10_000_000, 1L << 40, Long.MAX_VALUE / 2}) {
            double logTail = poisson.logUpperTail(k);
            assertThat(logTail).as("log P(X >= %d)", k).isFinite().isLessThan(previous);
            previous = logTail;
        }
        assertThat(NegativeBinomial.poisson(1e-12).logUpperTail(1_000_000_000L)).isFinite();
        assertThat(new NegativeBinomial(1e-9, 1e5).logUpperTail(1L << 50)).isFinite();
        assertThat(new NegativeBinomial(1e12, 1e-3).logLowerTail(0)).isFinite().isNegative();
        assertThat(NegativeBinomial.poisson(1e9).logUpperTail(1_000_000_000L + 1_000_000))
                .isFinite()
                .isLessThan(-300);
        assertThat(NegativeBinomial.poisson(1e9).logLowerTail(1_000_000_000L - 1_000_000))
                .isFinite()
                .isLessThan(-300);
        assertThat(NegativeBinomial.poisson(1e15).upperTail(1_000_000_000_000_000L))
                .isCloseTo(0.5, within(0.01));
    }

    @Test
    void limitsBracketTheTailProbability() {
        for (double[] c : new double[][] {{0.2, 0}, {7, 0}, {7, 0.4}, {5000, 0.01}}) {
            NegativeBinomial nb = new NegativeBinomial(c[0], c[1]);
            for (double alpha : new double[] {1e-2, 1e-5, 1e-9}) {
                long upper = nb.upperLimit(alpha);
                assertThat(nb.upperTail(upper)).isGreaterThanOrEqualTo(alpha);
                assertThat(nb.upperTail(upper + 1)).isLessThan(alpha);
                long lower = nb.lowerLimit(alpha);
                assertThat(nb.lowerTail(lower)).isGreaterThanOrEqualTo(alpha);
                if (lower > 0) {
                    assertThat(nb.lowerTail(lower - 1)).isLessThan(alpha);
                }
            }
        }
    }

    @Test
    void momentsAndPoissonLimit() {
        NegativeBinomial nb = new NegativeBinomial(20, 0.25);
        assertThat(nb.variance()).isEqualTo(120.0);
        assertThat(nb.isPoisson()).isFalse();
        assertThat(new NegativeBinomial(20, 1e-15).isPoisson()).isTrue();
        assertThat(new NegativeBinomial(20, 1e-7).logUpperTail(40))
                .isCloseTo(NegativeBinomial.poisson(20).logUpperTail(40), within(1e-4));
    }

    @Test
    void invalidParametersAreRejectedWithTheValue() {
        assertThatThrownBy(() -> NegativeBinomial.poisson(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mean must be positive and finite: NaN");
        assertThatThrownBy(() -> NegativeBinomial.poisson(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> NegativeBinomial.poisson(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NegativeBinomial(1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dispersion must be non-negative and finite: NaN");
        assertThatThrownBy(() -> new NegativeBinomial(1, -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
