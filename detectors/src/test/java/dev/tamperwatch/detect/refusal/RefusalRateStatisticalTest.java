package dev.tamperwatch.detect.refusal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.detect.Finding;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of many keys: false-alarm rate on attack-free streams, power against spikes
 * and drops, poisoning resistance and state size. Each key's state goes through the codec at every
 * window end, as in the streaming operator.
 */
@Tag("statistical")
class RefusalRateStatisticalTest {

    private static final long HOUR = 3_600_000L;

    /** Outcome counters summed over keys. */
    private record Tally(long scoredWindows, long findings, long maxStateBytes) {
        Tally plus(Tally other) {
            return new Tally(
                    scoredWindows + other.scoredWindows,
                    findings + other.findings,
                    Math.max(maxStateBytes, other.maxStateBytes));
        }
    }

    /** One key's detector, state and clock. */
    private static final class Key {
        final RefusalRateDetector detector;
        final SplittableRandom random;
        RefusalState state;
        int window;
        long scoredWindows;
        long maxStateBytes;

        Key(RefusalRateDetector detector, long seed) {
            this.detector = detector;
            this.random = new SplittableRandom(seed);
            this.state = detector.newState();
        }

        /** Plays one window of {@code n} outputs refused with probability {@code rate}. */
        List<Finding> window(int n, double rate) {
            long start = window * HOUR;
            for (int i = 0; i < n; i++) {
                boolean refused = random.nextDouble() < rate;
                detector.onEvent(
                        state, new RefusalObservation(refused, "e-" + window + "-" + i), start + i);
            }
            if (state.baselineSize() >= detector.config().warmUpObservations()
                    && n >= detector.config().minWindowEvents()) {
                scoredWindows++;
            }
            maxStateBytes = Math.max(maxStateBytes, detector.codec().encode(state).length);
            List<Finding> findings = detector.onTime(state, start + HOUR);
            state = detector.codec().decode(detector.codec().encode(state));
            window++;
            return findings;
        }
    }

    @Test
    void falseAlarmRateOnAttackFreeStreamsStaysWithinTwiceTheConfiguredRate() {
        double configured = 1e-3;
        RefusalRateDetector detector =
                new RefusalRateDetector(
                        RefusalRateConfig.defaults().withFalseAlarmRate(configured));
        BetaDistribution prior = new BetaDistribution(null, 1, 19);
        int keys = 2000;
        int windows = 200;
        Tally tally =
                IntStream.range(0, keys)
                        .parallel()
                        .mapToObj(
                                k -> {
                                    Key key = new Key(detector, 1_000 + k);
                                    double rate =
                                            prior.inverseCumulativeProbability(
                                                    key.random.nextDouble());
                                    long findings = 0;
                                    for (int w = 0; w < windows; w++) {
                                        int n = 10 + key.random.nextInt(61);
                                        findings += key.window(n, rate).size();
                                    }
                                    return new Tally(
                                            key.scoredWindows, findings, key.maxStateBytes);
                                })
                        .reduce(new Tally(0, 0, 0), Tally::plus);
        double measured = (double) tally.findings() / tally.scoredWindows();
        System.out.printf(
                "refusal-rate false alarms: %d in %d key-windows = %.2e (configured %.0e),"
                        + " max state %d bytes%n",
                tally.findings(),
                tally.scoredWindows(),
                measured,
                configured,
                tally.maxStateBytes());
        assertThat(measured)
                .as(
                        "false alarms per scored key-window over %d keys x %d windows, rates ~"
                                + " Beta(1, 19), 10-70 outputs per window; tolerance [0, 2 x %s]",
                        keys, windows, configured)
                .isBetween(0.0, 2 * configured);
        assertThat(tally.maxStateBytes()).as("encoded state, bytes").isLessThanOrEqualTo(2048);
    }

