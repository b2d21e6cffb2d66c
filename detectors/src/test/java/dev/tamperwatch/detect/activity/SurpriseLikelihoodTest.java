package dev.tamperwatch.detect.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SurpriseLikelihoodTest {

    @Test
    void sidakCorrectionOfTwoTestsDoublesASmallTailProbability() {
        // Q = 1e-6 is score 0.6; 1 - (1 - Q)^2 is about 2e-6
        double corrected = SurpriseLikelihood.sidak(0.6, 2);
        assertThat(corrected).isCloseTo(Math.log(2e-6) / Math.log(1e-10), within(1e-6));
        assertThat(SurpriseLikelihood.sidak(0.0, 2)).isZero();
        assertThat(SurpriseLikelihood.sidak(1.0, 2)).isLessThan(1.0).isGreaterThan(0.96);
        assertThat(SurpriseLikelihood.sidak(0.3, 1)).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void aSustainedRiseOfTheRawScoresIsLikelyAnomalousAndNoiseIsNot() {
        SurpriseLikelihood likelihood = new SurpriseLikelihood();
        SplittableRandom random = new SplittableRandom(1);
        double rate = 1 - Math.pow(0.5, 1 / 12.0);
        double distribution = 1 - Math.pow(0.5, 1 / 1000.0);
        int high = 0;
        for (int k = 1; k <= 20_000; k++) {
            double score = likelihood.score(random.nextDouble(0.4), k, rate, distribution, 0.02);
            assertThat(score).isBetween(0.0, 1.0);
            high += k > 1000 && score >= 0.5 ? 1 : 0;
        }
        assertThat(high).isZero();
        double sustained = 0;
        for (int k = 20_001; k <= 20_024; k++) {
            sustained = likelihood.score(0.9, k, rate, distribution, 0.02);
        }
        assertThat(sustained).isGreaterThan(0.9);
    }
}
