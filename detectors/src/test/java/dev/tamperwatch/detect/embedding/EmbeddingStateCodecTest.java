package dev.tamperwatch.detect.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.detect.Golden;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.state.EventIds;
import dev.tamperwatch.detect.state.EvidenceSlots;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmbeddingStateCodecTest {

    private static final String GOLDEN = "embedding-drift-state-v1.bin";

    private final StateCodec<EmbeddingState> codec =
            new EmbeddingDriftDetector(EmbeddingDriftConfig.defaults()).codec();

    /** A bound state with features, a drift alert and an open window with an outlier. */
    static EmbeddingState goldenState() {
        EmbeddingState state = new EmbeddingState();
        state.bind("all-MiniLM-L6-v2", 5);
        state.windowStart = 1_779_998_400_000L;
        state.fastSize = 2000;
        state.fastSquares = 2.5e-4;
        state.slowSize = 16_500;
        copy(new float[] {0.5f, -0.25f, 0.125f, 0.0625f, -0.75f}, state.fastCentroid);
        copy(new float[] {0.625f, -0.125f, 0.0625f, 0.25f, -0.5f}, state.slowCentroid);
        state.distanceSize = 2000;
        state.distanceMean = 0.25;
        state.distanceSquareMean = 0.0676;
        state.tailSize = 1900;
        state.exceedRate = 0.1;
        state.excessMean = 0.004;
        state.enableFeatures(0.75f, 0x1234_5678_9ABC_DEF0L, 4);
        copy(new float[] {0.5f, -0.25f, 0.75f, 0.125f}, state.featureFast);
        copy(new float[] {0.375f, -0.5f, 0.625f, 0.25f}, state.featureSlow);
        state.featureFastSize = 1800;
        state.featureFastSquares = 3e-4;
        state.featureSlowSize = 14_000;
        state.featureSlowSquares = 7e-5;
        state.featureCross = 6e-5;
        state.historySize = 200;
        state.historySquares = 0.0025;
        state.historyMean = 0.4;
        state.historySquareMean = 0.17;
        state.historyCubeMean = 0.075;
        state.driftAlerted = true;
        state.windowEvents = 12;
        state.windowOutliers = 1;
        copy(new float[] {5.5f, -3.25f, 1.5f, 0.75f, -8.25f}, state.windowSum);
        state.windowDistanceSum = 2.75;
        state.windowDistanceSquareSum = 0.71;
        state.windowExceedances = 1;
        state.windowExcessSum = 0.01;
        copy(new float[] {6.5f, -2.5f, 9.25f, 1.5f}, state.windowFeatures);
        copy(new float[] {-0.5f, 0.25f, 0.75f, -1f}, state.windowOutlierFeatures);
        state.evidence.offer("0d7e2f4c-3b8a-4e51-9c6d-2a1f0e9b7c35", 912_000, tag -> tag);
        state.evidence.offer("evt-42", 305_000, tag -> tag);
        state.recomputeDerived();
        return state;
    }

    private static void copy(float[] from, float[] to) {
        System.arraycopy(from, 0, to, 0, from.length);
    }

    @Test
    void decodesTheGoldenFile() {
        EmbeddingState decoded = codec.decode(Golden.read(GOLDEN));
        assertThat(decoded).usingRecursiveComparison().isEqualTo(goldenState());
        assertThat(decoded.model()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(decoded.dimension()).isEqualTo(5);
        assertThat(decoded.baselineSize()).isEqualTo(2000.0);
        assertThat(decoded.evidence.ids(tag -> tag > 900_000))
                .containsExactly("0d7e2f4c-3b8a-4e51-9c6d-2a1f0e9b7c35");
    }

    @Test
    void encodesToTheGoldenFile() {
        assertThat(codec.encode(goldenState())).isEqualTo(Golden.read(GOLDEN));
    }

    @Test
    void unboundStateIsTwoBytes() {
        EmbeddingState fresh = new EmbeddingState();
        byte[] bytes = codec.encode(fresh);
        assertThat(bytes).containsExactly(1, 0);
        assertThat(codec.decode(bytes)).usingRecursiveComparison().isEqualTo(fresh);
    }

    @Test
    void randomStatesRoundTrip() {
        SplittableRandom random = new SplittableRandom(44);
        for (int i = 0; i < 1000; i++) {
            EmbeddingState state = randomState(random);
            byte[] bytes = codec.encode(state);
            EmbeddingState decoded = codec.decode(bytes);
            assertThat(codec.encode(decoded)).as("state %d re-encoded", i).isEqualTo(bytes);
            if (i % 25 == 0) {
                assertThat(decoded).as("state %d", i).usingRecursiveComparison().isEqualTo(state);
            }
        }
    }

    @Test
    void worstCaseStateOf384DimensionsFitsInEightKilobytes() {
        EmbeddingState state = new EmbeddingState();
        SplittableRandom random = new SplittableRandom(45);
        do {
            state = new EmbeddingState();
            fillState(random, state, 384, 128, true);
        } while (!state.hasFeatures());
        state.model = "m".repeat(EmbeddingDriftDetector.MAX_MODEL_BYTES);
        state.windowEvents = Long.MAX_VALUE >> 2;
        state.windowOutliers = state.windowEvents - 1;
        state.windowExceedances = state.windowEvents;
        state.evidence.clear();
        for (int j = 0; j < EvidenceSlots.CAPACITY; j++) {
            String id = j + "x".repeat(EventIds.MAX_EVENT_ID_BYTES - 1);
            state.evidence.offer(id, Integer.MAX_VALUE - j, tag -> tag);
        }
        assertThat(state.evidence.size()).isEqualTo(EvidenceSlots.CAPACITY);
        byte[] bytes = codec.encode(state);
        System.out.printf(
                "embedding-drift state, 384 dims, 128 features, worst case: %d bytes%n",
                bytes.length);
        assertThat(bytes.length)
                .as("centroids and window sum as float32: 3 x 384 x 4 B, features 4 x 128 x 4 B")
                .isLessThanOrEqualTo(8192);
        assertThat(codec.decode(bytes)).usingRecursiveComparison().isEqualTo(state);
    }

    @Test
    void unknownVersionIsRejectedByName() {
        byte[] bytes = Golden.read(GOLDEN);
        bytes[0] = 9;
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void malformedInputIsRejected() {
        byte[] golden = Golden.read(GOLDEN);
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(golden, 60)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(golden, golden.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        EmbeddingState nan = goldenState();
        nan.fastCentroid[2] = Float.NaN;
        byte[] withNan = codec.encode(nan);
        assertThatThrownBy(() -> codec.decode(withNan))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite");
        EmbeddingState tooManyOutliers = goldenState();
        tooManyOutliers.windowOutliers = 13;
        byte[] inconsistent = codec.encode(tooManyOutliers);
        assertThatThrownBy(() -> codec.decode(inconsistent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outliers");
    }

    private static EmbeddingState randomState(SplittableRandom random) {
        return randomState(random, 1 + random.nextInt(40), 1 + random.nextInt(16));
    }

    /**
     * A consistent random state: bound (but one in twenty), with {@code features} features half the
     * time (never when 0), with an open window half the time.
     */
    static EmbeddingState randomState(SplittableRandom random, int dimension, int features) {
        EmbeddingState state = new EmbeddingState();
        if (random.nextInt(20) == 0) {
            return state;
        }
        fillState(random, state, dimension, features, random.nextBoolean());
        return state;
    }

    private static void fillState(
            SplittableRandom random,
            EmbeddingState state,
            int dimension,
            int features,
            boolean openWindow) {
        state.bind("model-" + random.nextInt(1000), dimension);
        state.windowStart =
                random.nextBoolean() ? Long.MIN_VALUE : random.nextLong(1L << 45) * 3_600_000L;
        state.fastSize = random.nextDouble() * 2000;
        state.fastSquares = random.nextDouble();
        state.slowSize = random.nextDouble() * 50_000;
        fill(random, state.fastCentroid);
        fill(random, state.slowCentroid);
        state.distanceSize = random.nextDouble() * 2000;
        state.distanceMean = random.nextDouble();
        state.distanceSquareMean = random.nextDouble();
        state.tailSize = random.nextDouble() * 2000;
        state.exceedRate = random.nextDouble();
        state.excessMean = random.nextDouble() * 0.1;
        boolean withFeatures = features > 0 && random.nextBoolean();
        if (withFeatures) {
            state.enableFeatures((float) (0.01 + random.nextDouble()), random.nextLong(), features);
            fill(random, state.featureFast);
            fill(random, state.featureSlow);
            state.featureFastSize = random.nextDouble() * 2000;
            state.featureFastSquares = random.nextDouble();
            state.featureSlowSize = random.nextDouble() * 50_000;
            state.featureSlowSquares = random.nextDouble();
            state.featureCross = random.nextDouble();
            state.historySize = random.nextDouble() * 200;
            state.historySquares = random.nextDouble();
            state.historyMean = random.nextDouble();
            state.historySquareMean = random.nextDouble();
            state.historyCubeMean = random.nextDouble();
            state.driftAlerted = random.nextBoolean();
        }
        if (openWindow) {
            state.windowEvents = random.nextLong(1, 1L << 40);
            state.windowOutliers =
                    random.nextBoolean() ? 0 : random.nextLong(state.windowEvents + 1);
            fill(random, state.windowSum);
            state.windowDistanceSum = random.nextDouble() * 100;
            state.windowDistanceSquareSum = random.nextDouble() * 100;
            state.windowExceedances = random.nextLong(state.windowEvents + 1);
            state.windowExcessSum = random.nextDouble();
            if (withFeatures) {
                fill(random, state.windowFeatures);
                if (state.windowOutliers > 0) {
                    fill(random, state.windowOutlierFeatures);
                }
            }
            int ids = random.nextInt(EvidenceSlots.CAPACITY + 1);
            for (int j = 0; j < ids; j++) {
                String id =
                        random.nextBoolean()
                                ? new UUID(random.nextLong(), random.nextLong()).toString()
                                : "event-" + random.nextInt();
                state.evidence.offer(id, random.nextInt(2_000_001), tag -> tag);
            }
        }
        state.recomputeDerived();
    }

    private static void fill(SplittableRandom random, float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
    }
}
