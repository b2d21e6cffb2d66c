package dev.tamperwatch.detect.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.ScoreSink;
import dev.tamperwatch.detect.Tallies;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of keys whose embeddings are synthetic topics on the sphere: false-alarm rates
 * on stationary keys, power against an off-topic burst and against a change of topic mix, poisoning
 * resistance against slow rotation, and state size. Each key's state goes through the codec at
 * every window end, as in the streaming operator.
 */
@Tag("statistical")
class EmbeddingDriftStatisticalTest {

    private static final long HOUR = 3_600_000L;
    private static final String MODEL = "synthetic";

    private static boolean is(Finding finding, String measure) {
        return finding.measures().get(0).name().equals(measure);
    }

    /** Outcome counters summed over keys. */
    private record Tally(
            long scoredEvents,
            long eventFindings,
            long scoredWindows,
            long shiftFindings,
            long driftTests,
            long driftFindings,
            long maxStateBytes) {

        Tally plus(Tally other) {
            return new Tally(
                    scoredEvents + other.scoredEvents,
                    eventFindings + other.eventFindings,
                    scoredWindows + other.scoredWindows,
                    shiftFindings + other.shiftFindings,
                    driftTests + other.driftTests,
                    driftFindings + other.driftFindings,
                    Math.max(maxStateBytes, other.maxStateBytes));
        }
    }

    @Test
    void falseAlarmRatesOnStationaryKeysStayWithinTwiceTheConfiguredRates() {
        double configured = 1e-3;
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(
                        EmbeddingDriftConfig.defaults()
                                .withFalseAlarmRates(configured, configured, configured));
        int keys = 120;
        int windows = 220;
        int dimension = 96;
        Tally tally =
                IntStream.range(0, keys)
                        .parallel()
                        .mapToObj(k -> stationaryKey(detector, k, windows, dimension))
                        .reduce(new Tally(0, 0, 0, 0, 0, 0, 0), Tally::plus);
        double events = (double) tally.eventFindings() / tally.scoredEvents();
        double shift = (double) tally.shiftFindings() / tally.scoredWindows();
        double drift = (double) tally.driftFindings() / tally.driftTests();
        System.out.printf(
                "embedding-drift false alarms at %.0e: events %d / %d = %.2e, window shift %d / %d"
                        + " = %.2e, drift %d / %d = %.2e; max state %d bytes at %d dims%n",
                configured,
                tally.eventFindings(),
                tally.scoredEvents(),
                events,
                tally.shiftFindings(),
                tally.scoredWindows(),
                shift,
                tally.driftFindings(),
                tally.driftTests(),
                drift,
                tally.maxStateBytes(),
                dimension);
        String setting =
                keys
                        + " keys x "
                        + windows
                        + " windows of 20-40 events, 3 subtopics, "
                        + dimension
                        + " dims; tolerance [0, 2 x "
                        + configured
                        + "]";
        assertThat(events)
                .as("outlier findings per scored event, " + setting)
                .isBetween(0.0, 2 * configured);
        assertThat(shift)
                .as("shift findings per scored window, " + setting)
                .isBetween(0.0, 2 * configured);
        assertThat(drift)
                .as("drift findings per tested window, " + setting)
                .isBetween(0.0, 2 * configured);
        assertThat(tally.scoredWindows()).isGreaterThan(20_000);
    }

