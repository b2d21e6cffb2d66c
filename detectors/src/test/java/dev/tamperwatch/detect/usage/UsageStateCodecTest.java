package dev.tamperwatch.detect.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.detect.Golden;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.state.EventIds;
import dev.tamperwatch.detect.state.EvidenceSlots;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;

class UsageStateCodecTest {

    private static final String GOLDEN = "usage-state-v2.bin";
    private static final String GOLDEN_V1 = "usage-state-v1.bin";

    private static final RecursiveComparisonConfiguration BY_VALUE =
            RecursiveComparisonConfiguration.builder()
                    .withEqualsForType(LogHistogram::equals, LogHistogram.class)
                    .build();

    private final StateCodec<UsageState> codec = new UsageDetector(UsageConfig.defaults()).codec();

    static UsageState goldenState() {
        UsageState state = new UsageState();
        state.windowStart = 1_779_998_400_000L;
        state.windowEvents = 3;
        state.windowTokenEvents = 2;
        state.windowTokenSum = 2150;
        state.outputTokens.slow.add(350, 120.5);
        state.outputTokens.slow.add(420, 60.25);
        state.outputTokens.slow.add(9000, 0.04);
        state.outputTokens.fast = 0.125;
        state.windowTokens.add(25_000, 30);
        state.windowTokens.add(31_000, 10);
        state.evidence.offer("3f2a7c1e-9b4d-4e8a-a1c2-5d6e7f8a9b0c", 81, tag -> tag);
        state.evidence.offer("evt-9", 70, tag -> tag);
        return state;
    }

    /** The state of the version-2 golden file: the version-1 state with learned spreads. */
    static UsageState goldenStateV2() {
        UsageState state = goldenState();
        state.outputTokens.spread = 0.0375;
        state.outputTokens.spreadWeight = 4096.5;
        state.outputTokens.windowScored = 2;
        state.outputChars.spread = 0.0125;
        state.outputChars.spreadWeight = 10_000;
        return state;
    }

