package dev.tamperwatch.detect.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamingScalarDetectorTest {

    private final StreamingScalarDetector detector =
            new StreamingScalarDetector(StreamingScalarConfig.defaults());

    @Test
    void nonFiniteValuesAreRejectedWithAClearMessage() {
        ScalarState state = detector.newState();
        for (double bad :
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> detector.score(state, 1_000L, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("value must be finite, got " + bad + " at 1000");
        }
        assertThat(state.observations()).isZero();
    }

    @Test
    void scoresLieInTheUnitIntervalAndSpikesStandOut() {
        ScalarState state = detector.newState();
        SplittableRandom random = new SplittableRandom(7);
        double maxNormal = 0;
        for (int i = 0; i < 2000; i++) {
            double score = detector.score(state, i * 300_000L, 50 + random.nextGaussian());
            assertThat(score).isBetween(0.0, 1.0);
            if (i < 50) {
                assertThat(score).as("warm-up").isZero();
            } else {
                maxNormal = Math.max(maxNormal, score);
            }
        }
        double spike = detector.score(state, 2000 * 300_000L, 80);
        assertThat(spike).isGreaterThan(maxNormal).isLessThanOrEqualTo(1.0);
        assertThat(detector.score(state, 0, 1e300)).isBetween(0.0, 1.0);
        assertThat(detector.score(state, 0, -1e300)).isBetween(0.0, 1.0);
    }

    @Test
    void aLevelShiftIsAbsorbedGradually() {
        ScalarState state = detector.newState();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            detector.score(state, i, 10 + random.nextGaussian());
        }
        double first = detector.score(state, 1000, 30 + random.nextGaussian());
        double later = 0;
        for (int i = 0; i < 400; i++) {
            later = detector.score(state, 1001 + i, 30 + random.nextGaussian());
        }
        assertThat(later).isLessThan(first);
        assertThat(state.fastLevel()).isBetween(28.0, 32.0);
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() -> new StreamingScalarConfig(50, 20, 10, 100, 4, 0.5, 15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slowHalfLife");
        assertThatThrownBy(() -> new StreamingScalarConfig(50, Double.NaN, 400, 100, 4, 0.5, 15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fastHalfLife");
    }
}