    private static Tally stationaryKey(
            EmbeddingDriftDetector detector, int key, int windows, int dimension) {
        SplittableRandom random = new SplittableRandom(1_000 + key);
        SyntheticTopics topic = SyntheticTopics.threeSubtopics(random, dimension);
        EmbeddingState state = detector.newState();
        long scoredEvents = 0;
        long eventFindings = 0;
        long scoredWindows = 0;
        long shiftFindings = 0;
        long[] driftTests = {0};
        long driftFindings = 0;
        long maxBytes = 0;
        ScoreSink countDriftTests =
                score -> {
                    if (score.measure().equals(EmbeddingDriftDetector.DRIFT_MEASURE)) {
                        driftTests[0]++;
                    }
                };
        for (int w = 0; w < windows; w++) {
            int n = 20 + random.nextInt(21);
            for (int i = 0; i < n; i++) {
                if (state.tailSize >= detector.config().warmUpEvents()) {
                    scoredEvents++;
                }
                eventFindings +=
                        detector.onEvent(
                                        state,
                                        new EmbeddingObservation(topic.sample(random), MODEL, null),
                                        w * HOUR + i)
                                .size();
            }
            if (state.hasFeatures()
                    && state.featureFastSize > 0
                    && WindowNull.ready(state, detector.config().warmUpWindows())) {
                scoredWindows++;
            }
            for (Finding finding : detector.onTime(state, (w + 1) * HOUR, countDriftTests)) {
                if (is(finding, EmbeddingDriftDetector.SHIFT_MEASURE)) {
                    shiftFindings++;
                } else {
                    driftFindings++;
                }
            }
            byte[] bytes = detector.codec().encode(state);
            maxBytes = Math.max(maxBytes, bytes.length);
            state = detector.codec().decode(bytes);
        }
        return new Tally(
                scoredEvents,
                eventFindings,
                scoredWindows,
                shiftFindings,
                driftTests[0],
                driftFindings,
                maxBytes);
    }

