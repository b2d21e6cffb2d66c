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

    private static final String GOLDEN = "refusal-rate-state-v1.bin";

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

    @Test
    void decodesTheGoldenFile() {
        assertThat(codec.decode(Golden.read(GOLDEN)))
                .usingRecursiveComparison()
                .isEqualTo(goldenState());
    }

    @Test
    void encodesToTheGoldenFile() {
        assertThat(codec.encode(goldenState())).isEqualTo(Golden.read(GOLDEN));
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
        return state;
    }
}
