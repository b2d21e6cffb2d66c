package dev.tamperwatch.detect.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamingScalarDetectorTest {

    private static final long FIVE_MINUTES = 300_000L;

    private final StreamingScalarConfig defaults = StreamingScalarConfig.defaults();
    private final StreamingScalarDetector detector = new StreamingScalarDetector(defaults);

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
        int normalOnes = 0;
        for (int i = 0; i < 2000; i++) {
            double score = detector.score(state, i * FIVE_MINUTES, 50 + random.nextGaussian());
            assertThat(score).isBetween(0.0, 1.0);
            if (i < defaults.warmUp() + defaults.likelihoodWarmUp()) {
                assertThat(score).as("warm-up").isZero();
            } else if (score == 1.0) {
                normalOnes++; // a new extreme of the noise itself
            }
        }
        assertThat(normalOnes).isLessThanOrEqualTo(3);
        for (int i = 2000; i < 2000 + defaults.cooldown(); i++) {
            detector.score(state, i * FIVE_MINUTES, 50 + random.nextGaussian());
        }
        double spike = detector.score(state, 2100 * FIVE_MINUTES, 80);
        assertThat(spike).isEqualTo(1.0);
    }

    @Test
    void extremeValuesKeepScoresFiniteAndTheDetectorUsable() {
        double[] extremes = {
            1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 0.0, -0.0, 1e-300
        };
        SplittableRandom random = new SplittableRandom(3);
        for (int run = 0; run < 50; run++) {
            ScalarState state = detector.newState();
            for (int i = 0; i < 600; i++) {
                double value =
                        random.nextInt(10) == 0
                                ? extremes[random.nextInt(extremes.length)]
                                : random.nextGaussian() * Math.pow(10, random.nextInt(-5, 6));
                double score = detector.score(state, i * FIVE_MINUTES, value);
                assertThat(score).as("score of %s", value).isBetween(0.0, 1.0);
            }
            for (int i = 600; i < 700; i++) {
                assertThat(detector.score(state, i * FIVE_MINUTES, random.nextGaussian()))
                        .isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void stationaryNoiseRarelyScoresHigh() {
        // the likelihood's Gaussian tail is an approximation: a score of 0.5 is a tail of 1e-5,
        // and on i.i.d. noise such scores stay rare whatever the noise's level and width
        SplittableRandom random = new SplittableRandom(42);
        int values = 0;
        int high = 0;
        for (int series = 0; series < 10; series++) {
            ScalarState state = detector.newState();
            double level = random.nextDouble(-1000, 1000);
            double width = Math.pow(10, random.nextInt(-3, 4));
            for (int i = 0; i < 5000; i++) {
                double value =
                        series % 2 == 0
                                ? level + width * random.nextGaussian()
                                : level + width * -Math.log(random.nextDouble());
                double score = detector.score(state, i * FIVE_MINUTES, value);
                if (i >= 750) {
                    values++;
                    high += score >= 0.5 ? 1 : 0;
                }
            }
        }
        assertThat((double) high / values).isLessThan(0.002);
    }

    @Test
    void aDailyPatternIsLearnedAndABreakOfItStandsOut() {
        ScalarState state = detector.newState();
        SplittableRandom random = new SplittableRandom(5);
        int perDay = 288;
        double maxNormal = 0;
        for (int i = 0; i < 7 * perDay; i++) {
            double score = detector.score(state, i * FIVE_MINUTES, daily(i, perDay, random));
            if (i >= 3 * perDay) {
                maxNormal = Math.max(maxNormal, score);
            }
        }
        assertThat(state.seasonalScale)
                .as("the profile explains the pattern")
                .isLessThan(state.scale / 3);
        // at the daily peak, an hour at the mean: well within the range, wrong for the time
        int peak = 7 * perDay + perDay / 4;
        detector.score(state, (peak - 1) * FIVE_MINUTES, daily(peak - 1, perDay, random));
        double broken = 0;
        for (int i = peak; i < peak + 12; i++) {
            broken = Math.max(broken, detector.score(state, i * FIVE_MINUTES, 100.0));
        }
        assertThat(broken).isGreaterThan(maxNormal).isGreaterThan(0.5);
    }

    @Test
    void aDayWithoutItsPeakStandsOutThoughEveryValueIsInRange() {
        // a square daily pattern (low 20, high 80 from 08:00 to 18:00) with noise; on day 9 the
        // peak does not come: each value is an ordinary low value, only its time is wrong
        SplittableRandom random = new SplittableRandom(17);
        int perDay = 288;
        ScalarState state = detector.newState();
        double maxNormal = 0;
        double maxBroken = 0;
        for (int i = 0; i < 10 * perDay; i++) {
            int minuteOfDay = (i % perDay) * 5;
            boolean peak = minuteOfDay >= 8 * 60 && minuteOfDay < 18 * 60;
            boolean broken = i / perDay == 9;
            double value = (peak && !broken ? 80 : 20) + 2 * random.nextGaussian();
            double score = detector.score(state, i * FIVE_MINUTES, value);
            if (broken) {
                maxBroken = Math.max(maxBroken, score);
            } else if (i >= 3 * perDay) {
                maxNormal = Math.max(maxNormal, score);
            }
        }
        assertThat(maxBroken).isGreaterThan(0.5).isGreaterThan(maxNormal + 0.2);
    }

    @Test
    void aWeeklyPatternIsLearnedWhenHistorySpansWeeks() {
        // hourly values, busy weekdays and quiet weekends: after a few weeks the weekly profile
        // predicts better than the daily one, and a weekday as quiet as a weekend stands out
        SplittableRandom random = new SplittableRandom(23);
        long hour = 3_600_000L;
        ScalarState state = detector.newState();
        double maxNormal = 0;
        int weeks = 8;
        for (int i = 0; i < weeks * 168; i++) {
            boolean weekend = (i / 24) % 7 >= 5;
            double value = (weekend ? 20 : 100) + 3 * random.nextGaussian();
            double score = detector.score(state, i * hour, value);
            if (i >= 3 * 168) {
                maxNormal = Math.max(maxNormal, score);
            }
        }
        assertThat(state.weeklyShapeScale).isLessThan(state.shapeScale / 2);
        double maxBroken = 0;
        for (int i = weeks * 168; i < weeks * 168 + 24; i++) {
            maxBroken =
                    Math.max(
                            maxBroken,
                            detector.score(state, i * hour, 20 + 3 * random.nextGaussian()));
        }
        assertThat(maxBroken).isGreaterThan(0.3).isGreaterThan(maxNormal + 0.1);
    }

    @Test
    void shapeChannelRarelyAlarmsOnStationaryNoiseWithADailyPattern() {
        SplittableRandom random = new SplittableRandom(29);
        int perDay = 288;
        int values = 0;
        int high = 0;
        for (int series = 0; series < 5; series++) {
            ScalarState state = detector.newState();
            double amplitude = Math.pow(10, random.nextInt(0, 3));
            for (int i = 0; i < 14 * perDay; i++) {
                double value =
                        amplitude * (1 + Math.sin(2 * Math.PI * i / perDay))
                                + random.nextGaussian();
                double score = detector.score(state, i * FIVE_MINUTES, value);
                if (i >= 750) {
                    values++;
                    high += score >= 0.5 ? 1 : 0;
                }
            }
        }
        assertThat((double) high / values).isLessThan(0.001);
    }

    private static double daily(int i, int perDay, SplittableRandom random) {
        return 100 + 100 * Math.sin(2 * Math.PI * i / perDay) + random.nextGaussian();
    }

    @Test
    void oneIncidentRaisesOneAlertUnlessItEscalates() {
        ScalarState state = detector.newState();
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 1000; i++) {
            detector.score(state, i * FIVE_MINUTES, 10 + random.nextGaussian());
        }
        double first = detector.score(state, 1000 * FIVE_MINUTES, 40);
        double repeat = detector.score(state, 1001 * FIVE_MINUTES, 40);
        assertThat(first).isEqualTo(1.0);
        assertThat(repeat).as("same incident, within the cooldown").isZero();
    }

    @Test
    void aLevelShiftIsAbsorbedGradually() {
        ScalarState state = detector.newState();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            detector.score(state, i * FIVE_MINUTES, 10 + random.nextGaussian());
        }
        double first = detector.score(state, 1000 * FIVE_MINUTES, 30 + random.nextGaussian());
        double later = 0;
        for (int i = 0; i < 400; i++) {
            later = detector.score(state, (1001 + i) * FIVE_MINUTES, 30 + random.nextGaussian());
        }
        assertThat(later).isLessThan(first);
        assertThat(state.fastLevel()).isBetween(28.0, 32.0);
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(
                        () ->
                                new StreamingScalarConfig(
                                        50, 20, 10, 100, 4, 0.5, 2, 3, 3, 1000, 100, 0.02, 12, 8,
                                        0.05, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slowHalfLife");
        assertThatThrownBy(
                        () ->
                                new StreamingScalarConfig(
                                        50,
                                        Double.NaN,
                                        400,
                                        100,
                                        4,
                                        0.5,
                                        2,
                                        3,
                                        3,
                                        1000,
                                        100,
                                        0.02,
                                        12,
                                        8,
                                        0.05,
                                        50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fastHalfLife");
        assertThatThrownBy(
                        () ->
                                new StreamingScalarConfig(
                                        50, 20, 400, 100, 4, 0.5, 2, 3, 3, 1000, 100, 0.02, 12, 8,
                                        0.05, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cooldown");
    }
}