    /** Fraction of keys detected in the first and within the first two attack windows. */
    private static double[] spikePower(RefusalRateConfig config, int perWindow, long seed) {
        RefusalRateDetector detector = new RefusalRateDetector(config);
        int keys = 2000;
        long[] detected =
                IntStream.range(0, keys)
                        .parallel()
                        .mapToObj(
                                k -> {
                                    Key key = new Key(detector, seed + k);
                                    for (int w = 0; w < 30; w++) {
                                        key.window(perWindow, 0.03);
                                    }
                                    boolean first = !key.window(perWindow, 0.30).isEmpty();
                                    boolean second = !key.window(perWindow, 0.30).isEmpty();
                                    return new long[] {first ? 1 : 0, first || second ? 1 : 0};
                                })
                        .reduce(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        return new double[] {(double) detected[0] / keys, (double) detected[1] / keys};
    }

    @Test
    void spikeFromThreeToThirtyPercentIsDetectedWithinTheTheoreticalPower() {
        double[] atDefault = spikePower(RefusalRateConfig.defaults(), 40, 20_000);
        double[] atOneInThousand =
                spikePower(RefusalRateConfig.defaults().withFalseAlarmRate(1e-3), 40, 30_000);
        double[] atDefaultHundred = spikePower(RefusalRateConfig.defaults(), 100, 40_000);
        System.out.printf(
                "refusal spike 3%%->30%%: 40/window at 1e-5: first window %.4f, within two %.4f;"
                        + " 40/window at 1e-3: first %.4f; 100/window at 1e-5: first %.4f%n",
                atDefault[0], atDefault[1], atOneInThousand[0], atDefaultHundred[0]);
        assertThat(atDefault[0])
                .as(
                        "40 outputs, rate 1e-5: alert needs >= 10 refusals; P(Bin(40, 0.3) >= 10)"
                                + " = 0.804; tolerance -0.05")
                .isGreaterThanOrEqualTo(0.75);
        assertThat(atDefault[1])
                .as("40 outputs, rate 1e-5, within two windows: theory 0.96; tolerance -0.02")
                .isGreaterThanOrEqualTo(0.94);
        assertThat(atOneInThousand[0])
                .as("40 outputs, rate 1e-3: P(Bin(40, 0.3) >= 7) = 0.976; tolerance -0.025")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(atDefaultHundred[0])
                .as("100 outputs, rate 1e-5, first window: at least 0.99")
                .isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void dropFromThirtyPercentToNoneIsDetectedInTheFirstWindow() {
        RefusalRateDetector detector = new RefusalRateDetector(RefusalRateConfig.defaults());
        int keys = 2000;
        long[] detected =
                IntStream.range(0, keys)
                        .parallel()
                        .mapToObj(
                                k -> {
                                    Key key = new Key(detector, 50_000 + k);
                                    for (int w = 0; w < 30; w++) {
                                        key.window(40, 0.30);
                                    }
                                    boolean first = !key.window(40, 0.0).isEmpty();
                                    boolean second = !key.window(40, 0.0).isEmpty();
                                    return new long[] {first ? 1 : 0, first || second ? 1 : 0};
                                })
                        .reduce(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        double firstWindow = (double) detected[0] / keys;
        double withinTwo = (double) detected[1] / keys;
        System.out.printf(
                "refusal drop 30%%->0%%, 40/window at 1e-5: first window %.4f, within two %.4f%n",
                firstWindow, withinTwo);
        assertThat(firstWindow)
                .as(
                        "no refusal in 40 is flagged when the learned rate is above about 27%%;"
                                + " at least 0.97")
                .isGreaterThanOrEqualTo(0.97);
        assertThat(withinTwo)
                .as(
                        "a missed drop window is learned, so a second window adds little; at least 0.97")
                .isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void attackWindowsAreNotLearnedSoARepeatedAttackIsStillDetected() {
        RefusalRateDetector detector = new RefusalRateDetector(RefusalRateConfig.defaults());
        Key key = new Key(detector, 60_000);
        for (int w = 0; w < 30; w++) {
            key.window(40, 0.03);
        }
        double refused = key.state.baselineRefused;
        double answered = key.state.baselineAnswered;
        for (int attack = 0; attack < 5; attack++) {
            assertThat(key.window(40, 0.6)).as("attack window %d", attack).hasSize(1);
        }
        assertThat(key.state.baselineRefused).isEqualTo(refused);
        assertThat(key.state.baselineAnswered).isEqualTo(answered);
    }
}
