package dev.tamperwatch.detect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.detect.Golden;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.state.EvidenceSlots;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;

class ToolCallStateCodecTest {

    private static final String GOLDEN_V1 = "tool-call-distribution-state-v1.bin";
    private static final String GOLDEN_V2 = "tool-call-distribution-state-v2.bin";

    private static final RecursiveComparisonConfiguration BY_CONTENT =
            RecursiveComparisonConfiguration.builder()
                    .withEqualsForType(FingerprintTable::equals, FingerprintTable.class)
                    .withIgnoredFields("index")
                    .build();

    private final StateCodec<ToolCallState> codec =
            new ToolCallDistributionDetector(ToolCallDistributionConfig.defaults()).codec();

    /** The state committed in format 1, as format 1 knew it. */
    static ToolCallState goldenStateV1() {
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

    /** The state committed in format 2: every field set, fresh and learned entries, runs. */
    static ToolCallState goldenState() {
        ToolCallState state = goldenStateV1();
        state.meanWindowCalls = 42.5f;
        state.horizonCalls = 25_000;
        state.toolsUnlearned = 2;
        state.transitionTrials = 24_000;
        state.transitionsUnlearned = 3;
        state.windowTransitionDiscoveries = 1;
        state.windowAlerted = true;
        ToolCallState.Tool search = state.tools.get(0);
        search.calls = 15_000;
        ToolCallState.Tool sendEmail = state.tools.get(1);
        sendEmail.calls = 9_999;
        sendEmail.targetCalls = 9_000;
        sendEmail.targetsUnlearned = 1;
        sendEmail.windowTargetDiscoveries = 1;
        sendEmail.targets.insertFresh(Fingerprints.of16("alice@corp"), 8);
        sendEmail.targets.increment(0);
        sendEmail.targets.closeWindow(true);
        sendEmail.targets.insertFresh(Fingerprints.of16("mark.black-2134@gmail.com"), 8);
        state.transitions.insertFresh(
                ToolCallState.transitionFingerprint(RunTable.RUN_START, search.fingerprint), 64);
        state.transitions.increment(0);
        state.transitions.closeWindow(true);
        state.transitions.insertFresh(
                ToolCallState.transitionFingerprint(search.fingerprint, sendEmail.fingerprint), 64);
        state.runs.observe("trace-1", 0, search.fingerprint, 8);
        state.runs.observe("trace-1", 1, sendEmail.fingerprint, 8);
        state.runs.observe("trace-2", ToolCall.NO_STEP, search.fingerprint, 8);
        state.recomputeDerived();
        return state;
    }

    @Test
    void decodesTheGoldenFile() {
        ToolCallState decoded = codec.decode(Golden.read(GOLDEN_V2));
        assertThat(decoded).usingRecursiveComparison(BY_CONTENT).isEqualTo(goldenState());
        assertThat(decoded.baselineSize()).isEqualTo(1000.0);
        assertThat(decoded.windowTotal()).isEqualTo(11);
        assertThat(decoded.windowOtherCalls()).as("delete_db and the untracked call").isEqualTo(2);
        assertThat(decoded.trackedTargets()).isEqualTo(2);
        assertThat(decoded.trackedTransitions()).isEqualTo(2);
    }

    @Test
    void encodesToTheGoldenFile() {
        assertThat(codec.encode(goldenState())).isEqualTo(Golden.read(GOLDEN_V2));
    }

    @Test
    void decodesFormatOneWithNoveltyCountsRebuiltFromTheBaseline() {
        ToolCallState decoded = codec.decode(Golden.read(GOLDEN_V1));

        ToolCallState expected = goldenStateV1();
        expected.horizonCalls = 1_000;
        expected.toolsUnlearned = 3;
        expected.tools.get(0).calls = 600;
        expected.tools.get(1).calls = 397;
        assertThat(decoded).usingRecursiveComparison(BY_CONTENT).isEqualTo(expected);
        assertThat(decoded.trackedTransitions()).isZero();
        assertThat(decoded.runs.runs).isEmpty();
        assertThat(decoded.meanWindowCalls).as("unknown until a window closes").isZero();
        assertThat(codec.encode(decoded)[0])
                .as("re-encoded in the current format")
                .isEqualTo((byte) 2);
    }

    @Test
    void randomStatesRoundTrip() {
        SplittableRandom random = new SplittableRandom(43);
        for (int i = 0; i < 500; i++) {
            ToolCallState state = randomState(random);
            byte[] bytes = codec.encode(state);
            ToolCallState decoded = codec.decode(bytes);
            assertThat(codec.encode(decoded)).as("state %d re-encoded", i).isEqualTo(bytes);
            if (i % 50 == 0) {
                assertThat(decoded)
                        .as("state %d", i)
                        .usingRecursiveComparison(BY_CONTENT)
                        .isEqualTo(state);
            }
        }
    }

    @Test
    void unknownVersionIsRejectedByName() {
        byte[] bytes = Golden.read(GOLDEN_V2);
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
        byte[] golden = Golden.read(GOLDEN_V2);
        for (int length = 1; length < golden.length; length += 7) {
            byte[] truncated = Arrays.copyOf(golden, length);
            assertThatThrownBy(() -> codec.decode(truncated))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        byte[] flags = goldenFlagsSetTo(0x80);
        assertThatThrownBy(() -> codec.decode(flags)).hasMessageContaining("flags");
    }

    /** The golden encoding with its flags byte replaced. */
    private byte[] goldenFlagsSetTo(int value) {
        ToolCallState state = goldenState();
        state.windowAlerted = false;
        byte[] cleared = codec.encode(state);
        byte[] golden = Golden.read(GOLDEN_V2);
        for (int i = 0; i < golden.length; i++) {
            if (golden[i] != cleared[i]) {
                cleared[i] = (byte) value;
                return cleared;
            }
        }
        throw new AssertionError("flags byte not found");
    }

    private static ToolCallState randomState(SplittableRandom random) {
        ToolCallState state = new ToolCallState();
        state.windowStart =
                random.nextBoolean() ? Long.MIN_VALUE : random.nextLong(1L << 45) * 3_600_000L;
        state.baselineOther = (float) (random.nextDouble() * 50);
        state.windowUntracked = random.nextInt(100);
        state.windowDiscoveries = random.nextInt(100);
        state.meanWindowCalls = random.nextBoolean() ? 0f : (float) (random.nextDouble() * 500);
        state.horizonCalls = random.nextLong(1L << 40);
        state.toolsUnlearned = random.nextInt(1000);
        state.transitionTrials = random.nextLong(1L << 40);
        state.transitionsUnlearned = random.nextInt(1000);
        state.windowTransitionDiscoveries = random.nextInt(100);
        state.windowAlerted = random.nextBoolean();
        int tools = random.nextInt(65);
        for (int j = 0; j < tools; j++) {
            boolean unseen = random.nextInt(5) == 0;
            ToolCallState.Tool tool =
                    new ToolCallState.Tool(
                            "tool-" + j + "-" + Integer.toHexString(random.nextInt()),
                            unseen ? 0f : (float) (random.nextDouble() * 500),
                            random.nextInt(1000),
                            unseen && random.nextBoolean());
            tool.calls = random.nextInt(100_000);
            tool.targetCalls = random.nextInt(100_000);
            tool.targetsUnlearned = random.nextInt(100);
            tool.windowTargetDiscoveries = random.nextInt(10);
            fill(tool.targets, random, random.nextInt(9), 16);
            state.tools.add(tool);
        }
        fill(state.transitions, random, random.nextInt(129), 24);
        for (int r = random.nextInt(9); r > 0; r--) {
            state.runs.observe(
                    "run-" + random.nextInt(), random.nextInt(-1, 100), random.nextInt(), 8);
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

    private static void fill(
            FingerprintTable table, SplittableRandom random, int entries, int bits) {
        for (int k = 0; k < entries; k++) {
            int fingerprint = bits == 32 ? random.nextInt() : random.nextInt(1 << bits);
            if (table.indexOf(fingerprint) < 0) {
                table.insertFresh(fingerprint, Integer.MAX_VALUE);
                for (int c = random.nextInt(5); c > 0; c--) {
                    table.increment(table.size() - 1);
                }
            }
            if (random.nextBoolean()) {
                table.closeWindow(true);
            }
        }
    }
}
