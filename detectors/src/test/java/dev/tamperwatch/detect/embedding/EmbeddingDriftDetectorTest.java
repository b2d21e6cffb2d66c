package dev.tamperwatch.detect.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tamperwatch.detect.Finding;
import dev.tamperwatch.detect.Measure;
import dev.tamperwatch.detect.Score;
import dev.tamperwatch.detect.ScoreSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingDriftDetectorTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_779_998_400_000L;
    private static final String MODEL = "all-MiniLM-L6-v2";
    private static final int DIMENSION = 48;

    private final EmbeddingDriftDetector detector =
            new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults());

    /** Plays {@code windows} windows of {@code perWindow} topic events from window {@code from}. */
    private List<Finding> play(
            EmbeddingState state,
            SyntheticTopics topic,
            SplittableRandom random,
            int from,
            int windows,
            int perWindow) {
        List<Finding> findings = new ArrayList<>();
        for (int w = from; w < from + windows; w++) {
            for (int i = 0; i < perWindow; i++) {
                findings.addAll(
                        detector.onEvent(
                                state,
                                new EmbeddingObservation(
                                        topic.sample(random), MODEL, "e-" + w + "-" + i),
                                T0 + w * HOUR + i));
            }
            findings.addAll(detector.onTime(state, T0 + (w + 1) * HOUR));
        }
        return findings;
    }

    /**
     * A state warmed up on 40 windows of 50 events, with no window open; rare false alarms during
     * the warm-up are not the concern of these tests.
     */
    private EmbeddingState warmState(SyntheticTopics topic, SplittableRandom random) {
        EmbeddingState state = detector.newState();
        play(state, topic, random, 0, 40, 50);
        assertThat(WindowNull.ready(state, detector.config().warmUpWindows())).isTrue();
        return state;
    }

    private static float[] direction(SyntheticTopics topic, double sign) {
        float[] x = new float[topic.dimension];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (sign * topic.subtopics[0][i]);
        }
        return x;
    }

    @Test
    void aStateIsBoundToTheFirstModelAndDimension() {
        EmbeddingState state = detector.newState();
        assertThat(detector.isEmpty(state)).isTrue();
        assertThat(detector.nextDeadline(state)).isEqualTo(Long.MAX_VALUE);
        detector.onEvent(state, new EmbeddingObservation(new float[] {3, 4}, MODEL, "a"), T0);
        assertThat(state.model()).isEqualTo(MODEL);
        assertThat(state.dimension()).isEqualTo(2);
        assertThat(detector.isEmpty(state)).isFalse();
        assertThat(detector.nextDeadline(state)).isEqualTo(T0 + HOUR);
        assertThat(state.windowSum).containsExactly(0.6f, 0.8f);
    }

    @Test
    void seedingFromPeersCopiesTheirCentroidAndDistanceTailAtTheWarmUpsWeight() {
        SplittableRandom random = new SplittableRandom(31);
        SyntheticTopics topic = SyntheticTopics.threeSubtopics(random, DIMENSION);
        EmbeddingState peers = warmState(topic, random);
        EmbeddingState state = detector.newState();
        detector.seedFromPeers(state, peers, 3);
        assertThat(state.model()).isEqualTo(MODEL);
        assertThat(state.dimension()).isEqualTo(DIMENSION);
        assertThat(state.fastCentroid).isEqualTo(peers.fastCentroid);
        assertThat(state.slowCentroid).isEqualTo(peers.fastCentroid);
        assertThat(state.baselineSize()).isEqualTo(200.0);
        assertThat(state.fastSquares).isEqualTo(1.0 / 200);
        assertThat(state.tailSize).isEqualTo(200.0);
        assertThat(state.distanceMean).isEqualTo(peers.distanceMean);
        assertThat(state.tailStart).isEqualTo(peers.tailStart);
        assertThat(state.hasFeatures())
                .as("window tests learn from the key's own windows")
                .isFalse();

        EmbeddingState unseeded = detector.newState();
        for (EmbeddingState key : List.of(state, unseeded)) {
            assertThat(
                            detector.onEvent(
                                    key,
                                    new EmbeddingObservation(topic.sample(random), MODEL, "a"),
                                    T0))
                    .isEmpty();
        }
        assertThat(
                        detector.onEvent(
                                state,
                                new EmbeddingObservation(direction(topic, -1), MODEL, "b"),
                                T0))
                .as("an off-topic first prompt, against the peers")
                .hasSize(1);
        assertThat(
                        detector.onEvent(
                                unseeded,
                                new EmbeddingObservation(direction(topic, -1), MODEL, "b"),
                                T0))
                .as("warming up")
                .isEmpty();
    }

    @Test
    void seedingFromColdPeersOrIntoABoundKeyChangesNothing() {
        SplittableRandom random = new SplittableRandom(32);
        SyntheticTopics topic = SyntheticTopics.threeSubtopics(random, DIMENSION);
        EmbeddingState state = detector.newState();
        detector.seedFromPeers(state, detector.newState(), 2);
        EmbeddingState cold = detector.newState();
        play(cold, topic, random, 0, 3, 50);
        detector.seedFromPeers(state, cold, 2);
        assertThat(detector.codec().encode(state))
                .as("peers short of the warm-up")
                .isEqualTo(detector.codec().encode(detector.newState()));
        byte[] before = detector.codec().encode(cold);
        detector.seedFromPeers(cold, warmState(topic, random), 1);
        assertThat(detector.codec().encode(cold)).isEqualTo(before);
        assertThatThrownBy(() -> detector.seedFromPeers(state, cold, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSeedOfAnotherModelIsDroppedAtTheKeysFirstEmbedding() {
        SplittableRandom random = new SplittableRandom(33);
        SyntheticTopics topic = SyntheticTopics.threeSubtopics(random, DIMENSION);
        EmbeddingState state = detector.newState();
        detector.seedFromPeers(state, warmState(topic, random), 1);
        EmbeddingState copy = detector.codec().decode(detector.codec().encode(state));
        assertThat(
                        detector.onEvent(
                                copy,
                                new EmbeddingObservation(new float[] {3, 4}, "other", "a"),
                                T0))
                .isEmpty();
        assertThat(copy.model()).isEqualTo("other");
        assertThat(copy.dimension()).isEqualTo(2);
        assertThat(copy.baselineSize()).isZero();
        assertThat(copy.hasFeatures()).isFalse();
        detector.onEvent(state, new EmbeddingObservation(topic.sample(random), MODEL, "b"), T0);
        assertThatThrownBy(
                        () ->
                                detector.onEvent(
                                        state,
                                        new EmbeddingObservation(new float[] {3, 4}, "other", "c"),
                                        T0 + 1))
                .as("once the key has its own events, the binding holds")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherModelOrDimensionIsRejectedNamingBothAndLeavesTheStateUnchanged() {
        SplittableRandom random = new SplittableRandom(1);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, DIMENSION);
        EmbeddingState state = detector.newState();
        play(state, topic, random, 0, 3, 20);
        detector.onEvent(state, new EmbeddingObservation(topic.sample(random), MODEL, "x"), T0);
        byte[] before = detector.codec().encode(state);

        float[] sameSize = topic.sample(random);
        assertThatThrownBy(
                        () ->
                                detector.onEvent(
                                        state,
                                        new EmbeddingObservation(
                                                sameSize, "text-embedding-3-small", "y"),
                                        T0 + 3 * HOUR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "embedding of model 'text-embedding-3-small' with 48 dimensions does not"
                                + " match this key's baseline of model 'all-MiniLM-L6-v2' with 48"
                                + " dimensions");
        float[] longer = Arrays.copyOf(topic.sample(random), DIMENSION + 1);
        assertThatThrownBy(
                        () ->
                                detector.onEvent(
                                        state,
                                        new EmbeddingObservation(longer, MODEL, "z"),
                                        T0 + 5 * HOUR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'all-MiniLM-L6-v2' with 49 dimensions")
                .hasMessageContaining("'all-MiniLM-L6-v2' with 48 dimensions");
        assertThat(detector.codec().encode(state)).isEqualTo(before);
    }

    @Test
    void embeddingsBeyondTheConfiguredDimensionAreRejectedBeforeTheyReachState() {
        EmbeddingDriftDetector capped =
                new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults().withMaxDimension(64));
        SplittableRandom random = new SplittableRandom(12);
        EmbeddingState state = capped.newState();
        float[] huge = SyntheticTopics.singleTopic(random, 65).sample(random);
        assertThatThrownBy(
                        () -> capped.onEvent(state, new EmbeddingObservation(huge, MODEL, "x"), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("embedding has 65 dimensions, more than the configured maximum of 64");
        assertThat(capped.isEmpty(state)).as("nothing is bound").isTrue();

        float[] fits = SyntheticTopics.singleTopic(random, 64).sample(random);
        capped.onEvent(state, new EmbeddingObservation(fits, MODEL, "y"), T0);
        assertThat(state.dimension()).isEqualTo(64);
        assertThat(EmbeddingDriftConfig.defaults().maxDimension()).isEqualTo(4096);
        assertThatThrownBy(() -> EmbeddingDriftConfig.defaults().withMaxDimension(65_537))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonFiniteZeroAndMissingEmbeddingsAreRejectedWithoutTouchingTheState() {
        SplittableRandom random = new SplittableRandom(2);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, DIMENSION);
        EmbeddingState fresh = detector.newState();
        EmbeddingState state = detector.newState();
        play(state, topic, random, 0, 2, 20);
        detector.onEvent(state, new EmbeddingObservation(topic.sample(random), MODEL, "x"), T0);
        byte[] before = detector.codec().encode(state);

        float[] nan = topic.sample(random);
        nan[3] = Float.NaN;
        float[] infinite = topic.sample(random);
        infinite[47] = Float.NEGATIVE_INFINITY;
        float[] zero = new float[DIMENSION];
        for (EmbeddingState target : List.of(fresh, state)) {
            assertThatThrownBy(() -> feed(target, nan))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("embedding component 3 is NaN; every component must be finite");
            assertThatThrownBy(() -> feed(target, infinite))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "embedding component 47 is -Infinity; every component must be finite");
            assertThatThrownBy(() -> feed(target, zero))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("embedding is the zero vector: it has no direction");
            assertThatThrownBy(() -> feed(target, new float[0]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("embedding is missing or empty");
            assertThatThrownBy(
                            () ->
                                    detector.onEvent(
                                            target,
                                            new EmbeddingObservation(
                                                    topic.sample(random), null, "id"),
                                            T0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("embedding model is missing");
        }
        assertThat(detector.isEmpty(fresh)).as("a rejected first event binds nothing").isTrue();
        assertThat(detector.codec().encode(state)).isEqualTo(before);
    }

    private void feed(EmbeddingState state, float[] embedding) {
        detector.onEvent(state, new EmbeddingObservation(embedding, MODEL, "bad"), T0 + 1);
    }

    @Test
    void extremeMagnitudesGiveFiniteResultsAndTheSameDirections() {
        SplittableRandom random = new SplittableRandom(3);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, DIMENSION);
        EmbeddingState plain = detector.newState();
        EmbeddingState scaled = detector.newState();
        double[] factors = {1e-36, 1e-20, 1e20, 1e36, Double.NaN};
        List<Double> pValues = new ArrayList<>();
        ScoreSink sink = score -> pValues.add(score.pValue());
        for (int w = 0; w < 30; w++) {
            for (int i = 0; i < 40; i++) {
                float[] x = topic.sample(random);
                float[] y = new float[DIMENSION];
                double factor = factors[(w * 40 + i) % factors.length];
                float largest = 0;
                for (float v : x) {
                    largest = Math.max(largest, Math.abs(v));
                }
                for (int j = 0; j < DIMENSION; j++) {
                    y[j] =
                            Double.isNaN(factor)
                                    ? x[j] / largest * Float.MAX_VALUE
                                    : (float) (x[j] * factor);
                }
                long time = T0 + w * HOUR + i;
                detector.onEvent(plain, new EmbeddingObservation(x, MODEL, null), time);
                detector.onEvent(scaled, new EmbeddingObservation(y, MODEL, null), time, sink);
            }
            detector.onTime(plain, T0 + (w + 1) * HOUR);
            detector.onTime(scaled, T0 + (w + 1) * HOUR, sink);
        }
        assertThat(pValues).isNotEmpty().allMatch(p -> p >= 0 && p <= 1);
        EmbeddingState decoded = detector.codec().decode(detector.codec().encode(scaled));
        assertThat(decoded.fastSize).isEqualTo(plain.fastSize);
        for (int i = 0; i < DIMENSION; i++) {
            assertThat(scaled.fastCentroid[i])
                    .as("component %d", i)
                    .isCloseTo(plain.fastCentroid[i], within(1e-4f));
            assertThat(scaled.slowCentroid[i]).isCloseTo(plain.slowCentroid[i], within(1e-4f));
        }
        assertThat(scaled.distanceMean).isCloseTo(plain.distanceMean, within(1e-4));
        assertThat(scaled.bandwidth).isCloseTo(plain.bandwidth, within(1e-4f));
    }

    @Test
    void windowsCloseAtTheWatermarkOrAtTheFirstEventOfALaterWindow() {
        SplittableRandom random = new SplittableRandom(4);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, DIMENSION);
        EmbeddingState state = detector.newState();
        for (int i = 0; i < 5; i++) {
            detector.onEvent(
                    state, new EmbeddingObservation(topic.sample(random), MODEL, null), T0 + i);
        }
        assertThat(detector.onTime(state, T0 + HOUR - 1)).isEmpty();
        assertThat(state.windowEvents).isEqualTo(5);
        detector.onEvent(
                state, new EmbeddingObservation(topic.sample(random), MODEL, null), T0 - HOUR);
        assertThat(state.windowEvents).as("a late event counts into the open window").isEqualTo(6);
        detector.onEvent(
                state, new EmbeddingObservation(topic.sample(random), MODEL, null), T0 + 3 * HOUR);
        assertThat(state.fastSize).as("the first window was learned").isEqualTo(6.0);
        assertThat(state.windowStart).isEqualTo(T0 + 3 * HOUR);
        assertThat(state.windowEvents).isEqualTo(1);
        assertThat(detector.onTime(state, T0 + 4 * HOUR)).isEmpty();
        assertThat(state.fastSize).isEqualTo(7.0);
        assertThat(detector.nextDeadline(state)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anOutlierRaisesAnExplainedFindingAndIsNotLearned() {
        SplittableRandom random = new SplittableRandom(5);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, DIMENSION);
        EmbeddingState state = warmState(topic, random);
        long time = T0 + 40 * HOUR;
        for (int i = 0; i < 10; i++) {
            detector.onEvent(
                    state, new EmbeddingObservation(topic.sample(random), MODEL, null), time + i);
        }
        float[] sumBefore = state.windowSum.clone();

        List<Finding> findings =
                detector.onEvent(
                        state,
                        new EmbeddingObservation(direction(topic, -1), MODEL, "injected"),
                        time + 20);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.detector()).isEqualTo("embedding-drift");
        assertThat(finding.detectorVersion()).isEqualTo("1");
        assertThat(finding.windowStart()).isEqualTo(time);
        assertThat(finding.windowEnd()).isEqualTo(time + HOUR);
        assertThat(finding.threshold()).isEqualTo(1e-4);
        assertThat(finding.pValue()).isLessThan(1e-4);
        assertThat(finding.relatedEventIds()).containsExactly("injected");
        assertThat(finding.summary())
                .matches(
                        "embedding [12]\\.\\d{3} cosine distance from the key's centroid vs"
                                + " expected 0\\.\\d{3} \\(interval 0–0\\.\\d{3}, baseline \\d+"
                                + " events\\);"
                                + " top dimensions \\d+ \\([+-]\\d\\.\\d{3}\\)"
                                + "(, \\d+ \\([+-]\\d\\.\\d{3}\\)){4}");
        Measure distance = finding.measures().get(0);
        assertThat(distance.name()).isEqualTo("embedding_cosine_distance");
        assertThat(distance.unit()).isEqualTo("cosine distance");
        assertThat(distance.observed()).isGreaterThan(1.5);
        assertThat(distance.expected()).isEqualTo(state.distanceMean);
        assertThat(distance.upper()).isGreaterThan(distance.expected()).isLessThan(1.0);
        assertThat(distance.baselineSize()).isEqualTo(state.distanceSize);
        List<Measure> dimensions = finding.measures().subList(1, finding.measures().size());
        assertThat(dimensions).hasSize(5).allMatch(m -> m.name().startsWith("dim:"));
        double largest = Math.abs(dimensions.get(0).observed() - dimensions.get(0).expected());
        double last = Math.abs(dimensions.get(4).observed() - dimensions.get(4).expected());
        assertThat(largest).isGreaterThanOrEqualTo(last);
        assertThat(state.windowOutliers).isEqualTo(1);
        assertThat(state.windowEvents).isEqualTo(11);
        assertThat(state.windowSum).as("the outlier is not summed").containsExactly(sumBefore);
    }

    @Test
    void outlierFindingsPerWindowAreCapped() {
        SplittableRandom random = new SplittableRandom(6);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, DIMENSION);
        EmbeddingState state = warmState(topic, random);
        int findings = 0;
        for (int i = 0; i < 20; i++) {
            findings +=
                    detector.onEvent(
                                    state,
                                    new EmbeddingObservation(direction(topic, -1), MODEL, null),
                                    T0 + 40 * HOUR + i)
                            .size();
        }
        assertThat(findings).isEqualTo(8);
        assertThat(state.windowOutliers).isEqualTo(20);
    }

    @Test
    void aShiftedWindowRaisesAnExplainedFindingAndIsNotLearned() {
        SplittableRandom random = new SplittableRandom(7);
        SyntheticTopics topic = SyntheticTopics.threeSubtopics(random, DIMENSION);
        EmbeddingState state = warmState(topic, random);
        float[] fast = state.fastCentroid.clone();
        float[] slow = state.slowCentroid.clone();
        float[] features = state.featureFast.clone();
        double history = state.historyMean;
        double distances = state.distanceMean;
        long time = T0 + 40 * HOUR;
        for (int i = 0; i < 50; i++) {
            float[] x = topic.sampleSubtopic(random, 2);
            detector.onEvent(state, new EmbeddingObservation(x, MODEL, "s-" + i), time + i);
        }

        List<Finding> findings = detector.onTime(state, time + HOUR);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.windowStart()).isEqualTo(time);
        assertThat(finding.windowEnd()).isEqualTo(time + HOUR);
        assertThat(finding.threshold()).isEqualTo(1e-5);
        assertThat(finding.pValue()).isLessThan(1e-5);
        assertThat(finding.summary())
                .startsWith("embedding distribution shifted: RFF-MMD² ")
                .contains(" in 1h window of 50 events vs expected ")
                .contains("top dimensions ");
        Measure mmd = finding.measures().get(0);
        assertThat(mmd.name()).isEqualTo("embedding_mmd2");
        assertThat(mmd.observed()).isGreaterThan(mmd.upper());
        assertThat(mmd.upper()).isGreaterThan(mmd.expected());
        assertThat(finding.measures().get(1).name()).isEqualTo("outlier_events");
        assertThat(finding.measures().subList(2, 7)).allMatch(m -> m.name().startsWith("dim:"));
        assertThat(finding.relatedEventIds()).hasSize(8).allMatch(id -> id.startsWith("s-"));
        assertThat(state.fastCentroid)
                .as("an alerting window is not learned")
                .containsExactly(fast);
        assertThat(state.slowCentroid).containsExactly(slow);
        assertThat(state.featureFast).containsExactly(features);
        assertThat(state.historyMean).isEqualTo(history);
        assertThat(state.distanceMean).isEqualTo(distances);
        assertThat(state.hasOpenWindow()).isFalse();
    }

    @Test
    void everyScoreIsReported() {
        SplittableRandom random = new SplittableRandom(8);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, DIMENSION);
        EmbeddingState state = detector.newState();
        List<Score> scores = new ArrayList<>();
        for (int w = 0; w < 60; w++) {
            for (int i = 0; i < 50; i++) {
                detector.onEvent(
                        state,
                        new EmbeddingObservation(topic.sample(random), MODEL, null),
                        T0 + w * HOUR + i,
                        scores::add);
            }
            detector.onTime(state, T0 + (w + 1) * HOUR, scores::add);
        }
        List<Score> events =
                scores.stream()
                        .filter(s -> s.measure().equals("embedding_cosine_distance"))
                        .toList();
        List<Score> shifts =
                scores.stream().filter(s -> s.measure().equals("embedding_mmd2")).toList();
        List<Score> drifts =
                scores.stream().filter(s -> s.measure().equals("embedding_drift_mmd2")).toList();
        assertThat(events).hasSizeGreaterThan(1500);
        assertThat(events).allMatch(s -> s.windowStart() == s.windowEnd() && s.threshold() == 1e-4);
        assertThat(shifts).hasSizeGreaterThan(10);
        assertThat(shifts)
                .allMatch(s -> s.windowEnd() - s.windowStart() == HOUR && s.threshold() == 1e-5);
        assertThat(drifts).isNotEmpty();
        assertThat(scores).allMatch(s -> s.detector().equals("embedding-drift"));
        assertThat(scores).allMatch(s -> s.pValue() >= 0 && s.pValue() <= 1);
    }

    @Test
    void featuresDrawnWithOtherSettingsAreRelearned() {
        SplittableRandom random = new SplittableRandom(9);
        SyntheticTopics topic = SyntheticTopics.singleTopic(random, DIMENSION);
        EmbeddingState state = warmState(topic, random);
        EmbeddingDriftConfig reseeded =
                new EmbeddingDriftConfig(
                        detector.config().window(),
                        1e-4,
                        1e-5,
                        1e-5,
                        200,
                        20,
                        20,
                        2000,
                        50_000,
                        0.1,
                        200,
                        128,
                        48,
                        42,
                        1.0,
                        8,
                        4096);
        EmbeddingDriftDetector other = new EmbeddingDriftDetector(reseeded);
        float[] centroid = state.fastCentroid.clone();
        other.onEvent(
                state, new EmbeddingObservation(topic.sample(random), MODEL, null), T0 + 40 * HOUR);
        assertThat(state.hasFeatures()).isFalse();
        assertThat(state.historySize).isZero();
        assertThat(state.fastCentroid).as("the centroids are kept").containsExactly(centroid);
        other.onTime(state, T0 + 41 * HOUR);
        assertThat(state.hasFeatures()).as("features start again at the next window").isTrue();
    }

    @Test
    void replaysAreBitForBitIdentical() {
        byte[][] runs = new byte[2][];
        for (int run = 0; run < 2; run++) {
            SplittableRandom random = new SplittableRandom(10);
            SyntheticTopics topic = SyntheticTopics.threeSubtopics(random, 100);
            EmbeddingState state = detector.newState();
            play(state, topic, random, 0, 30, 30);
            runs[run] = detector.codec().encode(state);
        }
        assertThat(runs[0]).isEqualTo(runs[1]);
    }
}
