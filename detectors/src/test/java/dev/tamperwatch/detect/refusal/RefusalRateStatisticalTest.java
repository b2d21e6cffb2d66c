package dev.tamperwatch.detect.refusal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Tallies;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
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
    private record Tally(
            long scoredWindows, long windowFindings, long cusumFindings, long maxStateBytes) {
        Tally plus(Tally other) {
            return new Tally(
                    scoredWindows + other.scoredWindows,
                    windowFindings + other.windowFindings,
                    cusumFindings + other.cusumFindings,
                    Math.max(maxStateBytes, other.maxStateBytes));
        }

        long findings() {
            return windowFindings + cusumFindings;
        }
    }

    private static boolean isCusum(Finding finding) {
        return finding.measures().get(0).name().equals("refusal_rate_sustained");
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

        /** Plays windows at {@code rate} until a finding or {@code limit}; windows taken, or -1. */
        int windowsUntilFinding(int n, double rate, int limit, Predicate<Finding> counted) {
            for (int w = 1; w <= limit; w++) {
                if (window(n, rate).stream().anyMatch(counted)) {
                    return w;
                }
            }
            return -1;
        }

        /** Plays one window of {@code n} outputs refused with probability {@code rate}. */
        List<Finding> window(int n, double rate) {
            long start = window * HOUR;
            for (int i = 0; i < n; i++) {
                boolean refused = random.nextDouble() < rate;
                detector.onEvent(
                        state, new RefusalObservation(refused, "e-" + window + "-" + i), start + i);
            }
            double peer = state.peerAlpha + state.peerBeta;
            if (state.baselineSize() + peer >= detector.config().warmUpObservations()
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
        int keys = 1000;
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
                                    long windowFindings = 0;
                                    long cusumFindings = 0;
                                    for (int w = 0; w < windows; w++) {
                                        int n = 10 + key.random.nextInt(61);
                                        for (Finding f : key.window(n, rate)) {
                                            if (isCusum(f)) {
                                                cusumFindings++;
                                            } else {
                                                windowFindings++;
                                            }
                                        }
                                    }
                                    return new Tally(
                                            key.scoredWindows,
                                            windowFindings,
                                            cusumFindings,
                                            key.maxStateBytes);
                                })
                        .reduce(new Tally(0, 0, 0, 0), Tally::plus);
        double measured = (double) tally.findings() / tally.scoredWindows();
        double cusum = (double) tally.cusumFindings() / tally.scoredWindows();
        System.out.printf(
                "refusal-rate false alarms: %d in %d key-windows = %.2e (window test %.2e, CUSUM"
                        + " %.2e; configured %.0e each), max state %d bytes%n",
                tally.findings(),
                tally.scoredWindows(),
                measured,
                (double) tally.windowFindings() / tally.scoredWindows(),
                cusum,
                configured,
                tally.maxStateBytes());
        assertThat(measured)
                .as(
                        "false alarms per scored key-window, window test and CUSUM together, over"
                                + " %d keys x %d windows, rates ~ Beta(1, 19), 10-70 outputs per"
                                + " window; tolerance [0, 2 x %s]",
                        keys, windows, configured)
                .isBetween(0.0, 2 * configured);
        assertThat(cusum)
                .as(
                        "CUSUM false alarms per scored key-window: Lorden's bound, at most %s",
                        configured)
                .isBetween(0.0, configured);
        assertThat(tally.maxStateBytes()).as("encoded state, bytes").isLessThanOrEqualTo(2048);
    }

    /** Fraction of keys detected in the first and within the first two attack windows. */
    private static double[] spikePower(RefusalRateConfig config, int perWindow, long seed) {
        RefusalRateDetector detector = new RefusalRateDetector(config);
        int keys = 1000;
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
                        .reduce(new long[2], Tallies::sum);
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
        int keys = 1000;
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
                        .reduce(new long[2], Tallies::sum);
        double firstWindow = (double) detected[0] / keys;
        double withinTwo = (double) detected[1] / keys;
        System.out.printf(
                "refusal drop 30%%->0%%, 40/window at 1e-5: first window %.4f, within two %.4f%n",
                firstWindow, withinTwo);
        assertThat(firstWindow)
                .as(
                        "no refusal in 40 is flagged when the learned rate is above about 27%%;"
                                + " after 1200 outputs at 30%% the learned rate is about 29.5%% with"
                                + " sd 1.5 points, so 0.95-0.97; measured 0.9625, at least 0.95")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(withinTwo)
                .as(
                        "a missed drop window starts a falling CUSUM run and is held back, and one"
                                + " more window adds little; at least 0.95")
                .isGreaterThanOrEqualTo(0.95);
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

    /**
     * Windows from a sustained shift after 30 windows at the old rate to the first finding of any
     * kind, of the window test and of the CUSUM, per key; -1 when none in 20.
     */
    private static int[][] shiftDelays(double before, double after, int perWindow, long seed) {
        RefusalRateDetector detector = new RefusalRateDetector(RefusalRateConfig.defaults());
        return IntStream.range(0, 600)
                .parallel()
                .mapToObj(
                        k -> {
                            Key key = new Key(detector, seed + k);
                            for (int w = 0; w < 30; w++) {
                                key.window(perWindow, before);
                            }
                            int[] first = {-1, -1, -1};
                            for (int w = 1; w <= 20 && (first[1] < 0 || first[2] < 0); w++) {
                                for (Finding f : key.window(perWindow, after)) {
                                    int kind = isCusum(f) ? 2 : 1;
                                    first[kind] = first[kind] < 0 ? w : first[kind];
                                    first[0] = first[0] < 0 ? w : first[0];
                                }
                            }
                            return first;
                        })
                .toArray(int[][]::new);
    }

    private static double detectedWithin(int[][] delays, int column, int windows) {
        return Arrays.stream(delays).filter(d -> d[column] > 0 && d[column] <= windows).count()
                / (double) delays.length;
    }

    private static int medianDelay(int[][] delays, int column) {
        int[] sorted =
                Arrays.stream(delays)
                        .mapToInt(d -> d[column] < 0 ? Integer.MAX_VALUE : d[column])
                        .sorted()
                        .toArray();
        return sorted[sorted.length / 2];
    }

    private static String median(int[][] delays, int column) {
        int median = medianDelay(delays, column);
        return median == Integer.MAX_VALUE ? ">20" : Integer.toString(median);
    }

    @Test
    void cusumCatchesSustainedShiftsTheWindowTestMisses() {
        int[][] rise = shiftDelays(0.05, 0.15, 40, 70_000);
        int[][] drop = shiftDelays(0.30, 0.15, 40, 80_000);
        for (var c : List.of(Map.entry("5%->15%", rise), Map.entry("30%->15%", drop))) {
            int[][] d = c.getValue();
            System.out.printf(
                    "refusal shift %s, 40 outputs/window at 1e-5: first finding within 10 windows"
                            + " %.3f (median %s windows); window test %.3f (median %s); CUSUM"
                            + " %.3f (median %s)%n",
                    c.getKey(),
                    detectedWithin(d, 0, 10),
                    median(d, 0),
                    detectedWithin(d, 1, 10),
                    median(d, 1),
                    detectedWithin(d, 2, 10),
                    median(d, 2));
        }
        assertThat(detectedWithin(rise, 0, 10))
                .as("5%% -> 15%%, within 10 windows; measured 0.95, at least")
                .isGreaterThanOrEqualTo(0.9);
        assertThat(detectedWithin(rise, 1, 10))
                .as("5%% -> 15%%, window test within 10 windows; measured 0.14, at most")
                .isLessThanOrEqualTo(0.25);
        assertThat(medianDelay(rise, 0)).as("median delay, windows").isLessThanOrEqualTo(8);
        assertThat(detectedWithin(drop, 0, 10))
                .as("30%% -> 15%% within 10 windows; measured 0.98, at least")
                .isGreaterThanOrEqualTo(0.93);
        assertThat(detectedWithin(drop, 1, 10))
                .as("30%% -> 15%%, window test within 10 windows, at most")
                .isLessThanOrEqualTo(0.1);
    }

    /**
     * New identities of a peer group whose rates are Beta(6, 194) (mean 3%): one normal window,
     * then compromised to 30%. Windows from the attack's start to the first finding, -1 when none
     * in 20; with and without the peer prior. The first element is -2 when a finding came before
     * the attack.
     */
    private static int[][] newIdentityDelays(long seed) {
        RefusalRateDetector detector = new RefusalRateDetector(RefusalRateConfig.defaults());
        BetaDistribution peers = new BetaDistribution(null, 6, 194);
        return IntStream.range(0, 600)
                .parallel()
                .mapToObj(
                        k -> {
                            int[] delays = new int[2];
                            for (int variant = 0; variant < 2; variant++) {
                                Key key = new Key(detector, seed + k);
                                double rate =
                                        peers.inverseCumulativeProbability(key.random.nextDouble());
                                if (variant == 0) {
                                    RefusalRateDetector.withPeerPrior(key.state, 0.03, 200);
                                }
                                boolean early = !key.window(40, rate).isEmpty();
                                delays[variant] =
                                        early
                                                ? -2
                                                : key.windowsUntilFinding(40, 0.30, 20, f -> true);
                            }
                            return delays;
                        })
                .toArray(int[][]::new);
    }

    @Test
    void peerPriorDetectsAnAttackOnANewIdentityAtOnce() {
        int[][] delays = newIdentityDelays(90_000);
        long early = Arrays.stream(delays).filter(d -> d[0] == -2 || d[1] == -2).count();
        System.out.printf(
                "new identity compromised 3%%->30%% in its second window: with peer prior"
                        + " detected in the first attack window %.3f (median delay %d), without"
                        + " %.3f (median delay %s, within 20 windows %.3f)%n",
                detectedWithin(delays, 0, 1),
                medianDelay(delays, 0),
                detectedWithin(delays, 1, 1),
                medianDelay(delays, 1) == Integer.MAX_VALUE ? ">20" : medianDelay(delays, 1),
                detectedWithin(delays, 1, 20));
        assertThat(early).as("findings in the normal first window").isZero();
        assertThat(detectedWithin(delays, 0, 1))
                .as(
                        "with the peer prior, in the first attack window: the predictive needs"
                                + " 10 or 11 refusals, P(Bin(40, 0.3) >= 11) = 0.69, >= 10 0.80;"
                                + " measured 0.71, at least")
                .isGreaterThanOrEqualTo(0.62);
        assertThat(detectedWithin(delays, 0, 3))
                .as("with the peer prior, within three attack windows: at least")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(detectedWithin(delays, 1, 20))
                .as("without it, within 20 windows: the attack became the baseline; at most")
                .isLessThanOrEqualTo(0.25);
        assertThat(detectedWithin(delays, 1, 1))
                .as("without it the key is still warming up and learns the attack")
                .isZero();
        assertThat(medianDelay(delays, 1)).isGreaterThan(1);
    }

    @Test
    void peerPriorKeepsTheFalseAlarmRateOfNewIdentities() {
        double configured = 1e-3;
        RefusalRateDetector detector =
                new RefusalRateDetector(
                        RefusalRateConfig.defaults().withFalseAlarmRate(configured));
        BetaDistribution peers = new BetaDistribution(null, 6, 194);
        Tally tally =
                IntStream.range(0, 2000)
                        .parallel()
                        .mapToObj(
                                k -> {
                                    Key key = new Key(detector, 100_000 + k);
                                    RefusalRateDetector.withPeerPrior(key.state, 0.03, 200);
                                    double rate =
                                            peers.inverseCumulativeProbability(
                                                    key.random.nextDouble());
                                    long findings = 0;
                                    for (int w = 0; w < 30; w++) {
                                        findings +=
                                                key.window(10 + key.random.nextInt(61), rate)
                                                        .size();
                                    }
                                    return new Tally(key.scoredWindows, findings, 0, 0);
                                })
                        .reduce(new Tally(0, 0, 0, 0), Tally::plus);
        double measured = (double) tally.findings() / tally.scoredWindows();
        System.out.printf(
                "refusal-rate false alarms of new identities with a peer prior: %d in %d"
                        + " key-windows = %.2e (configured %.0e)%n",
                tally.findings(), tally.scoredWindows(), measured, configured);
        assertThat(measured)
                .as(
                        "new identities scored from their first window, rates ~ Beta(6, 194), peer"
                                + " prior (3%%, 200); tolerance [0, 2 x %s]",
                        configured)
                .isBetween(0.0, 2 * configured);
    }
}
