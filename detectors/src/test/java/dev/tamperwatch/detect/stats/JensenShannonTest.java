package dev.tamperwatch.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JensenShannonTest {

    @Test
    void identicalDistributionsHaveNoDivergence() {
        assertThat(JensenShannon.divergenceBits(new double[] {1, 2, 3}, new double[] {2, 4, 6}))
                .isCloseTo(0.0, within(1e-12));
    }

    @Test
    void disjointDistributionsHaveOneBit() {
        assertThat(JensenShannon.divergenceBits(new double[] {1, 0}, new double[] {0, 1}))
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void matchesHandComputedValue() {
        // M = (0.75, 0.25); KL(P||M) = log2(4/3); KL(Q||M) = (log2(2/3) + 1) / 2.
        double expected = 0.5 * (log2(4.0 / 3) + 0.5 * (log2(2.0 / 3) + 1));
        assertThat(JensenShannon.divergenceBits(new double[] {1, 0}, new double[] {1, 1}))
                .isCloseTo(expected, within(1e-12));
    }

    @Test
    void emptyInputHasNoDivergence() {
        assertThat(JensenShannon.divergenceBits(new double[] {0, 0}, new double[] {1, 1})).isZero();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
