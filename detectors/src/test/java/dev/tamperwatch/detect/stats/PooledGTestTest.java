package dev.tamperwatch.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

class PooledGTestTest {

    @Test
    void matchesHandComputedCaseWithWilliamsCorrection() {
        // n = 50, E = 50/3 each; G = 2 (30 ln(30 / E) + 2 * 10 ln(10 / E)) = 14.834175;
        // q = 1 + (3 + 1) / (6 * 50) = 1.013333; G / q = 14.638988; df = 2; p = exp(-G / q / 2).
        PooledGTest.Result result =
                PooledGTest.test(new long[] {30, 10, 10}, new double[] {1, 1, 1}, 5, 1.0);
        assertThat(result.degreesOfFreedom()).isEqualTo(2);
        assertThat(result.statistic()).isCloseTo(14.638988, within(1e-6));
        assertThat(result.pValue()).isCloseTo(6.624972e-4, withinPercentage(1e-4));
    }

    @Test
    void emptyCategoriesContributeNothingToTheLogTerm() {
        // n = 20, E = 20/3 each; G = 2 * 2 * 10 ln(10 / E) = 16.218604; q = 1 + 4 / 120.
        PooledGTest.Result result =
                PooledGTest.test(new long[] {0, 10, 10}, new double[] {1, 1, 1}, 5, 1.0);
        assertThat(result.statistic()).isCloseTo(15.695424, within(1e-6));
        assertThat(result.pValue()).isCloseTo(3.906448e-4, withinPercentage(1e-4));
    }

    @Test
    void poolsCategoriesWithSmallExpectedCounts() {
        // n = 100, E = 50, 44, 3, 3: the two 3s pool to E = 6 (observed 5), three bins remain.
        // G = 2 (5 ln(5 / 6) + 45 ln(45 / 44)) = 0.199341; q = 1 + 4 / 600; p = exp(-G / q / 2).
        PooledGTest.Result result =
                PooledGTest.test(
                        new long[] {50, 45, 3, 2}, new double[] {0.5, 0.44, 0.03, 0.03}, 5, 1.0);
        assertThat(result.degreesOfFreedom()).isEqualTo(2);
        assertThat(result.statistic()).isCloseTo(0.198021, within(1e-6));
        assertThat(result.pValue()).isCloseTo(0.905733, within(1e-6));
    }

    @Test
    void pooledBinBelowTheMinimumAbsorbsTheNextSmallestCategory() {
        // n = 20, E = 1, 1, 8, 10: the 1s pool to 2 < 5, so the 8 joins: bins {10, 10}.
        PooledGTest.Result result =
                PooledGTest.test(
                        new long[] {4, 0, 6, 10}, new double[] {0.05, 0.05, 0.4, 0.5}, 5, 1.0);
        assertThat(result.degreesOfFreedom()).isEqualTo(1);
        assertThat(result.statistic()).isCloseTo(0.0, within(1e-12));
        assertThat(result.pValue()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void dispersionDividesTheStatistic() {
        long[] observed = {30, 10, 10};
        double[] probabilities = {1, 1, 1};
        double plain = PooledGTest.test(observed, probabilities, 5, 1.0).statistic();
        assertThat(PooledGTest.test(observed, probabilities, 5, 2.0).statistic())
                .isCloseTo(plain / 2, within(1e-12));
    }

    @Test
    void nothingToTestGivesPValueOne() {
        assertThat(PooledGTest.test(new long[] {0, 0}, new double[] {1, 1}, 5, 1).pValue())
                .isEqualTo(1.0);
        assertThat(PooledGTest.test(new long[] {3, 4}, new double[] {1, 1}, 5, 1).pValue())
                .as("a single pooled bin")
                .isEqualTo(1.0);
    }

    @Test
    void deviancesSumToG() {
        long[] observed = {30, 10, 10};
        double[] expected = PooledGTest.expectedCounts(50, new double[] {1, 1, 1});
        double sum = 0;
        for (int i = 0; i < observed.length; i++) {
            sum += PooledGTest.deviance(observed[i], expected[i]);
        }
        assertThat(sum).isCloseTo(14.834175, within(1e-6));
        assertThat(PooledGTest.deviance(0, 2.5)).isEqualTo(5.0);
    }

    @Test
    void extremeStatisticsKeepSmallPValues() {
        PooledGTest.Result result =
                PooledGTest.test(new long[] {300, 0, 0}, new double[] {1, 1, 1}, 5, 1.0);
        assertThat(result.pValue())
                .isPositive()
                .as("G = 600 ln 3, p about 1e-143")
                .isLessThan(1e-100);
    }
}
