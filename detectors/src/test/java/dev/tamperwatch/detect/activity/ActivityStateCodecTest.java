package dev.tamperwatch.detect.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.detect.Golden;
import dev.tamperwatch.detect.StateCodec;
import dev.tamperwatch.detect.state.EvidenceSlots;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ActivityStateCodecTest {

    private static final String GOLDEN = "activity-rate-state-v1.bin";

    private final StateCodec<ActivityState> codec =
            new ActivityRateDetector(ActivityRateConfig.defaults()).codec();

    static ActivityState goldenState() {
        ActivityState state = new ActivityState();
        state.windowStart = 1_780_272_000_000L;
        state.windowCount = 17;
        state.lastEventWindow = 1_780_272_000_000L;
        state.active = true;
        state.learnedWindows = 700;
        state.fastSum = 12.5;
        state.fastWeight = 0.98;
        state.slowSum = 11.25;
        state.slowWeight = 1.01;
        for (int m = 0; m < ActivityState.MODELS; m++) {
            state.errorCount[m] = 300 + m;
            state.squaredError[m] = 14.5f - m;
            state.fourthPowerError[m] = 600.25f + m;
            state.meanExpected[m] = 12f;
            state.meanSquaredExpected[m] = 170.5f;
        }
        state.driftRun = 2;
        state.driftRunStart = 1_780_264_800_000L;
        for (int h = 0; h < 24; h++) {
            state.dailyCodes[h] = (short) (h * 100 - 1200);
            state.dailyVisits[h] = 40;
        }
        for (int d = 0; d < 7; d++) {
            state.dayOfWeekSum[d] = 10f + d;
            state.dayOfWeekWeight[d] = 11.5f;
            state.dayOfWeekVisits[d] = 139;
        }
        for (int b = 0; b < 168; b++) {
            state.weeklyCodes[b] = (short) (b * 37 - 3000);
            state.weeklyVisits[b] = b % 8;
        }
        state.evidence.offer("0d7e2f4c-3b8a-4e51-9c6d-2a1f0e9b7c35", 0, tag -> 0);
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
    void randomStatesRoundTripWithinTwoKilobytes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2000; i++) {
            ActivityState state = randomState(random);
            byte[] bytes = codec.encode(state);
            ActivityState decoded = codec.decode(bytes);
            assertThat(codec.encode(decoded)).as("state %d re-encoded", i).isEqualTo(bytes);
            if (i % 40 == 0) {
                assertThat(decoded).as("state %d", i).usingRecursiveComparison().isEqualTo(state);
            }
            assertThat(bytes.length).as("encoded bytes").isLessThan(2048);
        }
    }

    @Test
    void aFullStateWithLongestEventIdsStaysBelowTwoKilobytes() {
        ActivityState state = goldenState();
        state.evidence.clear();
        for (int i = 0; i < EvidenceSlots.CAPACITY; i++) {
            state.evidence.offer(String.valueOf(i).repeat(128), 0, tag -> 0);
        }
        // visit counts saturate: with one-hour windows at 42 (hour of day), 140 (day of week), 8
        Arrays.fill(state.dailyVisits, 42);
        Arrays.fill(state.dayOfWeekVisits, 140);
        Arrays.fill(state.weeklyVisits, 8);
        state.windowCount = Long.MAX_VALUE;
        state.learnedWindows = Long.MAX_VALUE;
        int bytes = codec.encode(state).length;
        System.out.printf(
                "activity-rate state: golden %d bytes, longest ids %d bytes%n",
                Golden.read(GOLDEN).length, bytes);
        assertThat(bytes).isLessThan(2048);
    }

    @Test
    void unknownVersionIsRejectedByName() {
        byte[] bytes = Golden.read(GOLDEN);
        bytes[0] = 7;
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activity-rate state version 7");
    }

    @Test
    void malformedInputIsRejected() {
        byte[] golden = Golden.read(GOLDEN);
        assertThatThrownBy(() -> codec.decode(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(golden, 100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(golden, golden.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        ActivityState negative = goldenState();
        negative.fastSum = -1;
        byte[] bytes = codec.encode(negative);
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1.0");
    }

    private static ActivityState randomState(SplittableRandom random) {
        ActivityState state = new ActivityState();
        state.windowStart =
                random.nextBoolean() ? Long.MIN_VALUE : random.nextLong(1L << 45) * 3_600_000L;
        state.windowCount = random.nextBoolean() ? 0 : random.nextLong(1, 1L << 40);
        state.lastEventWindow = state.windowStart;
        state.active = random.nextBoolean();
        state.driftReported = random.nextBoolean();
        state.learnedWindows = random.nextLong(1L << 30);
        state.fastSum = random.nextDouble() * 1000;
        state.fastWeight = random.nextDouble() * 2;
        state.slowSum = random.nextDouble() * 1000;
        state.slowWeight = random.nextDouble() * 2;
        for (int m = 0; m < ActivityState.MODELS; m++) {
            state.errorCount[m] = random.nextInt(1 << 20);
            state.squaredError[m] = (float) (random.nextDouble() * 1e4);
            state.fourthPowerError[m] = (float) (random.nextDouble() * 1e8);
            state.meanExpected[m] = (float) (random.nextDouble() * 100);
            state.meanSquaredExpected[m] = (float) (random.nextDouble() * 1e4);
        }
        state.driftRun = random.nextInt(1000);
        state.driftRunStart = random.nextLong();
        for (int h = 0; h < 24; h++) {
            state.dailyCodes[h] = (short) random.nextInt(-32768, 32768);
            state.dailyVisits[h] = random.nextInt(100);
        }
        for (int d = 0; d < 7; d++) {
            state.dayOfWeekSum[d] = (float) random.nextDouble(100);
            state.dayOfWeekWeight[d] = (float) random.nextDouble(100);
            state.dayOfWeekVisits[d] = random.nextInt(200);
        }
        for (int b = 0; b < 168; b++) {
            state.weeklyCodes[b] = (short) random.nextInt(-32768, 32768);
            state.weeklyVisits[b] = random.nextInt(100);
        }
        int ids = random.nextInt(EvidenceSlots.CAPACITY + 1);
        for (int j = 0; j < ids; j++) {
            String id =
                    random.nextBoolean()
                            ? new UUID(random.nextLong(), random.nextLong()).toString()
                            : "event-" + random.nextInt();
            state.evidence.offer(id, 0, tag -> 0);
        }
        return state;
    }
}
