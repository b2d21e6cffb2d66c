package dev.tamperwatch.detect.activity;

import dev.tamperwatch.detect.state.EvidenceSlots;
import dev.tamperwatch.detect.state.StateReader;
import dev.tamperwatch.detect.state.StateWriter;
import dev.tamperwatch.detect.state.VersionedCodec;

/**
 * Format 1: version byte; window start (zig-zag varint), window count (varint), last event window
 * (zig-zag varint), flags (bit 0 active, bit 1 drift reported), learned windows (varint); fast sum,
 * fast weight, slow sum, slow weight (doubles); per model residuals learned (varint), squared
 * error, fourth power of the error, mean expected and mean squared expected (floats, model-major);
 * drift run (varint) and its start (zig-zag varint); 24 hour-of-day buckets, each a 16-bit
 * big-endian factor code and its visits (varint); 7 days of week, each weighted count and weight
 * (floats) and visits (varint); 168 hour-of-week buckets as the hour-of-day ones; evidence slots.
 * About 800 bytes with a full profile and eight UUID event ids.
 */
final class ActivityStateCodec extends VersionedCodec<ActivityState> {

    private static final int MAX_VISITS = 1 << 24;

    ActivityStateCodec() {
        super(ActivityRateDetector.NAME, 1);
    }

    @Override
    protected void writeBody(ActivityState state, StateWriter out) {
        out.writeSignedVarLong(state.windowStart)
                .writeVarLong(state.windowCount)
                .writeSignedVarLong(state.lastEventWindow)
                .writeByte((state.active ? 1 : 0) | (state.driftReported ? 2 : 0))
                .writeVarLong(state.learnedWindows)
                .writeDouble(state.fastSum)
                .writeDouble(state.fastWeight)
                .writeDouble(state.slowSum)
                .writeDouble(state.slowWeight);
        for (int m = 0; m < ActivityState.MODELS; m++) {
            out.writeVarLong(state.errorCount[m])
                    .writeFloat(state.squaredError[m])
                    .writeFloat(state.fourthPowerError[m])
                    .writeFloat(state.meanExpected[m])
                    .writeFloat(state.meanSquaredExpected[m]);
        }
        out.writeVarLong(state.driftRun).writeSignedVarLong(state.driftRunStart);
        writeProfile(out, state.dailyCodes, state.dailyVisits);
        for (int d = 0; d < ActivityState.DAYS_PER_WEEK; d++) {
            out.writeFloat(state.dayOfWeekSum[d])
                    .writeFloat(state.dayOfWeekWeight[d])
                    .writeVarLong(state.dayOfWeekVisits[d]);
        }
        writeProfile(out, state.weeklyCodes, state.weeklyVisits);
        state.evidence.writeTo(out);
    }

    @Override
    protected ActivityState readBody(int version, StateReader in) {
        if (version != 1) {
            throw unsupportedVersion(version);
        }
        ActivityState state = new ActivityState();
        state.windowStart = in.readSignedVarLong();
        state.windowCount = requireCount(in.readVarLong());
        state.lastEventWindow = in.readSignedVarLong();
        int flags = in.readByte();
        if ((flags & ~3) != 0) {
            throw new IllegalArgumentException("unknown activity-rate state flags: " + flags);
        }
        state.active = (flags & 1) != 0;
        state.driftReported = (flags & 2) != 0;
        state.learnedWindows = requireCount(in.readVarLong());
        state.fastSum = requireWeight(in.readDouble());
        state.fastWeight = requireWeight(in.readDouble());
        state.slowSum = requireWeight(in.readDouble());
        state.slowWeight = requireWeight(in.readDouble());
        for (int m = 0; m < ActivityState.MODELS; m++) {
            state.errorCount[m] = in.readCount(Integer.MAX_VALUE);
            state.squaredError[m] = (float) requireWeight(in.readFloat());
            state.fourthPowerError[m] = (float) requireWeight(in.readFloat());
            state.meanExpected[m] = (float) requireWeight(in.readFloat());
            state.meanSquaredExpected[m] = (float) requireWeight(in.readFloat());
        }
        state.driftRun = in.readCount(Integer.MAX_VALUE);
        state.driftRunStart = in.readSignedVarLong();
        readProfile(in, state.dailyCodes, state.dailyVisits);
        for (int d = 0; d < ActivityState.DAYS_PER_WEEK; d++) {
            state.dayOfWeekSum[d] = (float) requireWeight(in.readFloat());
            state.dayOfWeekWeight[d] = (float) requireWeight(in.readFloat());
            state.dayOfWeekVisits[d] = in.readCount(MAX_VISITS);
        }
        readProfile(in, state.weeklyCodes, state.weeklyVisits);
        state.evidence = EvidenceSlots.readFrom(in);
        return state;
    }

    private static void writeProfile(StateWriter out, short[] codes, int[] visits) {
        for (int b = 0; b < codes.length; b++) {
            out.writeByte(codes[b] >> 8).writeByte(codes[b]).writeVarLong(visits[b]);
        }
    }

    private static void readProfile(StateReader in, short[] codes, int[] visits) {
        for (int b = 0; b < codes.length; b++) {
            codes[b] = (short) (in.readByte() << 8 | in.readByte());
            visits[b] = in.readCount(MAX_VISITS);
        }
    }

    private static double requireWeight(double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("invalid activity-rate baseline value: " + value);
        }
        return value;
    }

    private static long requireCount(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("invalid activity-rate count: " + count);
        }
        return count;
    }
}
