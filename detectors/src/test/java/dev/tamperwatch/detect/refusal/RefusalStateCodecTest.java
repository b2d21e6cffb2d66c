package dev.tamperwatch.detect.refusal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.detect.Golden;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.state.EvidenceSlots;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RefusalStateCodecTest {

    private static final String GOLDEN = "refusal-rate-state-v2.bin";
    private static final String GOLDEN_V1 = "refusal-rate-state-v1.bin";

    private final StateCodec<RefusalState> codec =
            new RefusalRateDetector(RefusalRateConfig.defaults()).codec();

    static RefusalState goldenState() {
        RefusalState state = new RefusalState();
        state.baselineRefused = 31.5;
        state.baselineAnswered = 968.5;
        state.windowStart = 1_779_998_400_000L;
        state.windowRefused = 3;
        state.windowTotal = 12;
        state.evidence.offer("0d7e2f4c-3b8a-4e51-9c6d-2a1f0e9b7c35", 1, tag -> 0);
        state.evidence.offer("evt-42", 0, tag -> 0);
        return state;
    }

    /**
     * The state of the version-2 golden file: the version-1 state with a peer prior at weight 3/4,
     * a rising run and held-back windows.
     */
    static RefusalState goldenStateV2() {
        RefusalState state = goldenState();
        RefusalRateDetector.withPeerPrior(state, 0.04, 150);
        state.cusumUp = 3.25;
        state.upRun.start = 1_779_991_200_000L;
        state.upRun.refused = 9;
        state.upRun.total = 80;
        state.pendingRefused = 9;
        state.pendingTotal = 80;
        state.priorWeight = 0.75;
        return state;
    }

    @Test
    void decodesTheVersionOneGoldenFileWithPopulationPriorAndIdleCusums() {
        RefusalState decoded = codec.decode(Golden.read(GOLDEN_V1));
        assertThat(decoded).usingRecursiveComparison().isEqualTo(goldenState());
        assertThat(decoded.hasPeerPrior()).isFalse();
        assertThat(decoded.priorWeight()).isEqualTo(1.0);
        assertThat(decoded.cusumUp).isZero();
        assertThat(decoded.cusumDown).isZero();
    }

    @Test
    void reEncodesAVersionOneStateInTheCurrentFormat() {
        byte[] v1 = Golden.read(GOLDEN_V1);
        byte[] current = codec.encode(codec.decode(v1));
        assertThat(current[0]).isEqualTo((byte) 2);
        assertThat(current).as("held-back counts and flags appended").hasSize(v1.length + 3);
        assertThat(java.util.Arrays.copyOfRange(current, 1, v1.length))
                .as("the version-1 body is a prefix of the version-2 body")
                .isEqualTo(java.util.Arrays.copyOfRange(v1, 1, v1.length));
    }

    @Test
    void decodesTheGoldenFile() {
        assertThat(codec.decode(Golden.read(GOLDEN)))
                .usingRecursiveComparison()
                .isEqualTo(goldenStateV2());
    }

    @Test
    void encodesToTheGoldenFile() {
        assertThat(codec.encode(goldenStateV2())).isEqualTo(Golden.read(GOLDEN));
    }

    @Test
    void randomStatesRoundTrip() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2000; i++) {
            RefusalState state = randomState(random);
            byte[] bytes = codec.encode(state);
            RefusalState decoded = codec.decode(bytes);
            assertThat(codec.encode(decoded)).as("state %d re-encoded", i).isEqualTo(bytes);
            if (i % 40 == 0) {
                assertThat(decoded).as("state %d", i).usingRecursiveComparison().isEqualTo(state);
            }
            assertThat(bytes.length).as("encoded bytes").isLessThanOrEqualTo(2048);
        }
    }

    @Test
    void unknownVersionIsRejectedByName() {
        byte[] bytes = Golden.read(GOLDEN);
        bytes[0] = 7;
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 7");
    }

    @Test
    void malformedInputIsRejected() {
        byte[] golden = Golden.read(GOLDEN);
        byte[] badFlags = codec.encode(goldenState());
        badFlags[badFlags.length - 1] = 16;
        assertThatThrownBy(() -> codec.decode(badFlags))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flags");
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(java.util.Arrays.copyOf(golden, 20)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(java.util.Arrays.copyOf(golden, golden.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RefusalState randomState(SplittableRandom random) {
        RefusalState state = new RefusalState();
        state.baselineRefused = random.nextDouble() * 1000;
        state.baselineAnswered = random.nextDouble() * 1000;
        state.windowStart =
                random.nextBoolean() ? Long.MIN_VALUE : random.nextLong(1L << 45) * 3_600_000L;
        state.windowTotal = random.nextBoolean() ? 0 : random.nextLong(1, 1L << 40);
        state.windowRefused = state.windowTotal == 0 ? 0 : random.nextLong(state.windowTotal + 1);
        int ids = random.nextInt(EvidenceSlots.CAPACITY + 1);
        for (int j = 0; j < ids; j++) {
            String id =
                    random.nextBoolean()
                            ? new UUID(random.nextLong(), random.nextLong()).toString()
                            : "event-" + random.nextInt();
            state.evidence.offer(id, random.nextInt(2), tag -> 0);
        }
        if (random.nextBoolean()) {
            RefusalRateDetector.withPeerPrior(
                    state, random.nextDouble(0.001, 0.999), random.nextDouble(0.1, 1000));
        }
        state.pendingTotal = random.nextBoolean() ? 0 : random.nextLong(1, 1L << 40);
        state.pendingRefused = random.nextLong(state.pendingTotal + 1);
        if (random.nextBoolean()) {
            state.priorWeight = random.nextBoolean() ? 0 : random.nextDouble();
        }
        if (random.nextBoolean()) {
            state.cusumUp = random.nextDouble(1e-9, 20);
            randomRun(random, state.upRun);
        }
        if (random.nextBoolean()) {
            state.cusumDown = random.nextDouble(1e-9, 20);
            randomRun(random, state.downRun);
        }
        return state;
    }

    private static void randomRun(SplittableRandom random, RefusalState.Run run) {
        run.start = random.nextLong(1L << 45) * 3_600_000L;
        run.total = random.nextLong(1, 1L << 40);
        run.refused = random.nextLong(run.total + 1);
    }
}