    @Test
    void decodesTheVersionOneGoldenFileWithNoSpreadLearned() {
        UsageState decoded = codec.decode(Golden.read(GOLDEN_V1));
        assertThat(decoded).usingRecursiveComparison(BY_VALUE).isEqualTo(goldenState());
        assertThat(decoded.baselineOutputTokens())
                .isCloseTo(180.79, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(decoded.baselineWindows()).isEqualTo(40.0);
        assertThat(decoded.outputTokens.spreadWeight).isZero();
        assertThat(decoded.outputChars.spreadWeight).isZero();
    }

    @Test
    void reEncodesAVersionOneStateInTheCurrentFormat() {
        byte[] v1 = Golden.read(GOLDEN_V1);
        byte[] current = codec.encode(codec.decode(v1));
        assertThat(current[0]).isEqualTo((byte) 2);
        assertThat(current).as("two spreads, weights and counts added").hasSize(v1.length + 34);
        assertThat(codec.decode(current))
                .usingRecursiveComparison(BY_VALUE)
                .isEqualTo(goldenState());
    }

    @Test
    void decodesTheGoldenFile() {
        UsageState decoded = codec.decode(Golden.read(GOLDEN));
        assertThat(decoded).usingRecursiveComparison(BY_VALUE).isEqualTo(goldenStateV2());
        assertThat(decoded.outputTokens.spreadWeight).isEqualTo(4096.5);
    }

    @Test
    void encodesToTheGoldenFile() {
        assertThat(codec.encode(goldenStateV2())).isEqualTo(Golden.read(GOLDEN));
    }

    @Test
    void randomStatesRoundTrip() {
        SplittableRandom random = new SplittableRandom(44);
        for (int i = 0; i < 1000; i++) {
            UsageState state = randomState(random);
            byte[] bytes = codec.encode(state);
            UsageState decoded = codec.decode(bytes);
            assertThat(codec.encode(decoded)).as("state %d re-encoded", i).isEqualTo(bytes);
            if (i % 20 == 0) {
                assertThat(decoded)
                        .as("state %d", i)
                        .usingRecursiveComparison(BY_VALUE)
                        .isEqualTo(state);
            }
            assertThat(bytes.length).as("encoded bytes").isLessThanOrEqualTo(2048);
        }
    }

    @Test
    void fullStateWithLongestEventIdsFitsTwoKilobytes() {
        UsageState state = new UsageState();
        state.windowStart = Long.MIN_VALUE;
        state.windowEvents = Long.MAX_VALUE >> 1;
        state.windowTokenEvents = Long.MAX_VALUE >> 1;
        state.windowTokenSum = Long.MAX_VALUE;
        for (int bin = LogHistogram.MAX_BIN; bin > 0; bin -= 2) {
            double value = LogHistogram.lowerEdge(bin);
            state.outputTokens.slow.add(value, 1e6);
            state.outputChars.slow.add(value, 1e6);
            state.windowTokens.add(value, 1e6);
        }
        state.outputTokens.fast = -3;
        state.outputChars.fast = 3;
        for (UsageState.SizeBaseline size :
                new UsageState.SizeBaseline[] {state.outputTokens, state.outputChars}) {
            size.spread = UsageDetector.MAX_SPREAD;
            size.spreadWeight = 1e6 + 0.1;
            size.windowScored = Long.MAX_VALUE;
        }
        for (int i = 0; i < EvidenceSlots.CAPACITY; i++) {
            state.evidence.offer(
                    ("x" + i).repeat(EventIds.MAX_EVENT_ID_BYTES / 2),
                    LogHistogram.MAX_BIN,
                    t -> t);
        }
        assertThat(state.outputTokens.slow.binCount()).isEqualTo(UsageState.MAX_OUTPUT_BINS);
        assertThat(state.windowTokens.binCount()).isEqualTo(UsageState.MAX_WINDOW_BINS);
        byte[] bytes = codec.encode(state);
        System.out.printf("usage state: worst case %d bytes%n", bytes.length);
        assertThat(bytes.length).isLessThanOrEqualTo(2048);
        assertThat(codec.decode(bytes)).usingRecursiveComparison(BY_VALUE).isEqualTo(state);
    }

    @Test
    void unknownVersionIsRejectedByName() {
        byte[] bytes = Golden.read(GOLDEN);
        bytes[0] = 9;
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usage state version 9");
    }

    @Test
    void malformedInputIsRejected() {
        byte[] golden = Golden.read(GOLDEN);
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(golden, 30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(golden, golden.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        UsageState inconsistent = goldenState();
        inconsistent.windowTokenEvents = 5;
        byte[] bytes = codec.encode(inconsistent);
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window counts");
        UsageState badScore = goldenState();
        badScore.outputChars.fast = Double.NaN;
        byte[] nan = codec.encode(badScore);
        assertThatThrownBy(() -> codec.decode(nan))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fast score");
        UsageState badSpread = goldenStateV2();
        badSpread.outputTokens.spread = -0.5;
        byte[] negative = codec.encode(badSpread);
        assertThatThrownBy(() -> codec.decode(negative))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spread");
    }

    private static UsageState randomState(SplittableRandom random) {
        UsageState state = new UsageState();
        state.windowStart =
                random.nextBoolean() ? Long.MIN_VALUE : random.nextLong(1L << 45) * 3_600_000L;
        state.windowEvents = random.nextBoolean() ? 0 : random.nextLong(1, 1L << 40);
        state.windowTokenEvents =
                state.windowEvents == 0 ? 0 : random.nextLong(state.windowEvents + 1);
        state.windowTokenSum = random.nextBoolean() ? Long.MAX_VALUE : random.nextLong(1L << 50);
        fill(random, state.outputTokens.slow, 1e5);
        fill(random, state.outputChars.slow, 1e6);
        fill(random, state.windowTokens, 1e9);
        state.outputTokens.fast = random.nextDouble(-3, 3);
        state.outputChars.fast = random.nextBoolean() ? 0 : random.nextDouble(-3, 3);
        if (random.nextBoolean()) {
            state.outputTokens.spread = random.nextDouble(0, UsageDetector.MAX_SPREAD);
            state.outputTokens.spreadWeight = random.nextDouble(0, 1e4);
            state.outputTokens.windowScored = random.nextLong(1L << 20);
        }
        int ids = random.nextInt(EvidenceSlots.CAPACITY + 1);
        for (int j = 0; j < ids; j++) {
            String id =
                    random.nextBoolean()
                            ? new UUID(random.nextLong(), random.nextLong()).toString()
                            : "event-" + random.nextInt();
            state.evidence.offer(id, random.nextInt(LogHistogram.MAX_BIN + 1), t -> t);
        }
        return state;
    }

    private static void fill(SplittableRandom random, LogHistogram histogram, double scale) {
        int n = random.nextInt(500);
        for (int i = 0; i < n; i++) {
            histogram.add(
                    Math.floor(scale * Math.pow(random.nextDouble(), 3)),
                    random.nextDouble(0.01, 5));
        }
    }
}