    @Test
    void anOffTopicBurstIsDetectedWithinOneWindowAndItsEventsAreFlagged() {
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults());
        int keys = 200;
        int dimension = 64;
        long[] totals =
                IntStream.range(0, keys)
                        .parallel()
                        .mapToObj(
                                k -> {
                                    SplittableRandom random = new SplittableRandom(5_000 + k);
                                    SyntheticTopics topic =
                                            SyntheticTopics.threeSubtopics(random, dimension);
                                    SyntheticTopics offTopic =
                                            SyntheticTopics.singleTopic(random, dimension);
                                    EmbeddingState state = warm(detector, topic, random, 30, 60);
                                    long flagged = 0;
                                    long burst = 0;
                                    long start = 30 * HOUR;
                                    for (int i = 0; i < 100; i++) {
                                        boolean off = i % 10 < 3;
                                        float[] x =
                                                off
                                                        ? offTopic.sample(random)
                                                        : topic.sample(random);
                                        List<Finding> findings =
                                                detector.onEvent(
                                                        state,
                                                        new EmbeddingObservation(x, MODEL, "b" + i),
                                                        start + i);
                                        burst += off ? 1 : 0;
                                        flagged += off && !findings.isEmpty() ? 1 : 0;
                                    }
                                    long outliers = state.windowOutliers;
                                    boolean shifted =
                                            detector.onTime(state, start + HOUR).stream()
                                                    .anyMatch(
                                                            f ->
                                                                    is(
                                                                            f,
                                                                            EmbeddingDriftDetector
                                                                                    .SHIFT_MEASURE));
                                    return new long[] {shifted ? 1 : 0, outliers, burst, flagged};
                                })
                        .reduce(new long[4], Tallies::sum);
        double power = (double) totals[0] / keys;
        double outlierShare = (double) totals[1] / totals[2];
        System.out.printf(
                "embedding-drift off-topic burst (30%% of 100 events) at defaults: window"
                        + " detected %.4f, off-topic events flagged as outliers %.4f (%d findings"
                        + " for %d events, capped at 8 per window)%n",
                power, outlierShare, totals[3], totals[2]);
        assertThat(power)
                .as("shift findings in the burst window, window rate 1e-5; at least 0.95")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(outlierShare)
                .as("off-topic events beyond the per-event threshold at 1e-4; at least 0.95")
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aChangeOfTopicMixWithoutOutliersIsDetectedWithinOneWindow() {
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults());
        int keys = 200;
        long[] totals =
                IntStream.range(0, keys)
                        .parallel()
                        .mapToObj(
                                k -> {
                                    SplittableRandom random = new SplittableRandom(9_000 + k);
                                    SyntheticTopics topic =
                                            SyntheticTopics.threeSubtopics(random, 64);
                                    EmbeddingState state = warm(detector, topic, random, 30, 60);
                                    long events = 0;
                                    for (int i = 0; i < 100; i++) {
                                        double u = random.nextDouble();
                                        int sub = u < 0.1 ? 0 : u < 0.2 ? 1 : 2;
                                        events +=
                                                detector.onEvent(
                                                                state,
                                                                new EmbeddingObservation(
                                                                        topic.sampleSubtopic(
                                                                                random, sub),
                                                                        MODEL,
                                                                        null),
                                                                30 * HOUR + i)
                                                        .size();
                                    }
                                    boolean shifted =
                                            detector.onTime(state, 31 * HOUR).stream()
                                                    .anyMatch(
                                                            f ->
                                                                    is(
                                                                            f,
                                                                            EmbeddingDriftDetector
                                                                                    .SHIFT_MEASURE));
                                    return new long[] {shifted ? 1 : 0, events};
                                })
                        .reduce(new long[2], Tallies::sum);
        double power = (double) totals[0] / keys;
        System.out.printf(
                "embedding-drift topic mix 55/27/18%% -> 10/10/80%%, 100 events at defaults:"
                        + " detected %.4f, outlier findings %d%n",
                power, totals[1]);
        assertThat(power)
                .as("shift findings for a re-weighted mix of known subtopics; at least 0.95")
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void slowRotationIsAbsorbedByTheFastBaselineButCaughtByTheSlowOne() {
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults());
        int keys = 4;
        int rotationWindows = 500;
        double step = 0.002;
        for (int k = 0; k < keys; k++) {
            SplittableRandom random = new SplittableRandom(7_000 + k);
            SyntheticTopics topic = SyntheticTopics.singleTopic(random, 64);
            EmbeddingState state = warm(detector, topic, random, 100, 100);
            float[] naive = state.fastCentroid.clone();
            int firstDrift = -1;
            int shiftFindings = 0;
            int outlierFindings = 0;
            for (int r = 0; r < rotationWindows; r++) {
                topic.rotateTo(step * (r + 1));
                long start = (100 + r) * HOUR;
                float[] windowMean = new float[64];
                for (int i = 0; i < 100; i++) {
                    float[] x = topic.sample(random);
                    addUnit(windowMean, x, 0.01f);
                    outlierFindings +=
                            detector.onEvent(
                                            state,
                                            new EmbeddingObservation(x, MODEL, null),
                                            start + i)
                                    .size();
                }
                for (int i = 0; i < naive.length; i++) {
                    naive[i] += 0.05f * (windowMean[i] - naive[i]);
                }
                for (Finding finding : detector.onTime(state, start + HOUR)) {
                    if (is(finding, EmbeddingDriftDetector.DRIFT_MEASURE)) {
                        firstDrift = firstDrift < 0 ? r : firstDrift;
                    } else {
                        shiftFindings++;
                    }
                }
                state = detector.codec().decode(detector.codec().encode(state));
            }
            double[] now = topic.currentDirection();
            double naiveAngle = SyntheticTopics.angleDegrees(naive, now);
            double fastAngle = SyntheticTopics.angleDegrees(state.fastCentroid, now);
            double slowAngle = SyntheticTopics.angleDegrees(state.slowCentroid, now);
            double rotated = Math.toDegrees(step * rotationWindows);
            System.out.printf(
                    "embedding-drift rotation %.2f deg/window over %d windows (%.0f deg): first"
                            + " drift finding after %.1f deg; shift findings %d, outlier findings"
                            + " %d; final angle to topic: naive EWMA %.1f, fast %.1f, slow %.1f"
                            + " deg%n",
                    Math.toDegrees(step),
                    rotationWindows,
                    rotated,
                    Math.toDegrees(step * (firstDrift + 1)),
                    shiftFindings,
                    outlierFindings,
                    naiveAngle,
                    fastAngle,
                    slowAngle);
            assertThat(shiftFindings)
                    .as("key %d: window shift tests against the fast baseline", k)
                    .isZero();
            assertThat(outlierFindings)
                    .as("key %d: per-event outliers in 50,000 events, at most 5 (rate 1e-4)", k)
                    .isLessThanOrEqualTo(5);
            assertThat(naiveAngle)
                    .as("key %d: a naive EWMA centroid follows the topic", k)
                    .isLessThan(5);
            assertThat(fastAngle).as("key %d: so does the fast baseline", k).isLessThan(5);
            assertThat(slowAngle).as("key %d: the slow baseline lags", k).isGreaterThan(20);
            assertThat(firstDrift)
                    .as("key %d: drift finding within the first 15 degrees", k)
                    .isBetween(0, (int) (Math.toRadians(15) / step));
        }
    }

    @Test
    void aSlowPoisoningRampIsCaughtByTheDriftTestButAbsorbedByANaiveEwmaCentroid() {
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults());
        int keys = 16;
        int dimension = 64;
        int warmWindows = 48;
        int rampWindows = 48;
        int holdWindows = 24;
        double weight = 0.05;
        double[][] outcomes =
                IntStream.range(0, keys)
                        .parallel()
                        .mapToObj(
                                k ->
                                        poisonedKey(
                                                detector,
                                                13_000 + k,
                                                dimension,
                                                warmWindows,
                                                rampWindows,
                                                holdWindows,
                                                weight))
                        .toArray(double[][]::new);
        int detected = 0;
        long[] delays = new long[keys];
        long earlyDrift = 0;
        long naiveAlarms = 0;
        long shiftFindings = 0;
        double nullGrowth = 0;
        for (int k = 0; k < keys; k++) {
            long delay = (long) outcomes[k][0];
            detected += delay >= 0 ? 1 : 0;
            delays[k] = delay >= 0 ? delay : Long.MAX_VALUE;
            earlyDrift += (long) outcomes[k][1];
            naiveAlarms += (long) outcomes[k][2];
            shiftFindings += (long) outcomes[k][3];
            nullGrowth = Math.max(nullGrowth, outcomes[k][4]);
        }
        java.util.Arrays.sort(delays);
        long median = delays[keys / 2];
        double rate = (double) detected / keys;
        double degrees = Math.toDegrees(Math.atan(weight / 0.74));
        System.out.printf(
                "embedding-drift slow poisoning (pull %.2f, about %.0f deg, over %d h at 250-320"
                        + " events/h, after %d h of clean traffic), %d keys at defaults: drift"
                        + " detected %d/%d = %.2f, median delay %d h after ramp start, shortest %d"
                        + " h; drift findings before the ramp %d; shift findings %d; naive EWMA"
                        + " centroid alarms %d; null mean at the end at most %.2f x its value at"
                        + " the ramp start%n",
                weight,
                degrees,
                rampWindows,
                warmWindows,
                keys,
                detected,
                keys,
                rate,
                median,
                delays[0],
                earlyDrift,
                shiftFindings,
                naiveAlarms,
                nullGrowth);
        assertThat(earlyDrift).as("drift findings on the clean traffic before the ramp").isZero();
        assertThat(rate)
                .as("keys whose ramp raised a drift finding within %d h", rampWindows + holdWindows)
                .isGreaterThanOrEqualTo(0.9);
        assertThat(median)
                .as("median hours from ramp start to the drift finding")
                .isLessThanOrEqualTo(rampWindows);
        assertThat(naiveAlarms)
                .as(
                        "windows where a naive EWMA centroid (rate 0.1 per window) exceeded its own"
                                + " threshold")
                .isZero();
        assertThat(nullGrowth)
                .as("the window statistic's null is not inflated by the ramp")
                .isLessThan(1.5);
    }

    /**
     * One key of a single topic: clean windows, then every event pulled towards a random direction
     * by a weight growing linearly to {@code weight} over {@code rampWindows}, then held. Returns
     * the first drift finding's window counted from the ramp start (-1: none), drift findings
     * before the ramp, the naive EWMA centroid's alarms, the shift findings and the null history's
     * mean at the end over its mean at the ramp start.
     */
    private static double[] poisonedKey(
            EmbeddingDriftDetector detector,
            long seed,
            int dimension,
            int warmWindows,
            int rampWindows,
            int holdWindows,
            double weight) {
        SplittableRandom random = new SplittableRandom(seed);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, dimension);
        double[] poison = SyntheticTopics.unit(random, dimension);
        EmbeddingState state = detector.newState();
        NaiveEwmaCentroid naive = new NaiveEwmaCentroid(dimension, 0.1, 8);
        long firstDrift = -1;
        long earlyDrift = 0;
        long shift = 0;
        int windows = warmWindows + rampWindows + holdWindows;
        double nullMean = Double.NaN;
        for (int w = 0; w < windows; w++) {
            if (w == warmWindows) {
                nullMean = state.historyMean;
            }
            double pull =
                    w < warmWindows
                            ? 0
                            : weight * Math.min(1.0, (w - warmWindows + 1.0) / rampWindows);
            int n = 250 + random.nextInt(71);
            float[] windowMean = new float[dimension];
            for (int i = 0; i < n; i++) {
                float[] x = topic.sample(random);
                double norm = 0;
                for (float v : x) {
                    norm += (double) v * v;
                }
                double inverse = 1.0 / Math.sqrt(norm);
                for (int d = 0; d < dimension; d++) {
                    x[d] = (float) (x[d] * inverse + pull * poison[d]);
                }
                addUnit(windowMean, x, 1f / n);
                detector.onEvent(
                        state, new EmbeddingObservation(x, MODEL, null), w * HOUR + i * 10_000L);
            }
            naive.observe(windowMean, w >= warmWindows);
            for (Finding finding : detector.onTime(state, (w + 1) * HOUR)) {
                if (is(finding, EmbeddingDriftDetector.DRIFT_MEASURE)) {
                    if (w < warmWindows) {
                        earlyDrift++;
                    } else if (firstDrift < 0) {
                        firstDrift = w - warmWindows + 1;
                        assertThat(finding.summary())
                                .as("a slow drift's distance, shown to two significant digits")
                                .containsPattern("fast baseline \\S+ cosine distance")
                                .doesNotContainPattern("fast baseline 0(\\.0*)? cosine");
                    }
                } else if (is(finding, EmbeddingDriftDetector.SHIFT_MEASURE)) {
                    shift++;
                }
            }
            state = detector.codec().decode(detector.codec().encode(state));
        }
        return new double[] {
            firstDrift, earlyDrift, naive.alarms, shift, state.historyMean / nullMean
        };
    }

    /**
     * The naive reference: an EWMA of window mean embeddings, alarming when a window mean's cosine
     * distance from it exceeds the mean plus 4.3 standard deviations (about 1e-5 for a Gaussian) of
     * that distance over the clean windows after the first {@code skip}.
     */
    private static final class NaiveEwmaCentroid {
        private final float[] centroid;
        private final double rate;
        private final int skip;
        private int seen;
        private double sum;
        private double squares;
        private int count;
        long alarms;

        NaiveEwmaCentroid(int dimension, double rate, int skip) {
            this.centroid = new float[dimension];
            this.rate = rate;
            this.skip = skip;
        }

        void observe(float[] windowMean, boolean attack) {
            if (seen > 0) {
                double dot = 0;
                double a = 0;
                double b = 0;
                for (int i = 0; i < centroid.length; i++) {
                    dot += (double) windowMean[i] * centroid[i];
                    a += (double) windowMean[i] * windowMean[i];
                    b += (double) centroid[i] * centroid[i];
                }
                double distance = 1 - dot / Math.sqrt(a * b);
                if (!attack && seen >= skip) {
                    sum += distance;
                    squares += distance * distance;
                    count++;
                } else if (attack) {
                    double mean = sum / count;
                    double sd = Math.sqrt(Math.max(0, squares / count - mean * mean));
                    alarms += distance > mean + 4.3 * sd ? 1 : 0;
                }
            }
            double r = seen == 0 ? 1.0 : rate;
            for (int i = 0; i < centroid.length; i++) {
                centroid[i] += (float) (r * (windowMean[i] - centroid[i]));
            }
            seen++;
        }
    }

    @Test
    void stationaryKeysRaiseNoDriftFindingOverALongRun() {
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults());
        int keys = 6;
        int windows = 500;
        long drift =
                IntStream.range(0, keys)
                        .parallel()
                        .mapToLong(
                                k -> {
                                    SplittableRandom random = new SplittableRandom(8_000 + k);
                                    SyntheticTopics topic = SyntheticTopics.singleTopic(random, 64);
                                    EmbeddingState state = detector.newState();
                                    long count = 0;
                                    for (int w = 0; w < windows; w++) {
                                        for (int i = 0; i < 60; i++) {
                                            detector.onEvent(
                                                    state,
                                                    new EmbeddingObservation(
                                                            topic.sample(random), MODEL, null),
                                                    w * HOUR + i);
                                        }
                                        count +=
                                                detector.onTime(state, (w + 1) * HOUR).stream()
                                                        .filter(
                                                                f ->
                                                                        is(
                                                                                f,
                                                                                EmbeddingDriftDetector
                                                                                        .DRIFT_MEASURE))
                                                        .count();
                                    }
                                    return count;
                                })
                        .sum();
        assertThat(drift)
                .as("drift findings of %d stationary keys over %d windows at 1e-5", keys, windows)
                .isZero();
    }

    @Test
    void stateOfA384DimensionModelStaysUnderEightKilobytes() {
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults());
        SplittableRandom random = new SplittableRandom(11);
        SyntheticTopics topic = SyntheticTopics.threeSubtopics(random, 384);
        SyntheticTopics offTopic = SyntheticTopics.singleTopic(random, 384);
        EmbeddingState state = warm(detector, topic, random, 40, 60);
        for (int i = 0; i < 100; i++) {
            float[] x = i % 4 == 0 ? offTopic.sample(random) : topic.sample(random);
            detector.onEvent(
                    state,
                    new EmbeddingObservation(x, "sentence-transformers/all-MiniLM-L6-v2", null),
                    40 * HOUR + i);
        }
        long outliers = state.windowOutliers;
        assertThat(outliers).isPositive();
        byte[] open = detector.codec().encode(state);
        detector.onTime(state, 41 * HOUR);
        byte[] closed = detector.codec().encode(state);
        System.out.printf(
                "embedding-drift state, 384 dims: %d bytes with an open window of %d outliers,"
                        + " %d bytes between windows%n",
                open.length, outliers, closed.length);
        assertThat(open.length).isLessThanOrEqualTo(8192);
        assertThat(closed.length).isLessThanOrEqualTo(8192);
    }

    /** A key learned on {@code windows} windows of {@code perWindow} events, with none open. */
    private static EmbeddingState warm(
            EmbeddingDriftDetector detector,
            SyntheticTopics topic,
            SplittableRandom random,
            int windows,
            int perWindow) {
        EmbeddingState state = detector.newState();
        String model = topic.dimension == 384 ? "sentence-transformers/all-MiniLM-L6-v2" : MODEL;
        for (int w = 0; w < windows; w++) {
            for (int i = 0; i < perWindow; i++) {
                detector.onEvent(
                        state,
                        new EmbeddingObservation(topic.sample(random), model, null),
                        w * HOUR + i);
            }
            detector.onTime(state, (w + 1) * HOUR);
        }
        return state;
    }

    private static void addUnit(float[] sum, float[] x, float weight) {
        double norm = 0;
        for (float v : x) {
            norm += (double) v * v;
        }
        float scale = (float) (weight / Math.sqrt(norm));
        for (int i = 0; i < x.length; i++) {
            sum[i] += x[i] * scale;
        }
    }

    /**
     * New keys seeded from a peer group: a key fed the events of {@value #MEMBERS} members as one
     * stream for 40 windows, every member drawing from six shared subtopics (64 dims) with a mix of
     * its own (flat-Dirichlet shares), 20-40 events per member and window; 60 groups, three new
     * attack-free members each over their first 30 windows, and one attacked member.
     *
     * <p>Measured at 1e-3: outlier findings 4.2e-4 per scored event (68 in 162,874), shift findings
     * 0 in 1,440 key-windows scored once the keys' own null was ready (tolerances [0, 2 x 1e-3]). A
     * new key whose first window is 30% off-topic has its first off-topic prompt flagged at once in
     * 60/60 groups, and 720/720 of the window's off-topic prompts taken as outliers (at most eight
     * findings a window); unseeded keys raise nothing, still in their 200-event warm-up.
     */
    @Test
    void newKeysSeededFromTheirPeersAreScoredAgainstThemFromTheirFirstPrompt() {
        double configured = 1e-3;
        EmbeddingDriftDetector detector =
                new EmbeddingDriftDetector(
                        EmbeddingDriftConfig.defaults()
                                .withFalseAlarmRates(configured, configured, configured));
        int groups = 60;
        long[] tally =
                IntStream.range(0, groups)
                        .parallel()
                        .mapToObj(g -> seededGroup(detector, g))
                        .reduce(new long[9], Tallies::sum);
        double events = (double) tally[1] / tally[0];
        double shift = (double) tally[3] / Math.max(1, tally[2]);
        System.out.printf(
                "embedding-drift seeded new keys at %.0e: outliers %d / %d events = %.2e, shift %d"
                        + " / %d windows = %.2e, drift findings %d; off-topic first window: first"
                        + " off-topic prompt flagged in %d/%d groups, %d/%d off-topic prompts"
                        + " outliers; unseeded %d findings%n",
                configured,
                tally[1],
                tally[0],
                events,
                tally[3],
                tally[2],
                shift,
                tally[4],
                tally[5],
                groups,
                tally[7],
                tally[6],
                tally[8]);
        assertThat(events)
                .as(
                        "outliers per scored event of seeded new keys; tolerance [0, 2 x %s]",
                        configured)
                .isBetween(0.0, 2 * configured);
        assertThat(shift)
                .as(
                        "shift findings per scored window of seeded new keys; tolerance [0, 2 x %s]",
                        configured)
                .isBetween(0.0, 2 * configured);
        assertThat(tally[5])
                .as("first off-topic prompt flagged")
                .isGreaterThanOrEqualTo(groups * 9 / 10);
        assertThat(tally[8]).as("findings of unseeded keys, warming up").isZero();
    }

    private static final int MEMBERS = 4;

    /** Cumulative shares of a member's mix over {@code subtopics}, flat-Dirichlet. */
    private static double[] memberMix(SplittableRandom random, int subtopics) {
        double[] cumulative = new double[subtopics];
        double total = 0;
        for (int k = 0; k < subtopics; k++) {
            total += -Math.log(1 - random.nextDouble());
            cumulative[k] = total;
        }
        for (int k = 0; k < subtopics; k++) {
            cumulative[k] /= total;
        }
        return cumulative;
    }

    private static float[] sample(SyntheticTopics topic, double[] mix, SplittableRandom random) {
        double u = random.nextDouble();
        int k = 0;
        while (k < mix.length - 1 && u > mix[k]) {
            k++;
        }
        return topic.sampleSubtopic(random, k);
    }

    /**
     * One group's peers, then its new members: scored events and outliers, scored windows, shift
     * and drift findings of the attack-free ones; of the attacked one whether its first off-topic
     * prompt was flagged, its off-topic prompts and those flagged; findings of an unseeded twin.
     */
    private static long[] seededGroup(EmbeddingDriftDetector detector, int group) {
        int dimension = 64;
        SplittableRandom random = new SplittableRandom(90_000 + group);
        SyntheticTopics topic =
                new SyntheticTopics(random, dimension, new double[] {1, 1, 1, 1, 1, 1}, 0.6, 0.9);
        double[][] mixes = new double[MEMBERS][];
        for (int m = 0; m < MEMBERS; m++) {
            mixes[m] = memberMix(random, 6);
        }
        EmbeddingState peers = detector.newState();
        for (int w = 0; w < 40; w++) {
            for (double[] mix : mixes) {
                int n = 20 + random.nextInt(21);
                for (int i = 0; i < n; i++) {
                    detector.onEvent(
                            peers,
                            new EmbeddingObservation(sample(topic, mix, random), MODEL, null),
                            w * HOUR + i);
                }
            }
            detector.onTime(peers, (w + 1) * HOUR);
        }
        peers = detector.codec().decode(detector.codec().encode(peers));
        long[] tally = new long[9];
        long start = 40 * HOUR;
        for (int k = 0; k < 3; k++) {
            double[] mix = memberMix(random, 6);
            EmbeddingState state = detector.newState();
            detector.seedFromPeers(state, peers, MEMBERS);
            for (int w = 0; w < 30; w++) {
                long windowStart = start + w * HOUR;
                int n = 20 + random.nextInt(21);
                for (int i = 0; i < n; i++) {
                    tally[0] += state.tailSize >= detector.config().warmUpEvents() ? 1 : 0;
                    tally[1] +=
                            detector.onEvent(
                                            state,
                                            new EmbeddingObservation(
                                                    sample(topic, mix, random), MODEL, null),
                                            windowStart + i)
                                    .size();
                }
                if (state.hasFeatures()
                        && WindowNull.ready(state, detector.config().warmUpWindows())) {
                    tally[2]++;
                }
                for (Finding finding : detector.onTime(state, windowStart + HOUR)) {
                    tally[is(finding, EmbeddingDriftDetector.SHIFT_MEASURE) ? 3 : 4]++;
                }
                state = detector.codec().decode(detector.codec().encode(state));
            }
        }
        double[] mix = memberMix(random, 6);
        SyntheticTopics offTopic = SyntheticTopics.singleTopic(random, dimension);
        EmbeddingState seeded = detector.newState();
        detector.seedFromPeers(seeded, peers, MEMBERS);
        EmbeddingState unseeded = detector.newState();
        boolean first = true;
        for (int i = 0; i < 40; i++) {
            boolean off = i % 10 >= 7;
            float[] x = off ? offTopic.sample(random) : sample(topic, mix, random);
            boolean flagged =
                    !detector.onEvent(
                                    seeded, new EmbeddingObservation(x, MODEL, "s" + i), start + i)
                            .isEmpty();
            tally[8] +=
                    detector.onEvent(
                                    unseeded,
                                    new EmbeddingObservation(x, MODEL, "u" + i),
                                    start + i)
                            .size();
            if (off) {
                tally[5] += first && flagged ? 1 : 0;
                first = false;
                tally[6]++;
            }
        }
        tally[7] = seeded.windowOutliers;
        tally[8] += detector.onTime(unseeded, start + HOUR).size();
        return tally;
    }
}
