package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.detect.Golden;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.state.EvidenceSlots;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ToolCallStateCodecTest {

    private static final String GOLDEN = "tool-call-distribution-state-v1.bin";

    private final StateCodec<ToolCallState> codec =
            new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults()).codec();

    static ToolCallState goldenState() {
        ToolCallState state = new ToolCallState();
        state.windowStart = 1_779_998_400_000L;
        state.baselineOther = 2.5f;
        state.windowUntracked = 1;
        state.windowDiscoveries = 1;
        state.tools.add(new ToolCallState.Tool("search", 600.25f, 7, false));
        state.tools.add(new ToolCallState.Tool("send_email", 397.25f, 2, false));
        state.tools.add(new ToolCallState.Tool("delete_db", 0f, 1, true));
        state.evidence.offer("6f1c9a2e-8d4b-4f7a-b3e5-1c2d3e4f5a6b", 2, tag -> 0);
        state.evidence.offer("call-7", ToolCallState.UNTRACKED, tag -> 0);
        state.recomputeDerived();
        return state;
    }

    @Test
    void decodesTheGoldenFile() {
        ToolCallState decoded = codec.decode(Golden.read(GOLDEN));
        assertThat(decoded).usingRecursiveComparison().isEqualTo(goldenState());
        assertThat(decoded.baselineSize()).isEqualTo(1000.0);
        assertThat(decoded.windowTotal()).isEqualTo(11);
        assertThat(decoded.windowOtherCalls()).as("delete_db and the untracked call").isEqualTo(2);
    }

    @Test
    void encodesToTheGoldenFile() {
        assertThat(codec.encode(goldenState())).isEqualTo(Golden.read(GOLDEN));
    }

    @Test
    void randomStatesRoundTrip() {
        SplittableRandom random = new SplittableRandom(43);
        for (int i = 0; i < 2000; i++) {
            ToolCallState state = randomState(random);
            byte[] bytes = codec.encode(state);
            ToolCallState decoded = codec.decode(bytes);
            assertThat(codec.encode(decoded)).as("state %d re-encoded", i).isEqualTo(bytes);
            if (i % 40 == 0) {
                assertThat(decoded).as("state %d", i).usingRecursiveComparison().isEqualTo(state);
            }
        }
    }

    @Test
    void unknownVersionIsRejectedByName() {
        byte[] bytes = Golden.read(GOLDEN);
        bytes[0] = (byte) 0xFF;
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 255");
    }

    @Test
    void malformedInputIsRejected() {
        ToolCallState duplicate = goldenState();
        duplicate.tools.add(new ToolCallState.Tool("search", 1f, 0, false));
        byte[] duplicated = codec.encode(duplicate);
        assertThatThrownBy(() -> codec.decode(duplicated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        byte[] golden = Golden.read(GOLDEN);
        assertThatThrownBy(() -> codec.decode(java.util.Arrays.copyOf(golden, 30)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ToolCallState randomState(SplittableRandom random) {
        ToolCallState state = new ToolCallState();
        state.windowStart =
                random.nextBoolean() ? Long.MIN_VALUE : random.nextLong(1L << 45) * 3_600_000L;
        state.baselineOther = (float) (random.nextDouble() * 50);
        state.windowUntracked = random.nextInt(100);
        state.windowDiscoveries = random.nextInt(100);
        int tools = random.nextInt(65);
        for (int j = 0; j < tools; j++) {
            boolean unseen = random.nextInt(5) == 0;
            state.tools.add(
                    new ToolCallState.Tool(
                            "tool-" + j + "-" + Integer.toHexString(random.nextInt()),
                            unseen ? 0f : (float) (random.nextDouble() * 500),
                            random.nextInt(1000),
                            unseen && random.nextBoolean()));
        }
        int ids = random.nextInt(EvidenceSlots.CAPACITY + 1);
        for (int j = 0; j < ids; j++) {
            String id =
                    random.nextBoolean()
                            ? new UUID(random.nextLong(), random.nextLong()).toString()
                            : "call-" + random.nextInt();
            int tag = tools == 0 ? ToolCallState.UNTRACKED : random.nextInt(-1, tools);
            state.evidence.offer(id, tag, t -> 0);
        }
        state.recomputeDerived();
        return state;
    }
}
